package service

import (
	"context"

	"github.com/gzga/idcard/backend/internal/store"
)

// ReplicaReads marks ctx's reads as ones a read replica may answer: staff
// lists, dashboards and exports, where a second of lag is no harm. Without
// the mark every read goes to the primary, so an applicant or an officer
// always sees their own last action.
func ReplicaReads(ctx context.Context) context.Context { return store.FromReplica(ctx) }
