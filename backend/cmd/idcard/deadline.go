package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"time"
)

// runDeadline prints every due time of docs/procedure.md for an event at --from.
func runDeadline(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("idcard deadline", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	from := fs.String("from", "", "the event's time, RFC 3339 (e.g. 2026-09-30T10:00:00+08:00)")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	t, err := time.Parse(time.RFC3339, *from)
	if err != nil {
		return fmt.Errorf("--from: want an RFC 3339 time such as 2026-09-30T10:00:00+08:00, got %q", *from)
	}
	a, _, cal, err := openCalendar(ctx, env)
	if err != nil {
		return err
	}
	defer a.close()
	d := cal.Deadlines(t)
	if *asJSON {
		return json.NewEncoder(env.stdout).Encode(d)
	}
	b, _ := json.MarshalIndent(d, "", "  ")
	fmt.Fprintln(env.stdout, string(b))
	return nil
}
