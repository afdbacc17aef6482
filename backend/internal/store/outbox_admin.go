package store

import "time"

// OutboxCount is how many messages of a channel are in a state.
type OutboxCount struct {
	State   string
	Channel string
	N       int64
}

// OutboxCounts counts the outbox by state and channel.
func (q *Q) OutboxCounts() ([]OutboxCount, error) {
	var out []OutboxCount
	err := q.g.Model(&OutboxMessage{}).Select("state, channel, COUNT(*) AS n").Group("state, channel").
		Order("state, channel").Scan(&out).Error
	return out, translate(err)
}

// DeadLetter is a dead outbox message with its case's number ("" for none).
type DeadLetter struct {
	OutboxMessage
	CaseNo string
}

// DeadLetters lists dead messages newest first (by dead_at, then id),
// optionally of one channel, limit from offset.
func (q *Q) DeadLetters(channel string, offset, limit int) ([]DeadLetter, error) {
	var out []DeadLetter
	g := q.g.Table("outbox o").Select("o.*, COALESCE(c.no, '') AS case_no").
		Joins("LEFT JOIN cases c ON c.id = o.case_id").Where("o.state = ?", OutboxDead)
	if channel != "" {
		g = g.Where("o.channel = ?", channel)
	}
	err := g.Order("o.dead_at DESC, o.id DESC").Offset(offset).Limit(limit).Scan(&out).Error
	return out, translate(err)
}

// OutboxAttemptsOf returns the attempts of the messages ids, each message's
// in order.
func (q *Q) OutboxAttemptsOf(ids []int64) (map[int64][]OutboxAttempt, error) {
	out := map[int64][]OutboxAttempt{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []OutboxAttempt
	if err := q.g.Where("outbox_id IN ?", ids).Order("outbox_id, id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	for _, a := range rows {
		out[a.OutboxID] = append(out[a.OutboxID], a)
	}
	return out, nil
}

// RetryDeadLetters brings dead messages back — message id when id > 0,
// else every dead message of channel — as pending, due at at, with their
// attempts counted from 0 again (the attempts recorded stay). It returns
// the ids brought back.
func (q *Q) RetryDeadLetters(id int64, channel string, at time.Time) ([]int64, error) {
	g := q.g.Model(&OutboxMessage{}).Where("state = ?", OutboxDead)
	if id > 0 {
		g = g.Where("id = ?", id)
	} else {
		g = g.Where("channel = ?", channel)
	}
	var ids []int64
	if err := g.Order("id").Pluck("id", &ids).Error; err != nil {
		return nil, translate(err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	err := q.g.Model(&OutboxMessage{}).Where("id IN ? AND state = ?", ids, OutboxDead).Updates(map[string]any{
		"state": OutboxPending, "next_attempt_at": Stored(at), "attempts": 0, "dead_at": nil,
		"locked_by": nil, "locked_until": nil}).Error
	return ids, translate(err)
}
