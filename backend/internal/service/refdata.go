package service

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/gzga/idcard/backend/internal/store"
)

// Reference data in process: the offices change a few times a year (an
// admin's edit) and are read by every case view, so each instance keeps
// them all in memory. An edit bumps a version key in the shared cache
// (Redis); every instance compares its copy's version with that key at most
// once per refVersionEvery and reloads on a difference, so the edit reaches
// all instances within that time and the instance that made it at once.
// The working-day calendar is kept likewise (Service.cal, reloaded by the
// jobs and after an import).

// refVersionKey holds the version of the offices in the shared cache.
const refVersionKey = "ref:offices:version"

// refVersionEvery bounds how often an instance asks for the version.
const refVersionEvery = time.Second

// officeCache is the in-process copy of the offices table.
type officeCache struct {
	mu      sync.Mutex
	byID    map[int64]store.Office
	version string    // the shared version the copy was read at
	checked time.Time // when the version was last asked for
}

// offices returns the office of each id: from the in-process copy, read
// again when the shared version moved, and from the database for an id the
// copy lacks (an office added since).
func (s *Service) offices(ctx context.Context, q *store.Q, ids []int64) (map[int64]store.Office, error) {
	byID, err := s.officeCopy(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]store.Office, len(ids))
	var missing []int64
	for _, id := range ids {
		if o, ok := byID[id]; ok {
			out[id] = o
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		more, err := q.OfficesByIDs(missing)
		if err != nil {
			return nil, err
		}
		for id, o := range more {
			out[id] = o
		}
	}
	return out, nil
}

// office is offices for one id; store.ErrNotFound when there is none.
func (s *Service) office(ctx context.Context, q *store.Q, id int64) (store.Office, error) {
	m, err := s.offices(ctx, q, []int64{id})
	if err != nil {
		return store.Office{}, err
	}
	o, ok := m[id]
	if !ok {
		return store.Office{}, store.ErrNotFound
	}
	return o, nil
}

// officeCopy returns the current in-process copy of the offices.
func (s *Service) officeCopy(ctx context.Context, q *store.Q) (map[int64]store.Office, error) {
	c := &s.refs
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	if c.byID != nil && now.Sub(c.checked) < refVersionEvery {
		return c.byID, nil
	}
	version := c.version
	if s.cache != nil {
		if vals, err := s.cache.Get(ctx, []string{refVersionKey}); err == nil && vals[0] != nil {
			version = string(vals[0])
		}
	}
	c.checked = now
	if c.byID != nil && version == c.version {
		return c.byID, nil
	}
	all, err := q.AllOffices()
	if err != nil {
		return nil, err
	}
	c.byID = make(map[int64]store.Office, len(all))
	for _, o := range all {
		c.byID[o.ID] = o
	}
	c.version = version
	return c.byID, nil
}

// officesChanged drops this instance's copy and tells the others, after an
// edit of the offices has committed.
func (s *Service) officesChanged(ctx context.Context) {
	c := &s.refs
	c.mu.Lock()
	c.byID = nil
	c.mu.Unlock()
	if s.cache == nil {
		return
	}
	v := strconv.FormatInt(time.Now().UnixNano(), 36)
	if err := s.cache.Set(ctx, map[string][]byte{refVersionKey: []byte(v)}, 0); err != nil {
		s.log.WarnContext(ctx, "reference version", "error", err)
	}
}
