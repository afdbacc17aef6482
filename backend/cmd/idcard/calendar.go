package main

import (
	"context"
	"fmt"
	"os"
)

// runCalendar is `idcard calendar import FILE`: it replaces the working-day
// overrides of every year the file covers and recomputes the due times of
// the open cases, in one transaction.
func runCalendar(ctx context.Context, env *cmdEnv, args []string) error {
	if len(args) != 2 || args[0] != "import" {
		return fmt.Errorf("usage: idcard calendar import FILE (CSV lines: date,working,note)")
	}
	f, err := os.Open(args[1])
	if err != nil {
		return err
	}
	defer f.Close()
	a, st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer a.close()
	svc, err := newService(ctx, env, a, st)
	if err != nil {
		return err
	}
	res, err := svc.ImportCalendarFile(ctx, f)
	if err != nil {
		return fmt.Errorf("%s: %w", args[1], err)
	}
	fmt.Fprintf(env.stdout, "imported %d days of %v; due times of %d open cases moved\n", res.Days, res.Years, len(res.MovedCases))
	fmt.Fprintln(env.stdout, "running servers pick the new calendar up at their next periodic reload")
	return nil
}
