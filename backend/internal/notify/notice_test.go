package notify_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/notify"
	"github.com/gzga/idcard/backend/internal/sms"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/store/storetest"
)

// TestEveryEventHasANotice: no action of the transition table and none of
// notify's own events is silent, and each notice names its case.
func TestEveryEventHasANotice(t *testing.T) {
	t.Parallel()
	st := newStore(t, storetest.OpenSQLite(t))
	ap := newApplicant(t, st, 1, account{})
	events := append(domain.AllActions(), notify.PickupReminder, notify.TemporaryCardIssued)
	for i, ev := range events {
		t.Run(string(ev), func(t *testing.T) {
			ms := enqueue(t, st, baseTime, ap, i, ev)
			if len(ms) != 1 || ms[0].Channel != notify.ChannelInApp || ms[0].Template != string(ev) {
				t.Fatalf("%s gives %d messages, want one in-app message", ev, len(ms))
			}
			var m notify.Message
			mustOK(t, json.Unmarshal([]byte(ms[0].Payload), &m))
			if m.Title == "" || m.CaseNo != caseNo(i) || !strings.Contains(m.Body, caseNo(i)) {
				t.Fatalf("%s: notice %+v does not name case %s", ev, m, caseNo(i))
			}
		})
	}
}

// TestMessageChannels: in-app always, WeChat with an openid, SMS only for a
// notice that asks the applicant to act and an account with a phone.
func TestMessageChannels(t *testing.T) {
	t.Parallel()
	st := newStore(t, storetest.OpenSQLite(t))
	cases := []struct {
		acc   account
		event domain.Action
		want  []string
	}{
		{account{}, domain.ActionPrecheckReject, []string{"inapp"}},
		{account{phone: true}, domain.ActionPrecheckApprove, []string{"inapp"}},
		{account{phone: true}, domain.ActionPrecheckReject, []string{"inapp", "sms"}},
		{account{wechat: true}, domain.ActionPrecheckReject, []string{"inapp", "wechat"}},
		{account{phone: true, wechat: true}, domain.ActionArrive, []string{"inapp", "wechat", "sms"}},
		{account{phone: true, wechat: true}, domain.ActionProduce, []string{"inapp", "wechat"}},
		{account{phone: true}, notify.TemporaryCardIssued, []string{"inapp", "sms"}},
		{account{phone: true}, "no_such_event", nil},
	}
	for i, tc := range cases {
		ap := newApplicant(t, st, 100+i, tc.acc)
		c := &store.Case{ID: 1, No: caseNo(i), ApplicantID: ap.ID}
		ms, err := notify.Messages(st.Q(context.Background()), c, tc.event, notify.Detail{})
		mustOK(t, err)
		var got []string
		for _, m := range ms {
			got = append(got, m.Channel)
			if m.RecipientKind != store.ActorApplicant || m.RecipientID != ap.ID || *m.CaseID != c.ID {
				t.Errorf("%s: message to %s %d about case %d", tc.event, m.RecipientKind, m.RecipientID, *m.CaseID)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s for %+v: channels %v, want %v", tc.event, tc.acc, got, tc.want)
		}
	}
}

// TestUrgentNoticesHaveSMS: the notices that ask the applicant to act go by
// SMS too, and each carries an approved template by name with exactly the
// parameters it takes — the case number first, a short text after — so
// the SMS needs no case look-up; the others carry none.
func TestUrgentNoticesHaveSMS(t *testing.T) {
	t.Parallel()
	st := newStore(t, storetest.OpenSQLite(t))
	urgent := map[domain.Action]string{
		domain.ActionPrecheckReject: sms.TemplateStatus, domain.ActionReviewReject: sms.TemplateStatus,
		domain.ActionArrive: sms.TemplateStatus, domain.ActionClosePickup: sms.TemplateStatus,
		domain.ActionReopenPickup: sms.TemplateStatus, notify.TemporaryCardIssued: sms.TemplateStatus,
		notify.PickupReminder: sms.TemplatePickup,
	}
	events := append(domain.AllActions(), notify.PickupReminder, notify.TemporaryCardIssued)
	for i, ev := range events {
		ap := newApplicant(t, st, 500+i, account{phone: true})
		ms := enqueue(t, st, baseTime, ap, i, ev)
		var smsRows int
		for _, m := range ms {
			var msg notify.Message
			mustOK(t, json.Unmarshal([]byte(m.Payload), &msg))
			want, isUrgent := urgent[ev]
			if !isUrgent {
				if msg.SMSTemplate != "" || len(msg.SMSParams) != 0 || m.Channel == notify.ChannelSMS {
					t.Errorf("%s is not urgent but says %s %v by %s", ev, msg.SMSTemplate, msg.SMSParams, m.Channel)
				}
				continue
			}
			if m.Channel == notify.ChannelSMS {
				smsRows++
			}
			n, known := sms.TemplateParams(msg.SMSTemplate)
			if msg.SMSTemplate != want || !known || len(msg.SMSParams) != n || msg.SMSParams[0] != caseNo(i) {
				t.Errorf("%s: SMS %q %v, want template %s with %d parameters starting with %s", ev, msg.SMSTemplate, msg.SMSParams, want, n, caseNo(i))
				continue
			}
			if text := msg.SMSParams[1]; text == "" || utf8.RuneCountInString(text) > 12 {
				t.Errorf("%s: SMS text %q must be 1 to 12 characters", ev, text)
			}
		}
		if _, isUrgent := urgent[ev]; isUrgent && smsRows != 1 {
			t.Errorf("%s: %d SMS messages, want 1", ev, smsRows)
		}
	}
	ap := newApplicant(t, st, 999, account{phone: true})
	ms := notify.IdentityMovedAway(ap, baseTime)
	var msg notify.Message
	mustOK(t, json.Unmarshal([]byte(ms[len(ms)-1].Payload), &msg))
	if ms[len(ms)-1].Channel != notify.ChannelSMS || msg.SMSTemplate != sms.TemplateIdentity || len(msg.SMSParams) != 1 || !strings.Contains(msg.Body, msg.SMSParams[0]) {
		t.Errorf("identity moved: %s %q %v", ms[len(ms)-1].Channel, msg.SMSTemplate, msg.SMSParams)
	}
}

// TestReasonsEndOneSentence: a reason the officer ended with a full stop
// does not give the notice two ("……再申请。。").
func TestReasonsEndOneSentence(t *testing.T) {
	t.Parallel()
	st := newStore(t, storetest.OpenSQLite(t))
	ap := newApplicant(t, st, 700, account{})
	for i, ev := range []domain.Action{domain.ActionPrecheckReject, domain.ActionReviewReject, domain.ActionExtend} {
		c := &store.Case{ID: int64(700 + i), No: caseNo(700 + i), ApplicantID: ap.ID}
		ms, err := notify.Messages(st.Q(context.Background()), c, ev, notify.Detail{Note: "相片不清晰，请重新拍摄后再申请。"})
		mustOK(t, err)
		var m notify.Message
		mustOK(t, json.Unmarshal([]byte(ms[0].Payload), &m))
		if strings.Contains(m.Body, "。。") || !strings.Contains(m.Body, "再申请。") {
			t.Errorf("%s: %q", ev, m.Body)
		}
	}
}
