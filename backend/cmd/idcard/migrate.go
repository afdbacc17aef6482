package main

import (
	"context"
	"fmt"
)

func runMigrate(ctx context.Context, env *cmdEnv, args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: idcard migrate up|down|status")
	}
	a, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer a.close()
	env.log.Info("database", "where", a.db.Where())
	switch args[0] {
	case "up":
		res, err := a.db.MigrateUp(ctx)
		for _, r := range res {
			fmt.Fprintf(env.stdout, "applied %d %s (%s)\n", r.Source.Version, r.Source.Path, r.Duration)
		}
		if err != nil {
			return err
		}
		if len(res) == 0 {
			fmt.Fprintln(env.stdout, "no pending migrations")
		}
		return nil
	case "down":
		r, err := a.db.MigrateDown(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "rolled back %d %s\n", r.Source.Version, r.Source.Path)
		return nil
	case "status":
		pending, err := a.db.MigrationStatus(ctx, env.stdout)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "%d pending\n", pending)
		return nil
	}
	return fmt.Errorf("usage: idcard migrate up|down|status (got %q)", args[0])
}
