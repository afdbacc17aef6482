package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/gzga/idcard/backend/internal/store"
)

// runPII is `idcard pii rotate [--batch N]`: re-encrypt every personal-data
// value to the current key and IDCARD_CRYPTO suite and rewrite the blind
// indexes, in batches. The audit chain is verified before (a broken chain
// stops it) and after, and the run is audited (pii.rotate). Rows already
// current are skipped, so an interrupted run is resumed by running it again.
func runPII(ctx context.Context, env *cmdEnv, args []string) error {
	if len(args) == 0 || args[0] != "rotate" {
		return fmt.Errorf("usage: idcard pii rotate [--batch N]")
	}
	fs := flag.NewFlagSet("idcard pii rotate", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	batch := fs.Int("batch", 500, "rows per transaction")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	a, st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer a.close()
	if err := verifyChain(ctx, env, st, "before"); err != nil {
		return err
	}
	stale, err := st.CountStalePII(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "to %s: stale rows %v\n", a.box.Prefix(), stale)
	n, err := st.RotatePII(ctx, *batch, func(p store.RotateProgress) {
		fmt.Fprintf(env.stdout, "%s: %d rows read, %d rewritten, up to id %d\n", p.Table, p.Checked, p.Rewritten, p.LastID)
	})
	if err != nil {
		return fmt.Errorf("pii rotate (run it again to resume): %w", err)
	}
	detail := fmt.Sprintf(`{"rewritten":%d,"to":%q}`, n, a.box.Prefix())
	if err := st.Audit(ctx, &store.AuditEntry{ActorKind: store.ActorSystem, ActorName: "idcard pii rotate",
		Action: "pii.rotate", ObjectType: "pii", Detail: detail}); err != nil {
		return err
	}
	if err := verifyChain(ctx, env, st, "after"); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "rotated: %d rows rewritten\n", n)
	return nil
}

// verifyChain checks the audit chain and says so; a break is an error.
func verifyChain(ctx context.Context, env *cmdEnv, st *store.Store, when string) error {
	checked, bad, err := st.VerifyAudit(ctx)
	if err != nil {
		return fmt.Errorf("audit-verify %s: %w", when, err)
	}
	if bad != nil {
		return fmt.Errorf("audit-verify %s: %w", when, auditBreakError(bad))
	}
	fmt.Fprintf(env.stdout, "audit log intact %s: %d entries\n", when, checked)
	return nil
}
