package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/big"
	"regexp"
	"strings"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// MailInput is the EMS address of the mail route.
type MailInput struct {
	Recipient    string `json:"recipient"`
	Phone        string `json:"phone"`
	DivisionCode string `json:"division_code"`
	Address      string `json:"address"`
}

// SubmitInput is an application.
type SubmitInput struct {
	Kind           string     `json:"kind"`
	StationID      int64      `json:"station_id"`
	Collection     string     `json:"collection"`
	Mail           *MailInput `json:"mail,omitempty"`
	PhotoID        *int64     `json:"photo_id,omitempty"`
	PhotoReceiptNo string     `json:"photo_receipt_no,omitempty"`
	// WardID applies for a child bound to the account (GET /me/wards).
	WardID *int64 `json:"ward_id,omitempty"`
}

var receiptRe = regexp.MustCompile(`^[0-9A-Za-z]{8,20}$`)

// normalise trims the input and checks its shape (not yet the rules that
// need the database).
func (in *SubmitInput) normalise() error {
	in.Kind, in.Collection = strings.TrimSpace(in.Kind), strings.TrimSpace(in.Collection)
	in.PhotoReceiptNo = strings.ToUpper(strings.TrimSpace(in.PhotoReceiptNo))
	if !domain.Kind(in.Kind).Valid() {
		return domain.Errorf(domain.CodeValidationFailed, "请选择办理类型（到期换领、损坏换领或丢失补领）")
	}
	if !domain.Collection(in.Collection).Valid() {
		return domain.Errorf(domain.CodeValidationFailed, "请选择领证方式（窗口领取或邮寄到家）")
	}
	if in.Collection == string(domain.CollectionMail) {
		if in.Mail == nil {
			return domain.E(domain.CodeMailAddressRequired)
		}
		if err := in.Mail.normalise(); err != nil {
			return err
		}
	} else {
		in.Mail = nil
	}
	if in.PhotoReceiptNo != "" && !receiptRe.MatchString(in.PhotoReceiptNo) {
		return domain.Errorf(domain.CodePhotoInvalid, "相片回执号应为8至20位字母或数字")
	}
	return nil
}

// normalise trims an EMS address and checks that it is complete.
func (m *MailInput) normalise() error {
	var err error
	if m.Recipient, err = domain.CleanText("收件人", m.Recipient, 32); err != nil {
		return err
	}
	if m.Address, err = domain.CleanText("详细地址", m.Address, 120); err != nil {
		return err
	}
	m.Phone, m.DivisionCode = strings.TrimSpace(m.Phone), strings.TrimSpace(m.DivisionCode)
	if m.Recipient == "" || m.Phone == "" || m.DivisionCode == "" || m.Address == "" {
		return domain.Errorf(domain.CodeMailAddressRequired, "请完整填写收件人、手机号、所在地区和详细地址")
	}
	if !domain.ValidMobile(m.Phone) {
		return domain.Errorf(domain.CodeMailAddressRequired, "收件人手机号格式不正确")
	}
	return nil
}

