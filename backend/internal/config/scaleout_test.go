package config_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/config"
)

// TestScaleOut: replicas, Sentinel, Cluster seeds and the drain delay are
// read as lists and durations; a replica without a primary, two ways to
// Redis at once, a Sentinel list without its master name, a Cluster with
// one and a bad address are refused by name.
func TestScaleOut(t *testing.T) {
	load := func(env map[string]string) (config.Config, error) {
		return config.Load(func(k string) string { return env[k] }, nil, nil)
	}
	primary := "root@tcp(127.0.0.1:13306)/idcard"
	c, err := load(map[string]string{
		"IDCARD_MYSQL_DSN": primary, "IDCARD_DEMO": "true",
		"IDCARD_MYSQL_REPLICA_DSNS": " root@tcp(127.0.0.1:13307)/idcard , root@tcp(127.0.0.1:13308)/idcard,",
		"IDCARD_REDIS_SENTINELS":    "127.0.0.1:26379,127.0.0.1:26380", "IDCARD_REDIS_MASTER": "idcard",
		"IDCARD_DRAIN_DELAY": "3s",
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.ReplicaDSNs, []string{"root@tcp(127.0.0.1:13307)/idcard", "root@tcp(127.0.0.1:13308)/idcard"}) ||
		!slices.Equal(c.RedisSentinels, []string{"127.0.0.1:26379", "127.0.0.1:26380"}) || c.RedisMaster != "idcard" ||
		c.DrainDelay != 3*time.Second || c.ReplicaMaxLag != 2*time.Second || c.EmbeddedRedis() {
		t.Fatalf("parsed %+v", c.ScaleOut)
	}
	c, err = load(map[string]string{"IDCARD_REDIS_CLUSTER": "127.0.0.1:17100, 127.0.0.1:17101"})
	if err != nil || !slices.Equal(c.RedisCluster, []string{"127.0.0.1:17100", "127.0.0.1:17101"}) || c.EmbeddedRedis() {
		t.Fatalf("cluster: %+v, %v", c.ScaleOut, err)
	}
	c, err = load(nil)
	if err != nil || c.DrainDelay != 0 || len(c.ReplicaDSNs) != 0 || !c.EmbeddedRedis() {
		t.Fatalf("defaults: %+v, %v", c.ScaleOut, err)
	}
	for _, tc := range []struct {
		want string
		env  map[string]string
	}{
		{"IDCARD_MYSQL_REPLICA_DSNS", map[string]string{"IDCARD_MYSQL_REPLICA_DSNS": "root@tcp(127.0.0.1:13307)/idcard"}},
		{"IDCARD_MYSQL_REPLICA_DSNS", map[string]string{"IDCARD_MYSQL_DSN": primary, "IDCARD_DEMO": "true", "IDCARD_MYSQL_REPLICA_DSNS": "tcp(:1"}},
		{"IDCARD_REDIS_SENTINELS", map[string]string{"IDCARD_REDIS_URL": "redis://x:6379/0", "IDCARD_REDIS_SENTINELS": "a:1", "IDCARD_REDIS_MASTER": "m"}},
		{"IDCARD_REDIS_SENTINELS", map[string]string{"IDCARD_REDIS_CLUSTER": "a:1", "IDCARD_REDIS_SENTINELS": "a:1", "IDCARD_REDIS_MASTER": "m"}},
		{"IDCARD_REDIS_MASTER", map[string]string{"IDCARD_REDIS_SENTINELS": "a:1"}},
		{"IDCARD_REDIS_SENTINELS", map[string]string{"IDCARD_REDIS_SENTINELS": "nohost", "IDCARD_REDIS_MASTER": "m"}},
		{"IDCARD_REDIS_CLUSTER", map[string]string{"IDCARD_REDIS_CLUSTER": "a:1,b"}},
		{"IDCARD_REDIS_CLUSTER", map[string]string{"IDCARD_REDIS_CLUSTER": "a:1,b:"}},
		{"IDCARD_REDIS_MASTER", map[string]string{"IDCARD_REDIS_CLUSTER": "a:1", "IDCARD_REDIS_MASTER": "m"}},
		{"IDCARD_REDIS_SENTINELS", map[string]string{"IDCARD_REDIS_URL": "redis://x:6379/0", "IDCARD_REDIS_CLUSTER": "a:1"}},
		{"IDCARD_DRAIN_DELAY", map[string]string{"IDCARD_DRAIN_DELAY": "2h"}},
		{"IDCARD_MYSQL_REPLICA_MAX_LAG", map[string]string{"IDCARD_MYSQL_REPLICA_MAX_LAG": "0s"}},
	} {
		_, err := load(tc.env)
		var ce *config.Error
		if !errors.As(err, &ce) || ce.Name != tc.want {
			t.Errorf("%v: got %v, want an error naming %s", tc.env, err, tc.want)
		}
	}
}
