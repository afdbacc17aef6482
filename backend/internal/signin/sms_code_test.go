package signin_test

import (
	"bytes"
	"context"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/signin"
	"github.com/gzga/idcard/backend/internal/sms"
	"github.com/gzga/idcard/backend/internal/sms/smstest"
	"github.com/gzga/idcard/backend/internal/sms/tencent"
)

// TestSMSCodeThroughTencent: a sign-in code goes through the Tencent
// gateway as the code template with the code and its 5 minutes, and that
// code then signs in; with the gateway down the code is UNAVAILABLE. No
// phone number or code reaches the log.
func TestSMSCodeThroughTencent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	fake := smstest.New(smstest.Options{SecretID: "AKIDsignin", SecretKey: "signin-secret", AppID: "1400000003", Sign: "贵州公安",
		Templates: map[string]int{"3001": 2}})
	defer fake.Close()
	g, err := tencent.New(tencent.Config{SecretID: "AKIDsignin", SecretKey: "signin-secret", AppID: "1400000003", Sign: "贵州公安",
		Endpoint: fake.Endpoint(), Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	o := w.opts
	o.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	o.Codes = signin.NewSMSCodes(g, sms.Templates{sms.TemplateCode: "3001"})
	in := signin.New(o)

	const phone = "13900000021"
	if err := in.SendSignInCode(ctx, phone, "10.0.5.1"); err != nil {
		t.Fatal(err)
	}
	got := fake.Messages()
	if len(got) != 1 || got[0].Phone != "+86"+phone || got[0].TemplateID != "3001" || len(got[0].Params) != 2 ||
		!regexp.MustCompile(`^\d{6}$`).MatchString(got[0].Params[0]) || got[0].Params[1] != "5" {
		t.Fatalf("gateway got %+v, want template 3001 with a 6-digit code and 5", got)
	}
	a, err := in.SignInPhone(ctx, phone, got[0].Params[0], "10.0.5.1")
	if err != nil || a.ApplicantID == 0 {
		t.Fatalf("sign-in with the sent code: %+v, %v", a, err)
	}

	fake.Close()
	wantCode(t, in.SendSignInCode(ctx, "13900000022", "10.0.5.2"), domain.CodeUnavailable)
	if l := logs.String(); strings.Contains(l, phone) || strings.Contains(l, "13900000022") || strings.Contains(l, got[0].Params[0]) {
		t.Fatalf("a phone or code was logged: %s", l)
	}
}

// TestDemoCodeLogMasksPhone: demo mode logs the code with the phone masked.
func TestDemoCodeLogMasksPhone(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	var logs bytes.Buffer
	o := w.opts
	o.Codes, o.Demo, o.Logger = nil, true, slog.New(slog.NewTextHandler(&logs, nil))
	if err := signin.New(o).SendSignInCode(context.Background(), "13900000023", "10.0.5.3"); err != nil {
		t.Fatal(err)
	}
	if l := logs.String(); strings.Contains(l, "13900000023") || !strings.Contains(l, "phone=139****0023") || !strings.Contains(l, "code=") {
		t.Fatalf("demo log: %s", l)
	}
}
