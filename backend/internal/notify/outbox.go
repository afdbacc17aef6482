package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// Recipient is where an outside notification goes.
type Recipient struct {
	Kind       string
	ID         int64
	Phone      string
	PhoneIndex string // the phone's blind index: names it in rate limits
	// MiniOpenID is the account's mini-program openid, MPOpenID its
	// official-account openid; either may be "".
	MiniOpenID string
	MPOpenID   string
}

// Sender delivers a notification by an outside channel (WeChat subscribe
// message, SMS). An error means "try again later", unless it is wrapped by
// Final (a refusal no retry fixes: the message is a dead letter at once) or
// Skip (not to be sent: the message is done as skipped).
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

// Deliver claims and delivers up to batch due messages as worker and
// returns how many it delivered. It is safe to run on several instances at
// once: claims are disjoint and an in-app message is stored once per outbox
// row whatever happens. Every attempt is recorded with its outcome in the
// transaction that moves the message on: a failed send is retried after
// the channel's back-off (RetryDelay), a Final refusal or the last failed
// attempt (MaxAttempts) makes it a dead letter, a Skip marks it skipped.
// The error returned is the database's.
func (s *Outbox) Deliver(ctx context.Context, worker string, batch int) (int, error) {
	msgs, err := s.st.ClaimOutbox(ctx, s.now(), worker, batch, time.Minute)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, m := range msgs {
		ok, err := s.attempt(ctx, worker, m)
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	return sent, nil
}

// attempt tries one claimed message and records how it went; true when it
// was delivered.
func (s *Outbox) attempt(ctx context.Context, worker string, m store.OutboxMessage) (bool, error) {
	started := s.now()
	to, err := s.recipient(ctx, m)
	var msg Message
	if err == nil {
		if jerr := json.Unmarshal([]byte(m.Payload), &msg); jerr != nil {
			err = Final(fmt.Errorf("payload: %w", jerr))
		}
	}
	msg.At = m.CreatedAt
	r := store.OutboxResult{Worker: worker, Attempt: m.Attempts, StartedAt: started}
	if err == nil && m.Channel == ChannelInApp {
		// The notification and the attempt are one transaction: a failure
		// writes neither, and is recorded below as a failed attempt.
		err = s.st.Tx(ctx, func(q *store.Q) error {
			id := m.ID
			err := q.InsertNotification(&store.Notification{OutboxID: &id, RecipientKind: m.RecipientKind, RecipientID: m.RecipientID,
				CaseNo: msg.CaseNo, Title: msg.Title, Body: msg.Body})
			if err != nil && !errors.Is(err, store.ErrDuplicate) {
				return err
			}
			r.FinishedAt, r.Outcome = s.now(), store.AttemptSent
			_, err = q.FinishOutbox(m.ID, r)
			return err
		})
		if err == nil {
			return true, nil
		}
	} else if err == nil {
		err = s.send(ctx, m, to, msg)
	}
	r.FinishedAt, r.Error = s.now(), AttemptError(err, to)
	var rl *domain.RateLimitedError
	switch {
	case err == nil:
		r.Outcome = store.AttemptSent
	case IsSkip(err):
		r.Outcome = store.AttemptSkipped
	case IsFinal(err):
		r.Outcome = store.AttemptDead
	case errors.As(err, &rl):
		// Over a budget (an SMS per phone a day): wait for room, however
		// many attempts that takes; the message is not given up on.
		r.Outcome, r.Next = store.AttemptFailed, r.FinishedAt.Add(max(rl.RetryAfter, RetryDelay(m.Channel, m.ID, 1)))
	case m.Attempts >= MaxAttempts(m.Channel):
		r.Outcome = store.AttemptDead
	default:
		r.Outcome, r.Next = store.AttemptFailed, r.FinishedAt.Add(RetryDelay(m.Channel, m.ID, m.Attempts))
	}
	if err != nil {
		s.log.WarnContext(ctx, "notification not delivered", "outbox_id", m.ID, "channel", m.Channel, "attempt", m.Attempts,
			"outcome", r.Outcome, "error", r.Error)
	}
	ferr := s.st.Tx(ctx, func(q *store.Q) error {
		_, err := q.FinishOutbox(m.ID, r)
		return err
	})
	if ferr != nil {
		return false, ferr
	}
	return err == nil, nil
}

// recipient is where m goes: an applicant's phone and openid for the
// outside channels.
func (s *Outbox) recipient(ctx context.Context, m store.OutboxMessage) (Recipient, error) {
	to := Recipient{Kind: m.RecipientKind, ID: m.RecipientID}
	if m.Channel == ChannelInApp || m.RecipientKind != store.ActorApplicant {
		return to, nil
	}
	ap, err := s.st.Q(ctx).Applicant(m.RecipientID)
	if errors.Is(err, store.ErrNotFound) {
		return to, Final(errors.New("recipient: no such applicant"))
	}
	if err != nil {
		return to, err
	}
	to.Phone = ap.Phone
	if ap.PhoneBidx != nil {
		to.PhoneIndex = *ap.PhoneBidx
	}
	if ap.WechatOpenid != nil {
		to.MiniOpenID = *ap.WechatOpenid
	}
	if ap.WechatMpOpenid != nil {
		to.MPOpenID = *ap.WechatMpOpenid
	}
	return to, nil
}

// send hands m to its outside channel's sender.
func (s *Outbox) send(ctx context.Context, m store.OutboxMessage, to Recipient, msg Message) error {
	var snd Sender
	switch m.Channel {
	case ChannelWeChat:
		snd = s.senders.WeChat
	case ChannelSMS:
		snd = s.senders.SMS
	default:
		return Final(fmt.Errorf("unknown channel %q", m.Channel))
	}
	if snd == nil {
		snd = LogSender{Channel: m.Channel, Log: s.log}
	}
	return snd.Send(ctx, to, m.Template, msg)
}
