package service

import (
	"context"
	"fmt"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/notify"
	"github.com/gzga/idcard/backend/internal/store"
)

// adminOutboxPage is how many dead letters one page of the admin's outbox
// page shows.
const adminOutboxPage = 50

// OutboxStateCount is one state's messages by channel, for the admin.
type OutboxStateCount struct {
	State     string           `json:"state"`
	Label     string           `json:"label"`
	ByChannel map[string]int64 `json:"by_channel"`
	Total     int64            `json:"total"`
}

// OutboxAttemptRow is one recorded delivery attempt.
type OutboxAttemptRow struct {
	Attempt      int    `json:"attempt"`
	Worker       string `json:"worker"`
	StartedAt    string `json:"started_at"`
	FinishedAt   string `json:"finished_at"`
	Outcome      string `json:"outcome"`
	OutcomeLabel string `json:"outcome_label"`
	Error        string `json:"error"`
}

// DeadLetterRow is a dead outbox message as the admin sees it.
type DeadLetterRow struct {
	ID            int64              `json:"id"`
	Channel       string             `json:"channel"`
	ChannelLabel  string             `json:"channel_label"`
	Template      string             `json:"template"`
	RecipientKind string             `json:"recipient_kind"`
	RecipientID   int64              `json:"recipient_id"`
	CaseNo        string             `json:"case_no"`
	Attempts      int                `json:"attempts"`
	LastError     string             `json:"last_error"`
	DeadAt        string             `json:"dead_at"`
	History       []OutboxAttemptRow `json:"history"`
}

// OutboxOverview is the admin's outbox page: counts by state and channel,
// and a page of dead letters, newest first, each with its attempts.
type OutboxOverview struct {
	Channels []ChannelOption    `json:"channels"`
	Counts   []OutboxStateCount `json:"counts"`
	Dead     []DeadLetterRow    `json:"dead"`
	// DeadByChannel counts the dead letters of each channel.
	DeadByChannel map[string]int64 `json:"dead_by_channel"`
	Channel       string           `json:"channel"` // the dead letters' filter; "" = all
	Page          int              `json:"page"`    // from 1
	HasNext       bool             `json:"has_next"`
}

// ChannelOption is a delivery channel and its name.
type ChannelOption struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// OutboxChannels are the outbox's channels in the order the page shows
// them.
func OutboxChannels() []ChannelOption {
	return []ChannelOption{{notify.ChannelInApp, "站内消息"}, {notify.ChannelWeChat, "微信订阅消息"}, {notify.ChannelSMS, "短信"}}
}

func outboxStateLabel(s string) string {
	switch s {
	case store.OutboxPending:
		return "待投递"
	case store.OutboxSending:
		return "投递中"
	case store.OutboxSent:
		return "已送达"
	case store.OutboxSkipped:
		return "已跳过（未获授权）"
	case store.OutboxDead:
		return "投递失败（死信）"
	}
	return s
}

func attemptOutcomeLabel(s string) string {
	switch s {
	case store.AttemptSent:
		return "已送达"
	case store.AttemptFailed:
		return "失败，稍后重试"
	case store.AttemptDead:
		return "失败，不再重试"
	case store.AttemptSkipped:
		return "跳过"
	}
	return s
}

// knownChannel refuses a channel the outbox does not have ("" passes when
// empty is true).
func knownChannel(ch string, empty bool) (string, error) {
	if ch == "" && empty {
		return "", nil
	}
	for _, c := range OutboxChannels() {
		if c.Value == ch {
			return c.Label, nil
		}
	}
	return "", domain.Errorf(domain.CodeValidationFailed, "投递渠道应为站内消息、微信订阅消息或短信")
}

// outboxCounts counts the outbox by state (every state, in the page's
// order, then any other) and channel.
func outboxCounts(q *store.Q) ([]OutboxStateCount, error) {
	rows, err := q.OutboxCounts()
	if err != nil {
		return nil, err
	}
	var out []OutboxStateCount
	at := map[string]int{} // state → index in out
	add := func(state, label string) int {
		at[state] = len(out)
		out = append(out, OutboxStateCount{State: state, Label: label, ByChannel: map[string]int64{}})
		return at[state]
	}
	for _, st := range store.OutboxStates() {
		add(st, outboxStateLabel(st))
	}
	for _, c := range rows {
		i, ok := at[c.State]
		if !ok {
			i = add(c.State, c.State)
		}
		out[i].ByChannel[c.Channel] += c.N
		out[i].Total += c.N
	}
	return out, nil
}

