package config_test

import (
	"errors"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/config"
)

// TestDependencyTimeouts: the database and Redis deadlines default to a few
// seconds, take a duration, and refuse one that is not positive or too long
// to keep openapi.yaml's 503 within 5 s meaningful.
func TestDependencyTimeouts(t *testing.T) {
	load := func(env map[string]string) (config.Config, error) {
		return config.Load(func(k string) string { return env[k] }, nil, nil)
	}
	c, err := load(nil)
	if err != nil || c.DBTimeout != 3*time.Second || c.RedisTimeout != 2*time.Second {
		t.Fatalf("defaults: db %s, redis %s, %v; want 3s and 2s", c.DBTimeout, c.RedisTimeout, err)
	}
	c, err = load(map[string]string{"IDCARD_DB_TIMEOUT": "1500ms", "IDCARD_REDIS_TIMEOUT": "1s"})
	if err != nil || c.DBTimeout != 1500*time.Millisecond || c.RedisTimeout != time.Second {
		t.Fatalf("set: db %s, redis %s, %v", c.DBTimeout, c.RedisTimeout, err)
	}
	for _, tc := range []struct{ name, val string }{
		{"IDCARD_DB_TIMEOUT", "0s"}, {"IDCARD_DB_TIMEOUT", "soon"}, {"IDCARD_REDIS_TIMEOUT", "-1s"}, {"IDCARD_REDIS_TIMEOUT", "1m"},
	} {
		_, err := load(map[string]string{tc.name: tc.val})
		var ce *config.Error
		if !errors.As(err, &ce) || ce.Name != tc.name {
			t.Errorf("%s=%s: got %v, want an error naming %s", tc.name, tc.val, err, tc.name)
		}
	}
}
