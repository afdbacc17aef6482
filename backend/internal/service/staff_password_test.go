package service_test

import (
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/payment"
	"github.com/gzga/idcard/backend/internal/service"
)

// productionService is the fixture's Service as outside demo mode, where an
// expired password must be changed first.
func (f *fixture) productionService() *service.Service {
	return service.New(service.Options{Store: f.st, Calendar: f.cal, Tokens: f.tokens, Clock: f.clk.Now,
		Payments: payment.Demo{}, Production: true})
}

// TestPasswordPolicy walks one account through the password rules with the
// clock pinned: none of the last five passwords may come back, the sixth
// oldest may; the change is urged from 76 days on and forced from 90; a
// reset by the security administrator is due at once.
func TestPasswordPolicy(t *testing.T) {
	f := newFixture(t)
	svc := f.productionService()
	a := f.staff("station-520102")
	f.clk.Set(baseTime)
	pws := []string{"x", "Alpha-2026-one", "Bravo-2026-two", "Charlie-2026-3", "Delta-2026-four", "Echo-2026-five", "Foxtrot-2026-6"}
	for i := 1; i < len(pws); i++ {
		if err := svc.ChangeOwnPassword(f.ctx, a, pws[i-1], pws[i]); err != nil {
			t.Fatalf("change to %s: %v", pws[i], err)
		}
	}
	current := pws[len(pws)-1]
	for _, again := range pws[len(pws)-5:] {
		if err := svc.ChangeOwnPassword(f.ctx, a, current, again); domain.ErrorCode(err) != domain.CodePasswordReused {
			t.Errorf("reusing %s: %v, want PASSWORD_REUSED", again, err)
		}
	}
	if err := svc.ChangeOwnPassword(f.ctx, a, current, "short1A!"); domain.ErrorCode(err) != domain.CodePasswordPolicy {
		t.Errorf("a short password: %v, want PASSWORD_POLICY", err)
	}
	if err := svc.ChangeOwnPassword(f.ctx, a, "wrong", "Golf-2026-seven"); domain.ErrorCode(err) != domain.CodeBadCredentials {
		t.Errorf("a wrong current password: %v, want BAD_CREDENTIALS", err)
	}
	sixth := pws[len(pws)-6]
	if err := svc.ChangeOwnPassword(f.ctx, a, current, sixth); err != nil {
		t.Fatalf("the sixth oldest password %s refused: %v", sixth, err)
	}

	day := 24 * time.Hour
	for _, c := range []struct {
		age          time.Duration
		warn, expire bool
	}{
		{0, false, false}, {75 * day, false, false}, {76*day + time.Hour, true, false},
		{89 * day, true, false}, {90 * day, true, true}, {120 * day, true, true},
	} {
		f.clk.Set(baseTime.Add(c.age))
		me, err := svc.StaffMe(f.ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		if svc.PasswordWarn(me) != c.warn || svc.PasswordExpired(me) != c.expire {
			t.Errorf("after %v: warn %v expired %v, want %v %v", c.age, svc.PasswordWarn(me), svc.PasswordExpired(me), c.warn, c.expire)
		}
		if f.svc.PasswordExpired(me) {
			t.Errorf("after %v: demo mode forces the change", c.age)
		}
	}

	// A fresh change starts the 90 days again; an administrator's reset
	// makes the password due at once and keeps the replaced one.
	f.clk.Set(baseTime.Add(100 * day))
	if err := svc.ChangeOwnPassword(f.ctx, a, sixth, "Hotel-2026-eight"); err != nil {
		t.Fatal(err)
	}
	if me, _ := svc.StaffMe(f.ctx, a); svc.PasswordExpired(me) || svc.PasswordWarn(me) {
		t.Fatal("a password changed just now is due")
	}
	if _, _, err := svc.AdminResetPassword(f.ctx, a, a.ID); domain.ErrorCode(err) != domain.CodeForbidden {
		t.Errorf("a station officer resets a password: %v, want FORBIDDEN", err)
	}
	_, pw, err := svc.AdminResetPassword(f.ctx, f.staff("security-admin"), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	me, err := svc.StaffMe(f.ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if !svc.PasswordExpired(me) {
		t.Errorf("a reset password is not due at once (due %v, now %v)", me.PasswordDue, f.clk.Now())
	}
	if err := svc.ChangeOwnPassword(f.ctx, a, pw, "Hotel-2026-eight"); domain.ErrorCode(err) != domain.CodePasswordReused {
		t.Errorf("the password before the reset comes back: %v, want PASSWORD_REUSED", err)
	}
	if err := svc.ChangeOwnPassword(f.ctx, a, pw, "India-2026-nine"); err != nil {
		t.Fatal(err)
	}
	if me, _ := svc.StaffMe(f.ctx, a); svc.PasswordExpired(me) {
		t.Error("still due after the change that follows a reset")
	}
}
