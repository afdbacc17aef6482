package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// demoPerson is one line of demo-persons: what an applicant types to bind.
type demoPerson struct {
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
}

// runDemoPersons prints, as JSON lines {"name","id_number"}, up to --count
// registry persons a load test can apply as: no open case, bound to no
// account, and at least one kind of application open to them online today.
// It reads demo data only, so it refuses unless demo mode (IDCARD_DEMO) is
// on; fewer persons than asked is a warning on the log, not an error.
func runDemoPersons(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("idcard demo-persons", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	count := fs.Int("count", 100, "how many persons to print")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 || *count < 1 {
		return fmt.Errorf("usage: idcard demo-persons --count N (N at least 1)")
	}
	if !env.cfg.Demo {
		return fmt.Errorf("demo-persons lists demo data only: set IDCARD_DEMO=true")
	}
	a, st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer a.close()
	today := time.Now().In(calendar.Location())
	enc := json.NewEncoder(env.stdout)
	enc.SetEscapeHTML(false)
	printed, after := 0, int64(0)
	for printed < *count {
		ps, err := st.Q(ctx).FreePersons(after, 500)
		if err != nil {
			return err
		}
		if len(ps) == 0 {
			break
		}
		for _, p := range ps {
			after = p.ID
			if printed == *count {
				break
			}
			if !canApplyOnline(p, today) {
				continue
			}
			if err := enc.Encode(demoPerson{Name: p.Name, IDNumber: p.IDNumber}); err != nil {
				return err
			}
			printed++
		}
	}
	if printed < *count {
		env.log.Warn("fewer free demo persons than asked", "asked", *count, "printed", printed)
	}
	return nil
}

// canApplyOnline reports whether some kind of application is open to p
// online today, by the domain's eligibility rule.
func canApplyOnline(p store.Person, today time.Time) bool {
	for _, k := range domain.AllKinds() {
		if domain.CheckEligible(k, p.Card(), today) == nil {
			return true
		}
	}
	return false
}
