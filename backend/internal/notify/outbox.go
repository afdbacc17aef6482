package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/gzga/idcard/backend/internal/store"
)

// Recipient is where an outside notification goes.
type Recipient struct {
	Kind  string
	ID    int64
	Phone string
	// MiniOpenID is the account's mini-program openid, MPOpenID its
	// official-account openid; either may be "".
	MiniOpenID string
	MPOpenID   string
}

// Sender delivers a notification by an outside channel (WeChat subscribe
// message, SMS). An error means "try again later".
type Sender interface {
	Send(ctx context.Context, to Recipient, template string, m Message) error
}

// Senders are the outside channels; nil ones log instead.
type Senders struct {
	WeChat Sender
	SMS    Sender
}

// LogSender logs what it would send: the embedded mode's WeChat and SMS.
type LogSender struct {
	Channel string
	Log     *slog.Logger
}

// Send logs the message.
func (l LogSender) Send(ctx context.Context, to Recipient, template string, m Message) error {
	l.Log.InfoContext(ctx, "notification (not sent: demo channel)", "channel", l.Channel, "recipient", to.ID,
		"template", template, "case_no", m.CaseNo, "title", m.Title)
	return nil
}

// Outbox delivers the outbox's messages. It is safe for concurrent use,
// and several instances may deliver from one database at once.
type Outbox struct {
	st      *store.Store
	log     *slog.Logger
	clock   func() time.Time
	senders Senders
}

// Options configure an Outbox.
type Options struct {
	Store   *store.Store
	Logger  *slog.Logger     // nil discards
	Clock   func() time.Time // nil = time.Now; the writers' clock, which claims go by
	Senders Senders
}

// New returns an Outbox.
func New(o Options) *Outbox {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Outbox{st: o.Store, log: o.Logger, clock: o.Clock, senders: o.Senders}
}

// now is the clock in UTC to the microsecond, like the database.
func (s *Outbox) now() time.Time { return store.Stored(s.clock()) }

// maxAttempts bounds retries of one message; backoff doubles from 10 s to 1 h.
const maxAttempts = 8

func backoff(attempt int) time.Duration {
	d := 10 * time.Second << min(attempt, 10)
	return min(d, time.Hour)
}

// Deliver claims and delivers up to batch due messages as worker and
// returns how many it delivered. It is safe to run on several instances at
// once: claims are disjoint and an in-app message is stored once per outbox
// row whatever happens. A failed send is retried later with a back-off; the
// error returned is the database's.
func (s *Outbox) Deliver(ctx context.Context, worker string, batch int) (int, error) {
	msgs, err := s.st.ClaimOutbox(ctx, s.now(), worker, batch, time.Minute)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, m := range msgs {
		if err := s.deliver(ctx, worker, m); err != nil {
			next := time.Time{}
			if m.Attempts < maxAttempts {
				next = s.now().Add(backoff(m.Attempts - 1)) // Attempts counts this one
			}
			s.log.WarnContext(ctx, "notification delivery failed", "outbox_id", m.ID, "attempt", m.Attempts, "error", err)
			if rerr := s.st.Q(ctx).MarkOutboxRetry(m.ID, worker, err.Error(), next); rerr != nil {
				return sent, rerr
			}
			continue
		}
		sent++
	}
	return sent, nil
}

func (s *Outbox) deliver(ctx context.Context, worker string, m store.OutboxMessage) error {
	var msg Message
	if err := json.Unmarshal([]byte(m.Payload), &msg); err != nil {
		return fmt.Errorf("payload: %w", err)
	}
	msg.At = m.CreatedAt
	if m.Channel == ChannelInApp {
		return s.st.Tx(ctx, func(q *store.Q) error {
			id := m.ID
			err := q.InsertNotification(&store.Notification{OutboxID: &id, RecipientKind: m.RecipientKind, RecipientID: m.RecipientID,
				CaseNo: msg.CaseNo, Title: msg.Title, Body: msg.Body})
			if err != nil && !errors.Is(err, store.ErrDuplicate) {
				return err
			}
			_, err = q.MarkOutboxSent(m.ID, worker)
			return err
		})
	}
	to := Recipient{Kind: m.RecipientKind, ID: m.RecipientID}
	if m.RecipientKind == store.ActorApplicant {
		ap, err := s.st.Q(ctx).Applicant(m.RecipientID)
		if err != nil {
			return err
		}
		to.Phone = ap.Phone
		if ap.WechatOpenid != nil {
			to.MiniOpenID = *ap.WechatOpenid
		}
		if ap.WechatMpOpenid != nil {
			to.MPOpenID = *ap.WechatMpOpenid
		}
	}
	var snd Sender
	switch m.Channel {
	case ChannelWeChat:
		snd = s.senders.WeChat
	case ChannelSMS:
		snd = s.senders.SMS
	default:
		return fmt.Errorf("unknown channel %q", m.Channel)
	}
	if snd == nil {
		snd = LogSender{Channel: m.Channel, Log: s.log}
	}
	if err := snd.Send(ctx, to, m.Template, msg); err != nil {
		return err
	}
	_, err := s.st.Q(ctx).MarkOutboxSent(m.ID, worker)
	return err
}