// hash is the fingerprint of a normalised input, for idempotency keys.
func (in *SubmitInput) hash() string {
	b, _ := json.Marshal(in)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Submit files an application for the applicant's bound person. With an
// idempotency key, the same key and input return the first answer and another
// input is refused with IDEMPOTENCY_KEY_REUSED. Returns NOT_BOUND,
// KIND_NOT_ALLOWED, UNKNOWN_STATION, MAIL_ADDRESS_REQUIRED, PHOTO_REQUIRED and
// ACTIVE_CASE_EXISTS (the database's unique open case per person decides).
func (s *Service) Submit(ctx context.Context, a Actor, in SubmitInput, idemKey string) (CaseView, error) {
	if a.Role != domain.RoleApplicant {
		return CaseView{}, domain.E(domain.CodeForbidden)
	}
	if len(idemKey) > 128 {
		return CaseView{}, domain.Errorf(domain.CodeBadRequest, "Idempotency-Key 不能超过128个字符")
	}
	if err := in.normalise(); err != nil {
		return CaseView{}, err
	}
	reqHash := in.hash()
	if idemKey != "" {
		if v, ok, err := s.replay(ctx, a.ID, idemKey, reqHash); ok || err != nil {
			return v, err
		}
	}
	var view CaseView
	err := s.st.Tx(ctx, func(q *store.Q) error {
		var idem store.IdempotencyKey
		if idemKey != "" {
			// Claimed first: a concurrent request with the same key waits here
			// for this transaction and then finds the stored answer.
			idem = store.IdempotencyKey{ApplicantID: a.ID, IdemKey: idemKey, RequestHash: reqHash, StatusCode: 0, Response: "{}"}
			if err := q.InsertIdempotencyKey(&idem); err != nil {
				return err
			}
		}
		c, err := s.newCase(q, a, in)
		if err != nil {
			return err
		}
		if err := s.addFlow(q, c, "", nil, c.SubmittedAt); err != nil {
			return err
		}
		if err := s.record(q, a, c, domain.ActionSubmit, "", "", map[string]any{"kind": c.Kind, "station_id": c.StationID}, c.SubmittedAt); err != nil {
			return err
		}
		if view, err = s.loadView(q, c, true); err != nil {
			return err
		}
		if idemKey != "" {
			b, err := json.Marshal(view)
			if err != nil {
				return err
			}
			return q.SetIdempotencyResponse(idem.ID, string(b))
		}
		return nil
	})
	if errors.Is(err, store.ErrDuplicate) && idemKey != "" {
		if v, ok, rerr := s.replay(ctx, a.ID, idemKey, reqHash); ok || rerr != nil {
			return v, rerr
		}
	}
	if err != nil {
		return CaseView{}, s.internal(ctx, "submit", err)
	}
	return view, nil
}

// replay answers a request whose idempotency key was used before.
func (s *Service) replay(ctx context.Context, applicantID int64, key, reqHash string) (CaseView, bool, error) {
	k, err := s.st.Q(ctx).IdempotencyKeyOf(applicantID, key)
	if errors.Is(err, store.ErrNotFound) {
		return CaseView{}, false, nil
	}
	if err != nil {
		return CaseView{}, false, s.internal(ctx, "idempotency", err)
	}
	if k.RequestHash != reqHash {
		return CaseView{}, true, domain.E(domain.CodeIdempotencyKeyReused)
	}
	var v CaseView
	if err := json.Unmarshal([]byte(k.Response), &v); err != nil || v.No == "" {
		return CaseView{}, true, domain.Errorf(domain.CodeConflict, "相同的请求正在处理中，请稍后查看“我的办件”")
	}
	return v, true, nil
}

// newCase checks the rules that need the database and inserts the case.
func (s *Service) newCase(q *store.Q, a Actor, in SubmitInput) (*store.Case, error) {
	ap, err := q.Applicant(a.ID)
	if err != nil {
		return nil, err
	}
	if ap.PersonID == nil {
		return nil, domain.E(domain.CodeNotBound)
	}
	p, guardian, err := s.wardPerson(q, a, *ap.PersonID, in.WardID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	loc := calendar.Location()
	card := p.Card()
	if err := domain.CheckEligible(domain.Kind(in.Kind), card, now.In(loc)); err != nil {
		return nil, err
	}
	station, err := activeStation(q, in.StationID)
	if err != nil {
		return nil, err
	}
	c := &store.Case{Kind: in.Kind, Status: string(domain.StatusSubmitted), Collection: in.Collection,
		PersonID: p.ID, ActivePersonID: &p.ID, ApplicantID: a.ID, StationID: station.ID,
		StationDivision: station.DivisionCode, HouseholdDivision: p.HouseholdDivision, Remote: station.Remote,
		FeeYuan: domain.Kind(in.Kind).FeeYuan(), SubmittedAt: now, GuardianPersonID: guardian}
	c.PaymentStatus = string(domain.InitialPaymentStatus(c.FeeYuan, in.Collection == string(domain.CollectionMail)))
	SetDues(s.calendar(), c)
	if m := in.Mail; m != nil {
		if err := setMail(q, c, *m); err != nil {
			return nil, err
		}
	}
	if domain.Kind(in.Kind).NeedsPhoto() {
		switch {
		case in.PhotoID != nil:
			if _, err := q.PhotoOf(*in.PhotoID, a.ID); err != nil {
				return nil, domain.Errorf(domain.CodePhotoInvalid, "相片不存在或不属于本人，请重新上传")
			}
			c.PhotoID = in.PhotoID
		case in.PhotoReceiptNo != "":
			c.PhotoReceiptNo = &in.PhotoReceiptNo
		default:
			return nil, domain.E(domain.CodePhotoRequired)
		}
	}
	// The insert claims the person: the database's unique open case per
	// person decides between concurrent submissions, without a lock taken
	// beforehand on a case that does not exist yet.
	for try := 0; ; try++ {
		c.No = domain.CaseNo(now, randomSeq())
		err := q.InsertCase(c)
		switch {
		case err == nil:
			return c, nil
		case errors.Is(err, store.ErrOpenCaseExists):
			return nil, domain.E(domain.CodeActiveCaseExists)
		case !errors.Is(err, store.ErrDuplicate) || try == 4:
			return nil, err
		}
		// The number was taken: draw another.
	}
}

func randomSeq() int {
	n, err := rand.Int(rand.Reader, big.NewInt(999999))
	if err != nil {
		panic(err)
	}
	return int(n.Int64()) + 1
}
