package service

import (
	"context"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/twofactor"
)

// StartOTP draws a new TOTP secret for the signed-in staff member and keeps
// it sealed, pending until ConfirmOTP; sign-in does not ask for it yet.
// Returns OTP_ALREADY_ENROLLED once a second factor is confirmed.
func (s *Service) StartOTP(ctx context.Context, a Actor) (twofactor.Enrolment, error) {
	q := s.st.Q(ctx)
	st, err := q.StaffByID(a.ID)
	if err != nil {
		return twofactor.Enrolment{}, s.internal(ctx, "otp start", err)
	}
	if st.OTPEnabledAt != nil {
		return twofactor.Enrolment{}, domain.E(domain.CodeOTPAlreadyEnrolled)
	}
	e, err := twofactor.New(st.Username)
	if err != nil {
		return twofactor.Enrolment{}, s.internal(ctx, "otp start", err)
	}
	if err := q.SetStaffOTP(st.ID, e.Secret, nil); err != nil {
		return twofactor.Enrolment{}, s.internal(ctx, "otp start", err)
	}
	return e, nil
}

// PendingOTP is the enrolment started and not confirmed yet, for the page
// that shows its QR code; ok is false when there is none.
func (s *Service) PendingOTP(ctx context.Context, a Actor) (twofactor.Enrolment, bool, error) {
	q := s.st.Q(ctx)
	st, err := q.StaffByID(a.ID)
	if err != nil {
		return twofactor.Enrolment{}, false, s.internal(ctx, "otp pending", err)
	}
	secret, err := q.OTPSecret(st)
	if err != nil {
		return twofactor.Enrolment{}, false, s.internal(ctx, "otp pending", err)
	}
	if secret == "" || st.OTPEnabledAt != nil {
		return twofactor.Enrolment{}, false, nil
	}
	return twofactor.Enrolment{Secret: secret, URL: twofactor.URL(st.Username, secret)}, true, nil
}

// ConfirmOTP checks a code of the pending secret and, when it is right,
// makes the second factor required at every sign-in. Audited as
// staff.otp_enrol (and as failed for a wrong code). Returns BAD_OTP for a
// wrong code or when no enrolment was started, OTP_ALREADY_ENROLLED when
// it is confirmed already.
func (s *Service) ConfirmOTP(ctx context.Context, a Actor, code string) error {
	q := s.st.Q(ctx)
	st, err := q.StaffByID(a.ID)
	if err != nil {
		return s.internal(ctx, "otp confirm", err)
	}
	if st.OTPEnabledAt != nil {
		return domain.E(domain.CodeOTPAlreadyEnrolled)
	}
	secret, err := q.OTPSecret(st)
	if err != nil {
		return s.internal(ctx, "otp confirm", err)
	}
	entry := &store.AuditEntry{ActorKind: a.Kind, ActorID: a.idPtr(), ActorName: a.Name, Role: string(a.Role),
		Action: "staff.otp_enrol", ObjectType: "staff", ObjectID: st.Username, IP: a.IP, Outcome: store.OutcomeOK}
	if secret == "" || !twofactor.Valid(code, secret, s.now()) {
		entry.Outcome = store.OutcomeFailed
		if err := s.st.Audit(ctx, entry); err != nil {
			s.log.ErrorContext(ctx, "audit of a failed enrolment", "error", err)
		}
		return domain.E(domain.CodeBadOTP)
	}
	at := s.now()
	err = s.st.Tx(ctx, func(q *store.Q) error {
		if err := q.SetStaffOTP(st.ID, secret, &at); err != nil {
			return err
		}
		return q.AppendAudit(entry)
	})
	if err != nil {
		return s.internal(ctx, "otp confirm", err)
	}
	return nil
}
