package service

import (
	"context"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/notify"
	"github.com/gzga/idcard/backend/internal/store"
)

// ClosePickupWindows moves cards whose pickup window ended to uncollected.
// Several instances may run it at once: the case version lets one win.
func (s *Service) ClosePickupWindows(ctx context.Context) (int, error) {
	ids, err := s.st.Q(ctx).CaseIDsDue(string(domain.StatusReadyForPickup), "pickup_due_at", s.now(), "", 200)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		c, err := s.st.Q(ctx).CaseByID(id)
		if err != nil {
			return n, err
		}
		if _, err := s.ClosePickup(ctx, c.No); err != nil {
			code := domain.ErrorCode(err)
			if code == domain.CodeInvalidTransition || code == domain.CodeVersionConflict {
				continue // another instance, or an officer, got there first
			}
			return n, err
		}
		n++
	}
	return n, nil
}

// SendPickupReminders tells applicants whose pickup window closes within 5
// working days, once per window.
func (s *Service) SendPickupReminders(ctx context.Context) (int, error) {
	now := s.now()
	// Five working days are at most a fortnight of calendar days.
	ids, err := s.st.Q(ctx).CaseIDsDue(string(domain.StatusReadyForPickup), "pickup_due_at", now.AddDate(0, 0, 15), "pickup_reminded_at IS NULL", 500)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		sent := false
		err := s.st.Tx(ctx, func(q *store.Q) error {
			c, err := q.CaseByID(id)
			if err != nil || c.PickupDueAt == nil {
				return err
			}
			if s.calendar().WorkingDaysLeft(now, *c.PickupDueAt) > calendar.PickupReminderWorkingDays {
				return nil
			}
			ok, err := q.MarkPickupReminded(c.ID, now)
			if err != nil || !ok {
				return err
			}
			msgs, err := notify.Messages(q, &c, notify.PickupReminder, notify.Detail{})
			if err != nil {
				return err
			}
			sent = true
			return q.Enqueue(now, msgs...)
		})
		if err != nil {
			return n, err
		}
		if sent {
			n++
		}
	}
	return n, nil
}

// DailyDigest sends every supervisor the count of overdue cases under its
// division, once a day across all instances.
func (s *Service) DailyDigest(ctx context.Context) (int, error) {
	now := s.now()
	day := now.In(calendar.Location()).Format(calendar.DateLayout)
	n := 0
	// Claimed and enqueued in one transaction: a failure part-way leaves the
	// day unclaimed for the next run instead of a lost digest.
	err := s.st.Tx(ctx, func(q *store.Q) error {
		n = 0
		ok, err := q.ClaimJobRun("overdue_digest", day)
		if err != nil || !ok {
			return err
		}
		sups, err := q.SupervisorsForDigest()
		if err != nil {
			return err
		}
		for _, sup := range sups {
			cnt, err := q.OverdueCount(sup.ScopeDivision, now)
			if err != nil {
				return err
			}
			if cnt == 0 {
				continue
			}
			if err := q.Enqueue(now, notify.OverdueDigest(sup.ID, day, cnt)); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}
