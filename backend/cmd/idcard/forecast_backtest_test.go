package main

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"testing"
)

// TestForecastBacktestBeatsDeadlines seeds a smaller history than the
// documented run (docs/procedure.md) and checks that the backtest scores
// both predictors and that the forecast's mean absolute error is below the
// stage-deadline predictor's.
func TestForecastBacktestBeatsDeadlines(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a history of 3000 cases")
	}
	ctx := context.Background()
	env, out := auditTestEnv(t)
	env.cfg.Demo, env.cfg.DBTimeout = true, 0 // a one-shot command, as run sets it
	if err := runSeed(ctx, env, []string{"--persons", "4000", "--cases", "3000"}); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := runForecastBacktest(ctx, env, nil); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + out.String())
	score := func(name string) (mae, within float64) {
		m := regexp.MustCompile(name + `\s+([0-9.]+)\s+([0-9.]+)%`).FindStringSubmatch(out.String())
		if m == nil {
			t.Fatalf("no %s line in:\n%s", name, out)
		}
		mae, _ = strconv.ParseFloat(m[1], 64)
		within, _ = strconv.ParseFloat(m[2], 64)
		return mae, within
	}
	var cases, points int
	if _, err := fmt.Sscanf(out.String(), "backtest: %d cases ready in the last 90 days, %d predictions", &cases, &points); err != nil || cases < 300 || points < 5*cases-cases/2 {
		t.Fatalf("scored %d cases, %d predictions (%v): want hundreds of cases, a prediction per stage", cases, points, err)
	}
	fMAE, fIn := score("forecast")
	dMAE, dIn := score("stage deadline")
	if fMAE >= dMAE {
		t.Errorf("forecast MAE %.2f working days, not below the stage deadline's %.2f", fMAE, dMAE)
	}
	if fIn <= dIn {
		t.Errorf("forecast within ±2 working days %.1f%%, not above the stage deadline's %.1f%%", fIn, dIn)
	}
}
