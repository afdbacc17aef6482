// Package kv opens the Redis side of the service: a real server named by a
// redis:// URL, or an in-process miniredis in embedded mode, so the same
// go-redis code runs in both. Cache is the small prefixed cache the service
// layer reaches through its Cache interface.
package kv

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// Redis is an open client and, in embedded mode, the server behind it.
type Redis struct {
	// Client is a single-node client, a Sentinel failover client or a
	// Cluster client; every key the service uses is slot-safe (one key per
	// command, or per pipelined command), so callers need not know which.
	Client redis.UniversalClient
	mini   *miniredis.Miniredis
	where  string
}

// Where describes the server for logs, without credentials.
func (r *Redis) Where() string { return r.where }

// Embedded reports whether the server runs in this process.
func (r *Redis) Embedded() bool { return r.mini != nil }

// Ping checks that Redis answers.
func (r *Redis) Ping(ctx context.Context) error { return r.Client.Ping(ctx).Err() }

// Close closes the client and stops the embedded server.
func (r *Redis) Close() error {
	err := r.Client.Close()
	if r.mini != nil {
		r.mini.Close()
	}
	return err
}

// DefaultTimeout bounds each Redis command when nothing else is said
// (config's IDCARD_REDIS_TIMEOUT default).
const DefaultTimeout = 2 * time.Second

// Open connects to the Redis of url, or starts an in-process one when url is
// empty, with every command bounded by DefaultTimeout.
func Open(ctx context.Context, url string, poolSize int) (*Redis, error) {
	return OpenTimeout(ctx, url, poolSize, DefaultTimeout)
}

// Target names the Redis to open: a redis:// URL, or Sentinel addresses
// with the master's name (the client follows a failover), or Redis Cluster
// seeds. All empty = an in-process miniredis.
type Target struct {
	URL       string
	Sentinels []string
	Master    string
	Cluster   []string
}

// OpenTimeout is Open with every command bounded by timeout: its context,
// its dial, each read and write, and the wait for a pooled connection, so a
// stopped or hung server fails the command (and health checks) fast
// instead of hanging the request.
func OpenTimeout(ctx context.Context, url string, poolSize int, timeout time.Duration) (*Redis, error) {
	return OpenTarget(ctx, Target{URL: url}, poolSize, timeout)
}

// OpenTarget is OpenTimeout on any Target, through go-redis's universal
// client: Sentinel gives a failover client that asks the Sentinels for the
// master and moves to a promoted replica; Cluster seeds give a cluster
// client (even from one seed) that routes each key to its slot's master and
// follows MOVED/ASK redirections.
func OpenTarget(ctx context.Context, t Target, poolSize int, timeout time.Duration) (*Redis, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	r := &Redis{}
	var opts *redis.Options
	switch {
	case len(t.Cluster) > 0:
		u := &redis.UniversalOptions{Addrs: t.Cluster, IsClusterMode: true}
		applyBounds(u, poolSize, timeout)
		r.Client = redis.NewUniversalClient(u)
		r.where = "redis cluster " + strings.Join(t.Cluster, ",")
		return r.check(ctx, timeout, "IDCARD_REDIS_CLUSTER", strings.Join(t.Cluster, ","))
	case len(t.Sentinels) > 0:
		u := &redis.UniversalOptions{Addrs: t.Sentinels, MasterName: t.Master}
		applyBounds(u, poolSize, timeout)
		r.Client = redis.NewUniversalClient(u)
		r.where = fmt.Sprintf("redis sentinel %s master %q", strings.Join(t.Sentinels, ","), t.Master)
		return r.check(ctx, timeout, "IDCARD_REDIS_SENTINELS", "master "+t.Master)
	case t.URL == "":
		m := miniredis.NewMiniRedis()
		if err := m.StartAddr("127.0.0.1:0"); err != nil {
			return nil, fmt.Errorf("start the embedded Redis: %w", err)
		}
		r.mini = m
		opts = &redis.Options{Addr: m.Addr()}
		r.where = "embedded miniredis " + m.Addr()
	default:
		o, err := redis.ParseURL(t.URL)
		if err != nil {
			return nil, fmt.Errorf("IDCARD_REDIS_URL: %w", err)
		}
		opts = o
		r.where = fmt.Sprintf("redis %s/%d", o.Addr, o.DB)
	}
	if poolSize > 0 {
		opts.PoolSize = poolSize
	}
	opts.DialTimeout = timeout
	opts.ReadTimeout = timeout
	opts.WriteTimeout = timeout
	opts.PoolTimeout = timeout
	opts.ContextTimeoutEnabled = true
	r.Client = redis.NewClient(opts)
	return r.check(ctx, timeout, "IDCARD_REDIS_URL", opts.Addr)
}

