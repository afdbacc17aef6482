// Package jobs runs the service's background work inside `serve`: outbox
// delivery, closing pickup windows, pickup reminders and the daily overdue
// digest. Every job is safe with several instances on one database.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/gzga/idcard/backend/internal/service"
)

// Runner runs the jobs until its context ends.
type Runner struct {
	svc     *service.Service
	log     *slog.Logger
	senders service.Senders
	worker  string
	// Intervals; zero values take the defaults.
	OutboxEvery, PickupEvery, DigestEvery time.Duration
}

// New returns a Runner with a worker name unique to this process.
func New(svc *service.Service, log *slog.Logger, senders service.Senders) *Runner {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return &Runner{svc: svc, log: log, senders: senders, worker: host + "-" + hex.EncodeToString(b),
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
			n, err := r.svc.DeliverOutbox(ctx, r.worker, 50, r.senders)
			total += n
			if err != nil || n < 50 {
				return total, err
			}
		}
	})
	loop("close_pickup", r.PickupEvery, r.svc.ClosePickupWindows)
	loop("pickup_reminder", r.PickupEvery, r.svc.SendPickupReminders)
	loop("overdue_digest", r.DigestEvery, r.svc.DailyDigest)
	// A calendar imported on another instance reaches this one here.
	loop("calendar_reload", r.DigestEvery, func(ctx context.Context) (int, error) { return 0, r.svc.ReloadCalendar(ctx) })
	wg.Wait()
}