// OutboxCounts counts the outbox by state and channel, for the metrics.
func (s *Service) OutboxCounts(ctx context.Context) ([]OutboxStateCount, error) {
	counts, err := outboxCounts(s.st.Q(ctx))
	if err != nil {
		return nil, s.internal(ctx, "outbox counts", err)
	}
	return counts, nil
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// AdminOutbox returns the outbox's counts and page (from 1) of its dead
// letters, of channel or all. Returns FORBIDDEN for anyone but an admin.
func (s *Service) AdminOutbox(ctx context.Context, a Actor, channel string, page int) (OutboxOverview, error) {
	if err := requireAdmin(a); err != nil {
		return OutboxOverview{}, err
	}
	if _, err := knownChannel(channel, true); err != nil {
		return OutboxOverview{}, err
	}
	page = max(page, 1)
	q := s.st.Q(ctx)
	counts, err := outboxCounts(q)
	if err != nil {
		return OutboxOverview{}, s.internal(ctx, "admin outbox", err)
	}
	v := OutboxOverview{Channels: OutboxChannels(), Counts: counts, Channel: channel, Page: page}
	for _, c := range counts {
		if c.State == store.OutboxDead {
			v.DeadByChannel = c.ByChannel
		}
	}
	dead, err := q.DeadLetters(channel, (page-1)*adminOutboxPage, adminOutboxPage+1)
	if err != nil {
		return OutboxOverview{}, s.internal(ctx, "admin outbox", err)
	}
	if len(dead) > adminOutboxPage {
		dead, v.HasNext = dead[:adminOutboxPage], true
	}
	ids := make([]int64, len(dead))
	for i, d := range dead {
		ids[i] = d.ID
	}
	history, err := q.OutboxAttemptsOf(ids)
	if err != nil {
		return OutboxOverview{}, s.internal(ctx, "admin outbox", err)
	}
	for _, d := range dead {
		label, _ := knownChannel(d.Channel, false)
		r := DeadLetterRow{ID: d.ID, Channel: d.Channel, ChannelLabel: label, Template: d.Template, RecipientKind: d.RecipientKind,
			RecipientID: d.RecipientID, CaseNo: d.CaseNo, Attempts: d.Attempts}
		if label == "" {
			r.ChannelLabel = d.Channel
		}
		if d.LastError != nil {
			r.LastError = *d.LastError
		}
		if d.DeadAt != nil {
			r.DeadAt = rfc3339(*d.DeadAt)
		}
		for _, at := range history[d.ID] {
			ar := OutboxAttemptRow{Attempt: at.Attempt, Worker: at.Worker, StartedAt: rfc3339(at.StartedAt), FinishedAt: rfc3339(at.FinishedAt),
				Outcome: at.Outcome, OutcomeLabel: attemptOutcomeLabel(at.Outcome)}
			if at.Error != nil {
				ar.Error = *at.Error
			}
			r.History = append(r.History, ar)
		}
		v.Dead = append(v.Dead, r)
	}
	return v, nil
}

// AdminRetryOutbox brings dead letters back for delivery now — message id
// when id > 0, else every dead letter of channel — with their attempts
// counted from 0 again and their attempt history kept, and returns how
// many. Audited as outbox.retry in the same transaction. Returns NOT_FOUND
// when message id is not a dead letter, VALIDATION_FAILED for an unknown
// channel.
func (s *Service) AdminRetryOutbox(ctx context.Context, a Actor, id int64, channel string) (int, error) {
	if err := requireAdmin(a); err != nil {
		return 0, err
	}
	if id <= 0 {
		if _, err := knownChannel(channel, false); err != nil {
			return 0, err
		}
	} else {
		channel = ""
	}
	now := s.now()
	var n int
	err := s.st.Tx(ctx, func(q *store.Q) error {
		ids, err := q.RetryDeadLetters(id, channel, now)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			if id > 0 {
				return domain.Errorf(domain.CodeNotFound, "该消息不是投递失败的死信，无需重新投递")
			}
			return nil
		}
		n = len(ids)
		object := fmt.Sprint(id)
		if id <= 0 {
			object = "channel:" + channel
		}
		return q.AppendAudit(&store.AuditEntry{At: now, ActorKind: a.Kind, ActorID: a.idPtr(), ActorName: a.Name, Role: string(a.Role),
			Action: "outbox.retry", ObjectType: "outbox", ObjectID: object, IP: a.IP, Outcome: "ok",
			Detail: detail(map[string]any{"ids": ids, "count": len(ids), "channel": channel})})
	})
	if err != nil {
		return 0, s.internal(ctx, "retry outbox", err)
	}
	return n, nil
}
