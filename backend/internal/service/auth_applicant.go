package service

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

func (l logCodes) SendCode(ctx context.Context, phone, code string) error {
	l.log.InfoContext(ctx, "SMS sign-in code (demo: not sent)", "phone", phone, "code", code)
	return nil
}

// SMS code rules: 6 digits, valid 5 minutes, 5 tries.
const (
	codeTTL   = 5 * time.Minute
	codeTries = 5
)

type storedCode struct {
	Code  string `json:"code"`
	Tries int    `json:"tries"`
}

func normalisePhone(p string) (string, error) {
	p = strings.TrimPrefix(strings.TrimSpace(p), "+86")
	if !mobileRe.MatchString(p) {
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
	b, _ := json.Marshal(storedCode{Code: code})
	if err := s.rdb.Set(ctx, s.codeKey(phone), b, codeTTL).Err(); err != nil {
		return domain.Wrap(domain.CodeUnavailable, err)
	}
	if err := s.codes.SendCode(ctx, phone, code); err != nil {
		return domain.Wrap(domain.CodeUnavailable, err)
	}
	return nil
}

// checkCode spends one try of the phone's code. Returns BAD_CODE for a wrong,
// expired or exhausted code.
func (s *Service) checkCode(ctx context.Context, phone, code string) error {
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

// SignIn is a signed-in applicant.
type SignIn struct {
	ApplicantID int64
	Bound       bool
}

// SignInPhone signs in with a phone number and its SMS code, creating the
// account on first sign-in. Returns BAD_CODE and RATE_LIMITED.
func (s *Service) SignInPhone(ctx context.Context, phone, code, ip string) (SignIn, error) {
	phone, err := normalisePhone(phone)
	if err != nil {
		return SignIn{}, err
	}
	q := s.st.Q(ctx)
	if err := s.allow(ctx, codeRules(q.PhoneIndex(phone), ip)); err != nil {
		return SignIn{}, err
	}
	if err := s.checkCode(ctx, phone, code); err != nil {
		s.auditSignIn(ctx, 0, "phone", ip, "failed")
		return SignIn{}, err
	}
	ap, err := s.findOrCreate(ctx, "phone_bidx", q.PhoneIndex(phone), func(a *store.Applicant) { a.Phone = phone })
	if err != nil {
		return SignIn{}, s.internal(ctx, "sign in", err)
	}
	s.auditSignIn(ctx, ap.ID, "phone", ip, "ok")
	return SignIn{ApplicantID: ap.ID, Bound: ap.PersonID != nil}, nil
}

// findOrCreate returns the account whose column has value, creating it when
// missing (a concurrent creation is found on the unique column).
func (s *Service) findOrCreate(ctx context.Context, col, val string, init func(*store.Applicant)) (store.Applicant, error) {
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

func (s *Service) auditSignIn(ctx context.Context, id int64, method, ip, outcome string) {
	var idp *int64
	if id != 0 {
		idp = &id
	}
	if err := s.st.Audit(ctx, &store.AuditEntry{ActorKind: ActorApplicant, ActorID: idp, Role: string(domain.RoleApplicant),
		Action: "auth.sign_in", ObjectType: "applicant", IP: ip, Outcome: outcome,
		Detail: detail(map[string]any{"method": method})}); err != nil {
		s.log.ErrorContext(ctx, "audit of a sign-in failed", "error", err)
	}
}

// Me is the signed-in applicant as API.md shows it.
type Me struct {
	ID          int64     `json:"id"`
	PhoneMasked *string   `json:"phone_masked"`
	Bound       bool      `json:"bound"`
	Person      *MePerson `json:"person"`
}

// MePerson is the bound person, masked.
type MePerson struct {
	Name           string `json:"name"`
	IDNumberMasked string `json:"id_number_masked"`
	BirthDate      string `json:"birth_date"`
	Sex            string `json:"sex"`
}

// Me returns the applicant's account.
func (s *Service) Me(ctx context.Context, a Actor) (Me, error) {
	q := s.st.Q(ctx)
	ap, err := q.Applicant(a.ID)
	if errors.Is(err, store.ErrNotFound) {
		return Me{}, domain.E(domain.CodeUnauthenticated)
	}
	if err != nil {
		return Me{}, s.internal(ctx, "me", err)
	}
	m := Me{ID: ap.ID, Bound: ap.PersonID != nil}
	if ap.Phone != "" {
		p := pii.MaskPhone(ap.Phone)
		m.PhoneMasked = &p
	}
	if ap.PersonID != nil {
		p, err := q.Person(*ap.PersonID)
		if err != nil {
			return Me{}, s.internal(ctx, "me", err)
		}
		m.Person = &MePerson{Name: p.Name, IDNumberMasked: pii.MaskIDNumber(p.IDNumber), BirthDate: p.BirthDate.UTC().Format("2006-01-02"), Sex: p.Sex}
	}
	return m, nil
}

// BindIdentity binds the account to the registry person with this name and
// ID number. A person is bound to one account at a time: binding moves it
// from another account, and the move is audited. Returns INVALID_ID_NUMBER,
// IDENTITY_MISMATCH, and CONFLICT while the account has an open case.
func (s *Service) BindIdentity(ctx context.Context, a Actor, name, idNumber string) (Me, error) {
	id, err := domain.ParseIDNumber(idNumber)
	if err != nil {
		return Me{}, err
	}
	name = strings.TrimSpace(name)
	err = s.st.Tx(ctx, func(q *store.Q) error {
		p, err := q.PersonByIDNumber(string(id))
		if errors.Is(err, store.ErrNotFound) || (err == nil && p.Name != name) {
			return domain.E(domain.CodeIdentityMismatch)
		}
		if err != nil {
			return err
		}
		ap, err := q.Applicant(a.ID)
		if err != nil {
			return err
		}
		if ap.PersonID != nil && *ap.PersonID == p.ID {
			return nil
		}
		if ap.PersonID != nil {
			if _, err := q.ActiveCaseOfPerson(*ap.PersonID); err == nil {
				return domain.Errorf(domain.CodeConflict, "您有正在办理的办件，暂不能更换绑定的身份")
			}
		}
		// The person's open case belongs to the account that filed it: the
		// identity cannot move while one runs.
		if _, err := q.ActiveCaseOfPerson(p.ID); err == nil {
			return domain.Errorf(domain.CodeConflict, "该身份有正在办理的办件，请在原账号办结或撤回后再绑定")
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		moved := int64(0)
		if other, err := q.ApplicantBy("person_id", p.ID); err == nil {
			moved = other.ID
			other.PersonID, other.BoundAt, other.ReboundAt = nil, nil, nil
			if err := q.SaveApplicant(&other); err != nil {
				return err
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		now := s.now()
		ap.PersonID, ap.BoundAt, ap.ReboundAt = &p.ID, &now, nil
		if moved != 0 {
			ap.ReboundAt = &now
		}
		if err := q.SaveApplicant(&ap); err != nil {
			return err
		}
		d := map[string]any{"person_id": p.ID}
		if moved != 0 {
			d["moved_from_applicant"] = moved
		}
		return q.AppendAudit(&store.AuditEntry{At: now, ActorKind: ActorApplicant, ActorID: &a.ID, Role: string(domain.RoleApplicant),
			Action: "identity.bind", ObjectType: "applicant", ObjectID: fmt.Sprint(a.ID), IP: a.IP, Outcome: "ok", Detail: detail(d)})
	})
	if err != nil {
		return Me{}, s.internal(ctx, "bind", err)
	}
	return s.Me(ctx, a)
}
