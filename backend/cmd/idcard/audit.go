package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/gzga/idcard/backend/internal/store"
)

// runAuditVerify walks the audit log's hash chain. It prints how many entries
// it checked when the chain holds, and otherwise prints and returns an error
// naming the first broken entry, so the command exits non-zero.
func runAuditVerify(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("idcard audit-verify", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("usage: idcard audit-verify (takes no arguments)")
	}
	a, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer a.close()
	env.log.Info("database", "where", a.db.Where())
	checked, bad, err := store.New(a.db, a.box).VerifyAudit(ctx)
	if err != nil {
		return fmt.Errorf("audit-verify: %w", err)
	}
	if bad != nil {
		err := auditBreakError(bad)
		fmt.Fprintln(env.stdout, err)
		return err
	}
	fmt.Fprintf(env.stdout, "audit log intact: %d entries\n", checked)
	return nil
}

// auditBreakError describes a break; a deleted tail entry has no id to name.
func auditBreakError(b *store.AuditBreak) error {
	if b.ID == 0 {
		return fmt.Errorf("audit log broken at entry seq=%d: %s", b.Seq, b.Reason)
	}
	return fmt.Errorf("audit log broken at entry seq=%d (id=%d): %s", b.Seq, b.ID, b.Reason)
}
