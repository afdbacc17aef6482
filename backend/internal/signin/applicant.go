package signin

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/pii"
	"github.com/gzga/idcard/backend/internal/store"
)

// CodeSender sends an SMS sign-in code.
type CodeSender interface {
	SendCode(ctx context.Context, phone, code string) error
}

// logCodes is the demo CodeSender: it logs the code instead of sending it.
type logCodes struct{ log *slog.Logger }

// SendCode logs the code and the masked phone (demo mode only).
func (l logCodes) SendCode(ctx context.Context, phone, code string) error {
	l.log.InfoContext(ctx, "SMS sign-in code (demo: not sent)", "phone", pii.MaskPhone(phone), "code", code)
	return nil
}

// noGateway is the CodeSender outside demo mode when no SMS gateway is
// configured: codes and full phone numbers are never logged there, so the
// code cannot go anywhere and sign-in by phone is unavailable.
type noGateway struct{}

// SendCode always fails: there is nowhere to send the code.
func (noGateway) SendCode(context.Context, string, string) error {
	return errors.New("no SMS gateway is configured")
}

// SMS code rules: 6 digits, valid 5 minutes, 5 tries.
const (
	codeTTL   = 5 * time.Minute
	codeTries = 5
)

// storedCode is a code in Redis. Expires is judged by the service's clock
// as well as the key's TTL: the in-process Redis of the embedded mode only
// counts TTLs down when told to, and the rule must hold in every mode.
type storedCode struct {
	Code    string    `json:"code"`
	Tries   int       `json:"tries"`
	Expires time.Time `json:"expires"`
}

func normalisePhone(p string) (string, error) {
	p = strings.TrimPrefix(strings.TrimSpace(p), "+86")
	if !domain.ValidMobile(p) {
		return "", domain.Errorf(domain.CodeValidationFailed, "请输入11位手机号码")
	}
	return p, nil
}

func (s *Service) codeKey(phone string) string {
	return s.prefix + "smscode:" + s.st.Q(context.Background()).PhoneIndex(phone)
}

// SendSignInCode sends a 6-digit code to phone. Returns RATE_LIMITED when
// asked too often for the phone or from the IP.
func (s *Service) SendSignInCode(ctx context.Context, phone, ip string) error {
	phone, err := normalisePhone(phone)
	if err != nil {
		return err
	}
	idx := s.st.Q(ctx).PhoneIndex(phone)
	if err := s.allow(ctx, smsRules(idx, ip)); err != nil {
		return err
	}
	n, err := rand.Int(rand.Reader, big.NewInt(1000000))
	if err != nil {
		return s.internal(ctx, "sms code", err)
	}
	code := fmt.Sprintf("%06d", n.Int64())
	b, _ := json.Marshal(storedCode{Code: code, Expires: s.clock().Add(codeTTL)})
	if err := s.rdb.Set(ctx, s.codeKey(phone), b, codeTTL).Err(); err != nil {
		return domain.Wrap(domain.CodeUnavailable, err)
	}
	if err := s.codes.SendCode(ctx, phone, code); err != nil {
		return domain.Wrap(domain.CodeUnavailable, err)
	}
	return nil
}

// codeCheckAttempts bounds the optimistic transaction of a code check: a
// WATCH conflict means another check of the same code committed first, so
// each retry sees newer state, and the code-check budget (codeRules) keeps
// the number of rivals small.
const codeCheckAttempts = 10

// checkCode spends one try of the phone's code. Returns BAD_CODE for a wrong,
// expired or exhausted code, UNAVAILABLE when Redis does not answer, and
// CONFLICT only when every attempt lost to concurrent checks.
func (s *Service) checkCode(ctx context.Context, phone, code string) error {
	for range codeCheckAttempts {
		ok, err := s.tryCode(ctx, phone, code)
		if errors.Is(err, redis.TxFailedErr) {
			continue
		}
		var de *domain.Error
		if errors.As(err, &de) {
			return de
		}
		if err != nil {
			return domain.Wrap(domain.CodeUnavailable, err)
		}
		if !ok {
			return domain.E(domain.CodeBadCode)
		}
		return nil
	}
	return domain.E(domain.CodeConflict)
}

