package notify

import (
	"encoding/binary"
	"hash/fnv"
	"time"
)

// retryPolicy is how a channel retries a failed send: the delay doubles
// from base up to ceiling, and the attempts-th failure makes the message
// a dead letter.
type retryPolicy struct {
	base, ceiling time.Duration
	attempts      int
}

// policyOf is each channel's policy. In-app delivery only fails with the
// database, so it retries soon; WeChat's quota and busy errors pass within
// minutes; an SMS gateway's faults likewise.
func policyOf(channel string) retryPolicy {
	switch channel {
	case ChannelInApp:
		return retryPolicy{base: 5 * time.Second, ceiling: 10 * time.Minute, attempts: 8}
	case ChannelWeChat:
		return retryPolicy{base: 30 * time.Second, ceiling: time.Hour, attempts: 8}
	case ChannelSMS:
		return retryPolicy{base: 20 * time.Second, ceiling: time.Hour, attempts: 8}
	}
	return retryPolicy{base: 10 * time.Second, ceiling: time.Hour, attempts: 8}
}

// MaxAttempts is how many attempts a message of channel gets before it is
// a dead letter.
func MaxAttempts(channel string) int { return policyOf(channel).attempts }

// RetryDelay is how long after its attempt-th failed attempt (1 = the
// first) message id of channel waits: the channel's doubling delay d, cut
// to its ceiling, with "equal jitter" — d/2 plus a part of d/2 drawn from
// id and attempt — so that messages that failed together (a channel down)
// do not all come back in the same second, and a test can compute it.
// The delays of one message grow until the ceiling; they are whole
// microseconds.
func RetryDelay(channel string, id int64, attempt int) time.Duration {
	p := policyOf(channel)
	d := p.base
	for n := 1; n < attempt && d < p.ceiling; n++ {
		d *= 2
	}
	d = min(d, p.ceiling)
	half := d / 2
	h := fnv.New64a()
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(id))
	binary.BigEndian.PutUint64(b[8:], uint64(attempt))
	_, _ = h.Write(b[:])
	// Whole microseconds, as the store keeps times.
	return (half + time.Duration(h.Sum64()%uint64(half))).Truncate(time.Microsecond)
}
