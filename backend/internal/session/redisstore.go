package session

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisStore is the scs store of the sessions on Redis: one key per session,
// prefix+token, holding the encoded session with the session's expiry as
// its TTL. It takes go-redis's universal client, so it runs on one server,
// behind Sentinel or on a Redis Cluster alike: each command names one key.
// The key layout is that of scs's goredisstore, which it replaces, so
// sessions written before survive the switch.
type redisStore struct {
	client redis.UniversalClient
	prefix string
}

// FindCtx implements scs.CtxStore.
func (r redisStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	b, err := r.client.Get(ctx, r.prefix+token).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return b, true, nil
}

// CommitCtx implements scs.CtxStore. A session already past its expiry is
// deleted (a zero TTL would keep it for ever).
func (r redisStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	ttl := time.Until(expiry)
	if ttl <= 0 {
		return r.DeleteCtx(ctx, token)
	}
	return r.client.Set(ctx, r.prefix+token, b, ttl).Err()
}

// DeleteCtx implements scs.CtxStore.
func (r redisStore) DeleteCtx(ctx context.Context, token string) error {
	return r.client.Del(ctx, r.prefix+token).Err()
}

// Find implements scs.Store.
func (r redisStore) Find(token string) ([]byte, bool, error) {
	return r.FindCtx(context.Background(), token)
}

// Commit implements scs.Store.
func (r redisStore) Commit(token string, b []byte, expiry time.Time) error {
	return r.CommitCtx(context.Background(), token, b, expiry)
}

// Delete implements scs.Store.
func (r redisStore) Delete(token string) error { return r.DeleteCtx(context.Background(), token) }
