package service

import (
	"context"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/passwd"
	"github.com/gzga/idcard/backend/internal/store"
)

// ChangeOwnPassword sets the signed-in staff member's new password after
// checking the current one: at least 12 characters of three classes
// (domain.CheckPassword), none of the last five (the current one included).
// Audited as staff.password_change. Returns BAD_CREDENTIALS for a wrong
// current password, PASSWORD_POLICY and PASSWORD_REUSED.
func (s *Service) ChangeOwnPassword(ctx context.Context, a Actor, current, next string) error {
	q := s.st.Q(ctx)
	st, err := q.StaffByID(a.ID)
	if err != nil {
		return s.internal(ctx, "password change", err)
	}
	if ok, err := passwd.Verify(current, st.PasswordHash); err != nil {
		return s.internal(ctx, "password change", err)
	} else if !ok {
		return domain.E(domain.CodeBadCredentials)
	}
	if err := domain.CheckPassword(next); err != nil {
		return err
	}
	earlier, err := q.RecentPasswordHashes(st.ID, domain.PasswordHistory-1)
	if err != nil {
		return s.internal(ctx, "password change", err)
	}
	for _, h := range append([]string{st.PasswordHash}, earlier...) {
		if same, err := passwd.Verify(next, h); err == nil && same {
			return domain.E(domain.CodePasswordReused)
		}
	}
	hash, err := passwd.Hash(next, passwd.Default())
	if err != nil {
		return s.internal(ctx, "password change", err)
	}
	err = s.st.Tx(ctx, func(q *store.Q) error {
		if err := q.SetStaffPassword(st, hash, s.now()); err != nil {
			return err
		}
		return q.AppendAudit(&store.AuditEntry{ActorKind: a.Kind, ActorID: a.idPtr(), ActorName: a.Name, Role: string(a.Role),
			Action: "staff.password_change", ObjectType: "staff", ObjectID: st.Username, IP: a.IP, Outcome: store.OutcomeOK})
	})
	if err != nil {
		return s.internal(ctx, "password change", err)
	}
	return nil
}

// PasswordExpired reports whether the staff member's password is past its
// 90 days at now and, outside demo mode, must be changed before anything
// else.
func (s *Service) PasswordExpired(me StaffMe) bool {
	return s.production && !me.PasswordDue.IsZero() && !s.now().Before(me.PasswordDue)
}

// PasswordWarn reports whether the password's change is due within 14 days.
func (s *Service) PasswordWarn(me StaffMe) bool { return me.PasswordWarn(s.now()) }
