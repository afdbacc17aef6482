package wechat

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gzga/idcard/backend/internal/domain"
)

// pollEvery is how often a caller waiting for another's token fetch looks.
const pollEvery = 25 * time.Millisecond

// AccessToken is the app's access token, shared by every instance through
// Redis. When none is cached, one caller (by a Redis lock, SET NX PX)
// fetches it from /cgi-bin/token and caches it until TokenMargin before it
// expires; the others wait for it and read the cached one.
func (c *Client) AccessToken(ctx context.Context) (string, error) {
	if c.rdb == nil {
		return "", fmt.Errorf("wechat: no Redis for the access token of %s", c.appID)
	}
	owner := randomID()
	deadline := time.Now().Add(c.lockWait)
	for {
		tok, err := c.rdb.Get(ctx, c.tokenKey).Result()
		if err == nil {
			return tok, nil
		}
		if !errors.Is(err, redis.Nil) {
			return "", domain.Wrap(domain.CodeUnavailable, fmt.Errorf("wechat token cache: %w", err))
		}
		won, err := c.rdb.SetNX(ctx, c.lockKey, owner, c.lockWait).Result()
		if err != nil {
			return "", domain.Wrap(domain.CodeUnavailable, fmt.Errorf("wechat token lock: %w", err))
		}
		if won {
			return c.fetchLocked(ctx, owner)
		}
		if time.Now().After(deadline) {
			return "", domain.Wrap(domain.CodeUnavailable, fmt.Errorf("wechat token: another instance is still fetching it"))
		}
		select {
		case <-ctx.Done():
			return "", domain.Wrap(domain.CodeUnavailable, ctx.Err())
		case <-time.After(pollEvery):
		}
	}
}

// fetchLocked fetches and caches the token while holding the lock owner.
func (c *Client) fetchLocked(ctx context.Context, owner string) (string, error) {
	defer func() { _ = c.deleteIf.Run(context.WithoutCancel(ctx), c.rdb, []string{c.lockKey}, owner).Err() }()
	// Another instance may have cached one between our read and the lock.
	if tok, err := c.rdb.Get(ctx, c.tokenKey).Result(); err == nil {
		return tok, nil
	}
	var t struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	q := url.Values{"grant_type": {"client_credential"}, "appid": {c.appID}, "secret": {c.secret}}
	if err := c.call(ctx, "GET", "/cgi-bin/token", q, nil, &t); err != nil {
		return "", err
	}
	if t.AccessToken == "" {
		return "", domain.Wrap(domain.CodeUnavailable, fmt.Errorf("wechat /cgi-bin/token: no access_token in the answer"))
	}
	life := time.Duration(t.ExpiresIn)*time.Second - c.margin
	if life <= 0 {
		life = time.Duration(t.ExpiresIn) * time.Second / 2
	}
	if life > 0 {
		if err := c.rdb.Set(ctx, c.tokenKey, t.AccessToken, life).Err(); err != nil {
			return "", domain.Wrap(domain.CodeUnavailable, fmt.Errorf("wechat token cache: %w", err))
		}
	}
	return t.AccessToken, nil
}

// DropToken removes the cached token if it is still token: a caller whose
// call WeChat rejected never drops the newer token another has fetched.
func (c *Client) DropToken(ctx context.Context, token string) error {
	if err := c.deleteIf.Run(ctx, c.rdb, []string{c.tokenKey}, token).Err(); err != nil {
		return domain.Wrap(domain.CodeUnavailable, fmt.Errorf("wechat token cache: %w", err))
	}
	return nil
}

// deleteIfScript deletes KEYS[1] only when it holds ARGV[1].
const deleteIfScript = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`

func randomID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
