package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/gzga/idcard/backend/internal/forecast"
	"github.com/gzga/idcard/backend/internal/service"
)

// runForecastBacktest predicts, for every case whose card was ready in the
// last --days days, its ready date at the start of each of its stages from
// what was known then, and prints the mean absolute error in working days
// and the share within ±2 working days, for the forecast and for the
// stage-deadline predictor (docs/procedure.md, predicted completion).
func runForecastBacktest(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("idcard forecast-backtest", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	days := fs.Int("days", 90, "score the cases whose card was ready in the last N days")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *days <= 0 {
		return fmt.Errorf("--days must be positive")
	}
	a, st, cal, err := openCalendar(ctx, env)
	if err != nil {
		return err
	}
	defer a.close()
	now := time.Now()
	from := now.AddDate(0, 0, -*days)
	// The history reaches back far enough for the statistic's window at
	// the first stage of the first scored case.
	cases, err := service.ForecastCases(st.Q(ctx), from.AddDate(0, 0, -150))
	if err != nil {
		return err
	}
	r := forecast.Backtest(cal, cases, from, now, forecast.Options{})
	fmt.Fprintf(env.stdout, "backtest: %d cases ready in the last %d days, %d predictions (one per stage start), %d cases read\n",
		r.Cases, *days, r.Points, len(cases))
	fmt.Fprintf(env.stdout, "%-16s %8s %14s\n", "predictor", "MAE (wd)", "within ±2 wd")
	for _, p := range []struct {
		name string
		s    forecast.Score
	}{{"forecast", r.Forecast}, {"stage deadline", r.Deadline}} {
		fmt.Fprintf(env.stdout, "%-16s %8.2f %13.1f%%\n", p.name, p.s.MAE, 100*p.s.Within2)
	}
	return nil
}