// tryCode is one optimistic transaction of checkCode: it reports whether
// the code matched, and redis.TxFailedErr when the stored code changed
// under it.
func (s *Service) tryCode(ctx context.Context, phone, code string) (bool, error) {
	key := s.codeKey(phone)
	var ok bool
	err := s.rdb.Watch(ctx, func(tx *redis.Tx) error {
		raw, err := tx.Get(ctx, key).Bytes()
		if errors.Is(err, redis.Nil) {
			return domain.Errorf(domain.CodeBadCode, "验证码已失效，请重新获取")
		}
		if err != nil {
			return err
		}
		var sc storedCode
		if err := json.Unmarshal(raw, &sc); err != nil {
			return err
		}
		if !s.clock().Before(sc.Expires) {
			_, err := tx.TxPipelined(ctx, func(p redis.Pipeliner) error { return p.Del(ctx, key).Err() })
			if err != nil {
				return err
			}
			return domain.Errorf(domain.CodeBadCode, "验证码已失效，请重新获取")
		}
		ok = subtle.ConstantTimeCompare([]byte(sc.Code), []byte(strings.TrimSpace(code))) == 1
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			sc.Tries++
			if ok || sc.Tries >= codeTries {
				p.Del(ctx, key)
				return nil
			}
			b, _ := json.Marshal(sc)
			p.Set(ctx, key, b, redis.KeepTTL)
			return nil
		})
		return err
	}, key)
	return ok, err
}

// Applicant is a signed-in applicant.
type Applicant struct {
	ApplicantID int64
	Bound       bool
}

// SignInPhone signs in with a phone number and its SMS code, creating the
// account on first sign-in. Returns BAD_CODE and RATE_LIMITED.
func (s *Service) SignInPhone(ctx context.Context, phone, code, ip string) (Applicant, error) {
	phone, err := normalisePhone(phone)
	if err != nil {
		return Applicant{}, err
	}
	q := s.st.Q(ctx)
	if err := s.allow(ctx, codeRules(q.PhoneIndex(phone), ip)); err != nil {
		return Applicant{}, err
	}
	if err := s.checkCode(ctx, phone, code); err != nil {
		s.auditSignIn(ctx, 0, "phone", ip, "failed")
		return Applicant{}, err
	}
	ap, err := s.findOrCreate(ctx, "phone_bidx", q.PhoneIndexes(phone), func(a *store.Applicant) { a.Phone = phone })
	if err != nil {
		return Applicant{}, s.internal(ctx, "sign in", err)
	}
	s.auditSignIn(ctx, ap.ID, "phone", ip, "ok")
	return Applicant{ApplicantID: ap.ID, Bound: ap.PersonID != nil}, nil
}

// findOrCreate returns the account whose column has value, creating it when
// missing (a concurrent creation is found on the unique column).
func (s *Service) findOrCreate(ctx context.Context, col string, val any, init func(*store.Applicant)) (store.Applicant, error) {
	q := s.st.Q(ctx)
	ap, err := q.ApplicantBy(col, val)
	if err == nil || !errors.Is(err, store.ErrNotFound) {
		return ap, err
	}
	ap = store.Applicant{}
	init(&ap)
	if err := q.InsertApplicant(&ap); err != nil {
		if errors.Is(err, store.ErrDuplicate) {
			return q.ApplicantBy(col, val)
		}
		return ap, err
	}
	return ap, nil
}

// auditSignIn records an applicant's sign-in by method; id is 0 when the
// attempt failed before an account was known.
func (s *Service) auditSignIn(ctx context.Context, id int64, method, ip, outcome string) {
	var idp *int64
	if id != 0 {
		idp = &id
	}
	s.audit(ctx, &store.AuditEntry{ActorKind: store.ActorApplicant, ActorID: idp, Role: string(domain.RoleApplicant),
		Action: "auth.sign_in", ObjectType: "applicant", IP: ip, Outcome: outcome}, map[string]any{"method": method})
}
