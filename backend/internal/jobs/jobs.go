// Package jobs runs the background work inside `serve`: outbox delivery
// (notify), and the service's closing of pickup windows, pickup reminders
// and daily overdue digest, the payment refunds still to send and the
// daily reconciliation with the payment provider's bill. Every job is safe with several instances on one
// database.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/gzga/idcard/backend/internal/notify"
	"github.com/gzga/idcard/backend/internal/service"
)

// Runner runs the jobs until its context ends.
type Runner struct {
	svc    *service.Service
	outbox *notify.Outbox
	log    *slog.Logger
	worker string
	// Intervals; zero values take the defaults.
	OutboxEvery, PickupEvery, DigestEvery time.Duration
}

// New returns a Runner with a worker name unique to this process.
func New(svc *service.Service, outbox *notify.Outbox, log *slog.Logger) *Runner {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return &Runner{svc: svc, outbox: outbox, log: log, worker: host + "-" + hex.EncodeToString(b),
		OutboxEvery: time.Second, PickupEvery: 5 * time.Minute, DigestEvery: 10 * time.Minute}
}

// Run blocks until ctx ends, running each job on its own ticker.
func (r *Runner) Run(ctx context.Context) {
	var wg sync.WaitGroup
	loop := func(name string, every time.Duration, fn func(context.Context) (int, error)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(every)
			defer t.Stop()
			for {
				n, err := fn(ctx)
				if err != nil && ctx.Err() == nil {
					r.log.Error("job failed", "job", name, "error", err)
				} else if n > 0 {
					r.log.Info("job done", "job", name, "count", n)
				}
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		}()
	}
	loop("outbox", r.OutboxEvery, func(ctx context.Context) (int, error) {
		total := 0
		for {
			n, err := r.outbox.Deliver(ctx, r.worker, 50)
			total += n
			if err != nil || n < 50 {
				return total, err
			}
		}
	})
	loop("close_pickup", r.PickupEvery, r.svc.ClosePickupWindows)
	loop("pickup_reminder", r.PickupEvery, r.svc.SendPickupReminders)
	loop("overdue_digest", r.DigestEvery, r.svc.DailyDigest)
	// Refunds the provider has not taken yet, and yesterday's bill.
	loop("refunds", r.PickupEvery, r.svc.SendRefunds)
	loop("payment_reconcile", r.DigestEvery, r.svc.ReconcileYesterday)
	loop("retention", r.DigestEvery, r.svc.EraseExpiredPersonalData)
	// A calendar imported on another instance reaches this one here.
	loop("calendar_reload", r.DigestEvery, func(ctx context.Context) (int, error) { return 0, r.svc.ReloadCalendar(ctx) })
	wg.Wait()
}
