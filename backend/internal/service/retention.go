package service

import (
	"context"
	"errors"
	"time"

	"github.com/gzga/idcard/backend/internal/store"
)

// DefaultRetention is how long a finished case keeps its personal data
// when Options.Retention is not set: five years (IDCARD_RETENTION_YEARS).
const DefaultRetention = 5 * 365 * 24 * time.Hour

// retentionBatch is how many cases one transaction erases.
const retentionBatch = 100

// EraseExpiredPersonalData is the retention job (personal-data minimum): the
// finished cases closed longer ago than the retention period lose their
// personal data (store.ErasePersonalData: mail recipient, phone and address,
// the signer, the uploaded photo), keeping everything the statistics count.
// Each case erased is audited (retention.erase, by the system) in the
// transaction that erases it. It returns how many cases it erased.
func (s *Service) EraseExpiredPersonalData(ctx context.Context) (int, error) {
	now := s.now()
	before := now.Add(-s.retention)
	total := 0
	for {
		cs, err := s.st.Q(ctx).ExpiredCases(before, retentionBatch)
		if err != nil {
			return total, s.internal(ctx, "retention", err)
		}
		if len(cs) == 0 {
			return total, nil
		}
		n := 0
		err = s.st.Tx(ctx, func(q *store.Q) error {
			n = 0
			for i := range cs {
				c := &cs[i]
				if err := q.ErasePersonalData(c, now); errors.Is(err, store.ErrStale) {
					continue // another instance erased it meanwhile
				} else if err != nil {
					return err
				}
				n++
				if err := q.AppendAudit(&store.AuditEntry{ActorKind: store.ActorSystem, ActorName: "retention", Role: "system",
					Action: "retention.erase", ObjectType: "case", ObjectID: c.No, Outcome: store.OutcomeOK,
					Detail: detail(map[string]any{"closed_at": c.ClosedAt, "retention_days": int(s.retention.Hours() / 24),
						"photo": c.PhotoID != nil, "mail": c.Collection == "mail"})}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return total, s.internal(ctx, "retention", err)
		}
		total += n
		if len(cs) < retentionBatch {
			return total, nil
		}
	}
}