// applyBounds sets the pool size and the per-command bounds of OpenTimeout
// on universal options.
func applyBounds(u *redis.UniversalOptions, poolSize int, timeout time.Duration) {
	if poolSize > 0 {
		u.PoolSize = poolSize
	}
	u.DialTimeout = timeout
	u.ReadTimeout = timeout
	u.WriteTimeout = timeout
	u.PoolTimeout = timeout
	u.ContextTimeoutEnabled = true
}

// check adds the deadline hook to the opened client and pings it; a server
// that does not answer within 5 s is an error naming the variable.
func (r *Redis) check(ctx context.Context, timeout time.Duration, name, addr string) (*Redis, error) {
	r.Client.AddHook(deadline(timeout))
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := r.Client.Ping(pctx).Err(); err != nil {
		_ = r.Close()
		return nil, fmt.Errorf("%s: cannot reach Redis at %s: %w", name, addr, err)
	}
	return r, nil
}

// deadline is a go-redis hook that gives each command (and pipeline, and
// dial) its own context bounded by the timeout, retries included, whatever
// the caller's context allows.
type deadline time.Duration

// DialHook bounds a dial.
func (d deadline) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		ctx, cancel := context.WithTimeout(ctx, time.Duration(d))
		defer cancel()
		return next(ctx, network, addr)
	}
}

// ProcessHook bounds one command.
func (d deadline) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		ctx, cancel := context.WithTimeout(ctx, time.Duration(d))
		defer cancel()
		return next(ctx, cmd)
	}
}

// ProcessPipelineHook bounds one pipeline or MULTI/EXEC transaction.
func (d deadline) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		ctx, cancel := context.WithTimeout(ctx, time.Duration(d))
		defer cancel()
		return next(ctx, cmds)
	}
}

// Cache is a key-value cache on Redis whose keys all start with one prefix,
// so tests and deployments sharing a server keep apart. It is safe for
// concurrent use.
type Cache struct {
	c      redis.UniversalClient
	prefix string
}

// KeyPrefix is prefix, or "idcard:" when it is empty: the start of every
// Redis key of the service.
func KeyPrefix(prefix string) string {
	if prefix == "" {
		return "idcard:"
	}
	return prefix
}

// NewCache returns a Cache on c under KeyPrefix(prefix).
func NewCache(c redis.UniversalClient, prefix string) *Cache {
	return &Cache{c: c, prefix: KeyPrefix(prefix)}
}

// Get returns the values of keys in order, nil where one is missing, in
// one round trip: a pipeline of single-key GETs rather than an MGET, since
// the keys of one call hash to different slots of a Redis Cluster (whose
// client sends each node its share of the pipeline).
func (k *Cache) Get(ctx context.Context, keys []string) ([][]byte, error) {
	cmds := make([]*redis.StringCmd, len(keys))
	_, err := k.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, key := range keys {
			cmds[i] = p.Get(ctx, k.prefix+key)
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, err
	}
	out := make([][]byte, len(keys))
	for i, c := range cmds {
		b, err := c.Bytes()
		switch {
		case errors.Is(err, redis.Nil):
		case err != nil:
			return nil, err
		default:
			out[i] = b
		}
	}
	return out, nil
}

// Set keeps every value under its key for ttl, in one round trip (a
// pipeline of single-key SETs, slot-safe as Get).
func (k *Cache) Set(ctx context.Context, values map[string][]byte, ttl time.Duration) error {
	_, err := k.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for key, v := range values {
			p.Set(ctx, k.prefix+key, v, ttl)
		}
		return nil
	})
	return err
}
