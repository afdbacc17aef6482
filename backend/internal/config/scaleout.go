package config

import (
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
)

// ScaleOut is the part of the configuration that only a deployment of
// several instances needs: read replicas, Redis Sentinel or Cluster, and
// the drain before a stop.
type ScaleOut struct {
	ReplicaDSNs    []string      // IDCARD_MYSQL_REPLICA_DSNS: read replicas for staff lists, dashboards, exports.
	ReplicaMaxLag  time.Duration // IDCARD_MYSQL_REPLICA_MAX_LAG: a replica further behind is not read from.
	RedisSentinels []string      // IDCARD_REDIS_SENTINELS: Sentinel host:port list, with IDCARD_REDIS_MASTER.
	RedisMaster    string        // IDCARD_REDIS_MASTER: the master name the Sentinels watch.
	RedisCluster   []string      // IDCARD_REDIS_CLUSTER: Redis Cluster seed host:port list.
	DrainDelay     time.Duration // IDCARD_DRAIN_DELAY: on SIGTERM, how long /readyz answers 503 before the listener closes.
}

func loadScaleOut(env *reader) ScaleOut {
	return ScaleOut{
		ReplicaDSNs:    list(env.str("IDCARD_MYSQL_REPLICA_DSNS", "")),
		ReplicaMaxLag:  env.duration("IDCARD_MYSQL_REPLICA_MAX_LAG", 2*time.Second),
		RedisSentinels: list(env.str("IDCARD_REDIS_SENTINELS", "")),
		RedisMaster:    env.str("IDCARD_REDIS_MASTER", ""),
		RedisCluster:   list(env.str("IDCARD_REDIS_CLUSTER", "")),
		DrainDelay:     env.duration("IDCARD_DRAIN_DELAY", 0),
	}
}

// list splits a comma-separated value, dropping blanks.
func list(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// validateScaleOut returns an *Error naming the first bad scale-out value:
// replicas need a primary and parse as DSNs; Redis is one of a URL,
// Sentinels with a master name, or Cluster seeds (no master name), every
// address a host:port.
func (s ScaleOut) validateScaleOut(primary, redisURL string) error {
	if len(s.ReplicaDSNs) > 0 && primary == "" {
		return &Error{"IDCARD_MYSQL_REPLICA_DSNS", "replicas need a primary: set IDCARD_MYSQL_DSN"}
	}
	for i, dsn := range s.ReplicaDSNs {
		if _, err := mysql.ParseDSN(dsn); err != nil {
			return &Error{"IDCARD_MYSQL_REPLICA_DSNS", fmt.Sprintf("replica %d: cannot parse the DSN: %v", i+1, err)}
		}
	}
	if s.ReplicaMaxLag <= 0 {
		return &Error{"IDCARD_MYSQL_REPLICA_MAX_LAG", "must be a positive duration"}
	}
	if s.DrainDelay < 0 || s.DrainDelay > time.Minute {
		return &Error{"IDCARD_DRAIN_DELAY", "must be between 0s and 1m"}
	}
	ways := 0
	for _, set := range []bool{redisURL != "", len(s.RedisSentinels) > 0, len(s.RedisCluster) > 0} {
		if set {
			ways++
		}
	}
	if ways > 1 {
		return &Error{"IDCARD_REDIS_SENTINELS", "set only one of IDCARD_REDIS_URL, IDCARD_REDIS_SENTINELS or IDCARD_REDIS_CLUSTER"}
	}
	if len(s.RedisCluster) > 0 && s.RedisMaster != "" {
		return &Error{"IDCARD_REDIS_MASTER", "a Redis Cluster has no master name: unset IDCARD_REDIS_MASTER with IDCARD_REDIS_CLUSTER"}
	}
	if (len(s.RedisSentinels) > 0) != (s.RedisMaster != "") {
		return &Error{"IDCARD_REDIS_MASTER", "IDCARD_REDIS_SENTINELS and IDCARD_REDIS_MASTER go together"}
	}
	for _, v := range []struct {
		name  string
		addrs []string
	}{{"IDCARD_REDIS_SENTINELS", s.RedisSentinels}, {"IDCARD_REDIS_CLUSTER", s.RedisCluster}} {
		for _, a := range v.addrs {
			if h, p, err := net.SplitHostPort(a); err != nil || h == "" || p == "" {
				return &Error{v.name, fmt.Sprintf("not a host:port address (%q)", a)}
			}
		}
	}
	return nil
}
