package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/store"
)

// runCalendar is `idcard calendar import FILE`: it replaces the working-day
// overrides of every year the file covers.
func runCalendar(ctx context.Context, env *cmdEnv, args []string) error {
	if len(args) != 2 || args[0] != "import" {
		return fmt.Errorf("usage: idcard calendar import FILE (CSV lines: date,working,note)")
	}
	f, err := os.Open(args[1])
	if err != nil {
		return err
	}
	defer f.Close()
	days, err := calendar.ParseImport(f)
	if err != nil {
		return fmt.Errorf("%s: %w", args[1], err)
	}
	if len(days) == 0 {
		return fmt.Errorf("%s: no days", args[1])
	}
	byYear := map[int][]store.CalendarDay{}
	for _, d := range days {
		t, _ := time.Parse(calendar.DateLayout, d.Date)
		byYear[t.Year()] = append(byYear[t.Year()], store.CalendarDay{Day: t, Working: d.Working, Note: d.Note})
	}
	a, st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer a.close()
	err = st.Tx(ctx, func(q *store.Q) error {
		for y, ds := range byYear {
			if err := q.ReplaceCalendarYear(y, ds); err != nil {
				return err
			}
			if err := q.AppendAudit(&store.AuditEntry{ActorKind: "system", ActorName: "idcard calendar import", Action: "calendar.import",
				ObjectType: "calendar", ObjectID: fmt.Sprint(y), Outcome: "ok", Detail: fmt.Sprintf(`{"days":%d}`, len(ds))}); err != nil {
				return err
			}
			fmt.Fprintf(env.stdout, "imported %d days of %d\n", len(ds), y)
		}
		return nil
	})
	if err == nil {
		fmt.Fprintln(env.stdout, "running servers pick the new calendar up when they restart")
	}
	return err
}
