package session

import (
	"context"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// TestRedisStore keeps a session under goredisstore's key (prefix+token, so
// sessions written before the switch still load) with the session's expiry
// as TTL, finds and deletes it, and deletes rather than keeps for ever a
// session committed past its expiry.
func TestRedisStore(t *testing.T) {
	m := miniredis.RunT(t)
	c := redis.NewClient(&redis.Options{Addr: m.Addr()})
	defer c.Close()
	ctx := context.Background()
	s := redisStore{client: c, prefix: "idcard:sess:idcard_staff:"}
	if err := s.CommitCtx(ctx, "tok", []byte("data"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if v, _ := m.Get("idcard:sess:idcard_staff:tok"); v != "data" {
		t.Fatalf("stored %q under the goredisstore key", v)
	}
	if ttl := m.TTL("idcard:sess:idcard_staff:tok"); ttl <= 59*time.Minute || ttl > time.Hour {
		t.Fatalf("TTL %v, want the hour to the expiry", ttl)
	}
	if b, ok, err := s.FindCtx(ctx, "tok"); err != nil || !ok || string(b) != "data" {
		t.Fatalf("find: %q %v %v", b, ok, err)
	}
	if _, ok, err := s.FindCtx(ctx, "other"); err != nil || ok {
		t.Fatalf("find of an unknown token: %v %v", ok, err)
	}
	if err := s.CommitCtx(ctx, "tok", []byte("late"), time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if m.Exists("idcard:sess:idcard_staff:tok") {
		t.Fatal("a session committed past its expiry was kept")
	}
	_ = s.CommitCtx(ctx, "tok", []byte("data"), time.Now().Add(time.Hour))
	if err := s.Delete("tok"); err != nil || m.Exists("idcard:sess:idcard_staff:tok") {
		t.Fatalf("delete: %v", err)
	}
}
