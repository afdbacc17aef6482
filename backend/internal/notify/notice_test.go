package notify_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/notify"
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
