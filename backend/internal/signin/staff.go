package signin

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/passwd"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/twofactor"
)

// Staff is a signed-in staff member.
type Staff struct {
	StaffID int64
	Role    domain.Role
}

// StaffLogin checks a username, password and, once the account has enrolled
// a second factor, its TOTP code. Returns BAD_CREDENTIALS (the same for an
// unknown user, a wrong password and a disabled account), OTP_REQUIRED (no
// code for an enrolled account, after a right password), BAD_OTP (a wrong
// code) and RATE_LIMITED per user and per IP, which wrong codes spend like
// wrong passwords. Every attempt is audited, with why it failed.
func (s *Service) StaffLogin(ctx context.Context, username, password, otp, ip string) (Staff, error) {
	username = strings.TrimSpace(username)
	if username == "" || password == "" || len(username) > 64 || len(password) > 256 {
		return Staff{}, domain.E(domain.CodeBadCredentials)
	}
	if err := s.allow(ctx, loginRules(strings.ToLower(username), ip)); err != nil {
		return Staff{}, err
	}
	st, err := s.st.Q(ctx).StaffByUsername(username)
	ok := false
	if err == nil && st.Active {
		ok, err = passwd.Verify(password, st.PasswordHash)
	} else if errors.Is(err, store.ErrNotFound) {
		// Spend the same time as a real check, so timing tells nothing.
		_, _ = passwd.Verify(password, dummyHash)
		err = nil
	}
	if err != nil {
		return Staff{}, s.internal(ctx, "staff login", err)
	}
	entry := &store.AuditEntry{ActorKind: store.ActorStaff, ActorName: username, Action: "auth.staff_login", ObjectType: "staff",
		ObjectID: username, IP: ip, Outcome: "failed", Detail: "{}"}
	fail := func(code domain.Code) (Staff, error) {
		entry.Detail = `{"reason":"` + string(code) + `"}`
		if aerr := s.st.Audit(ctx, entry); aerr != nil {
			s.log.ErrorContext(ctx, "audit of a failed login", "error", aerr)
		}
		return Staff{}, domain.E(code)
	}
	if !ok {
		return fail(domain.CodeBadCredentials)
	}
	entry.ActorID, entry.ActorName, entry.Role = &st.ID, st.Name, st.Role
	if st.OTPEnabledAt != nil {
		secret, err := s.st.Q(ctx).OTPSecret(st)
		if err != nil {
			return Staff{}, s.internal(ctx, "staff login otp", err)
		}
		otp = strings.TrimSpace(otp)
		if otp == "" {
			return fail(domain.CodeOTPRequired)
		}
		step, valid := twofactor.Step(otp, secret, s.clock())
		if !valid {
			return fail(domain.CodeBadOTP)
		}
		if fresh, err := s.spendOTPStep(ctx, st.ID, step); err != nil {
			return Staff{}, s.internal(ctx, "staff login otp", err)
		} else if !fresh {
			return fail(domain.CodeBadOTP)
		}
	}
	entry.Outcome = "ok"
	if err := s.st.Q(ctx).TouchLogin(st.ID); err != nil {
		return Staff{}, s.internal(ctx, "staff login", err)
	}
	if err := s.st.Audit(ctx, entry); err != nil {
		return Staff{}, s.internal(ctx, "staff login audit", err)
	}
	return Staff{StaffID: st.ID, Role: domain.Role(st.Role)}, nil
}

// spendOTPScript keeps the last time step whose code signed the account in
// (KEYS[1]) and answers 0 for a step not after it, 1 after recording a
// newer one; atomic, so two sign-ins racing with one code cannot both win.
var spendOTPScript = redis.NewScript(`
local last = tonumber(redis.call('GET', KEYS[1]) or '-1')
if tonumber(ARGV[1]) <= last then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1`)

// otpStepTTL outlives every step a code may still be accepted in (the
// current one and one of drift either side).
const otpStepTTL = 2 * time.Minute

// spendOTPStep records that the account signed in with a code of step and
// reports false when that step or a later one was used already: a TOTP
// code works once, not for the rest of its 90-second window.
func (s *Service) spendOTPStep(ctx context.Context, staffID, step int64) (bool, error) {
	key := s.prefix + "otpstep:" + strconv.FormatInt(staffID, 10)
	n, err := spendOTPScript.Run(ctx, s.rdb, []string{key}, step, int(otpStepTTL/time.Second)).Int()
	return n == 1, err
}

// dummyHash is verified for unknown users (its password is unknowable).
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$hQ6cYbWgZ8bC1wYt5Ch+OCsgnEJBxa8Xgkz2Km/6Lxw"
