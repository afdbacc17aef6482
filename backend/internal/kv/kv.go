// Package kv opens the Redis side of the service: a real server named by a
// redis:// URL, or an in-process miniredis in embedded mode, so the same
// go-redis code runs in both. Cache is the small prefixed cache the service
// layer reaches through its Cache interface.
package kv

import (
	"context"
	"fmt"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// Redis is an open client and, in embedded mode, the server behind it.
type Redis struct {
	Client *redis.Client
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

// Open connects to the Redis of url, or starts an in-process one when url is
// empty. Short timeouts make a stopped server show up in health checks fast.
func Open(ctx context.Context, url string, poolSize int) (*Redis, error) {
	r := &Redis{}
	var opts *redis.Options
	if url == "" {
		m := miniredis.NewMiniRedis()
		if err := m.StartAddr("127.0.0.1:0"); err != nil {
			return nil, fmt.Errorf("start the embedded Redis: %w", err)
		}
		r.mini = m
		opts = &redis.Options{Addr: m.Addr()}
		r.where = "embedded miniredis " + m.Addr()
	} else {
		o, err := redis.ParseURL(url)
		if err != nil {
			return nil, fmt.Errorf("IDCARD_REDIS_URL: %w", err)
		}
		opts = o
		r.where = fmt.Sprintf("redis %s/%d", o.Addr, o.DB)
	}
	if poolSize > 0 {
		opts.PoolSize = poolSize
	}
	opts.DialTimeout = 2 * time.Second
	opts.ReadTimeout = 2 * time.Second
	opts.WriteTimeout = 2 * time.Second
	opts.PoolTimeout = 3 * time.Second
	r.Client = redis.NewClient(opts)
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := r.Client.Ping(pctx).Err(); err != nil {
		_ = r.Close()
		return nil, fmt.Errorf("IDCARD_REDIS_URL: cannot reach Redis at %s: %w", opts.Addr, err)
	}
	return r, nil
}

// Cache is a key-value cache on Redis whose keys all start with one prefix,
// so tests and deployments sharing a server keep apart. It is safe for
// concurrent use.
type Cache struct {
	c      *redis.Client
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
func NewCache(c *redis.Client, prefix string) *Cache {
	return &Cache{c: c, prefix: KeyPrefix(prefix)}
}

// Get returns the values of keys in order, nil where one is missing.
func (k *Cache) Get(ctx context.Context, keys []string) ([][]byte, error) {
	full := make([]string, len(keys))
	for i, key := range keys {
		full[i] = k.prefix + key
	}
	vals, err := k.c.MGet(ctx, full...).Result()
	if err != nil {
		return nil, err
	}
	out := make([][]byte, len(vals))
	for i, v := range vals {
		if s, ok := v.(string); ok {
			out[i] = []byte(s)
		}
	}
	return out, nil
}

// Set keeps every value under its key for ttl, in one round trip.
func (k *Cache) Set(ctx context.Context, values map[string][]byte, ttl time.Duration) error {
	_, err := k.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for key, v := range values {
			p.Set(ctx, k.prefix+key, v, ttl)
		}
		return nil
	})
	return err
}
