package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/demo"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
	"github.com/gzga/idcard/backend/internal/store"
)

func runSeed(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("idcard seed", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	persons := fs.Int("persons", demo.DefaultPersons, "size of the synthetic registry (demo mode)")
	cases := fs.Int("cases", 0, "also bring the demo cases up to N, spread over every status (a second run adds only what is missing)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *persons < 0 || *cases < 0 {
		return fmt.Errorf("--persons and --cases must not be negative")
	}
	a, st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer a.close()
	sum, err := loadSeed(ctx, env, st, *persons)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "seeded: %d counties, %d offices, %d staff accounts, %d registry persons\n",
		sum.Divisions, sum.Offices, sum.Staff, sum.Persons)
	if *cases == 0 {
		return nil
	}
	if !env.cfg.Demo {
		return fmt.Errorf("--cases makes demo cases: set IDCARD_DEMO=true")
	}
	cal, err := service.LoadCalendar(ctx, st, env.log)
	if err != nil {
		return err
	}
	have, err := st.Q(ctx).CountCases(store.CaseFilter{Scope: domain.Scope{Kind: domain.ScopeAll}})
	if err != nil {
		return err
	}
	if int(have) >= *cases {
		fmt.Fprintf(env.stdout, "%d cases already: nothing to add\n", have)
		return nil
	}
	started := time.Now()
	n, err := demo.Cases(ctx, st, cal, *cases-int(have), time.Now())
	if err != nil {
		return err
	}
	took := time.Since(started)
	fmt.Fprintf(env.stdout, "created %d demo cases in %s (%.0f cases/s); %d cases in all\n",
		n, took.Round(time.Millisecond), float64(n)/max(took.Seconds(), 0.001), int(have)+n)
	return nil
}

func loadSeed(ctx context.Context, env *cmdEnv, st *store.Store, persons int) (demo.Summary, error) {
	loc := calendar.Location()
	started := time.Now()
	sum, err := demo.Load(ctx, st, demo.Options{
		Demo: env.cfg.Demo, DemoPassword: env.cfg.DemoPassword, Persons: persons,
		Today: time.Now().In(loc), Location: loc,
	})
	if err == nil {
		env.log.Info("seed data loaded", "demo", env.cfg.Demo, "took", time.Since(started).Round(time.Millisecond))
	}
	return sum, err
}
