package service

import (
	"context"
	"errors"
	"strings"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/passwd"
	"github.com/gzga/idcard/backend/internal/store"
)

// AdminCreateStaff creates an account with an argon2id hash of its
// password, or of a random one that it returns (shown to the admin once).
// Audited as staff.create. Returns VALIDATION_FAILED for a bad field and
// CONFLICT for a username that is taken.
func (s *Service) AdminCreateStaff(ctx context.Context, a Actor, in NewStaff) (StaffAccount, string, error) {
	if err := requireSecurityAdmin(a); err != nil {
		return StaffAccount{}, "", err
	}
	in.Username = strings.ToLower(strings.TrimSpace(in.Username))
	name, err := domain.CleanText("姓名", in.Name, 32)
	if err != nil {
		return StaffAccount{}, "", err
	}
	in.Name = name
	if !usernameRe.MatchString(in.Username) {
		return StaffAccount{}, "", domain.Errorf(domain.CodeValidationFailed, "用户名须为3至64位小写字母、数字或 . _ -，且以字母或数字开头")
	}
	if in.Name == "" {
		return StaffAccount{}, "", domain.Errorf(domain.CodeValidationFailed, "请填写姓名（最多32个字）")
	}
	generated := ""
	if in.Password == "" {
		generated = randomPassword()
		in.Password = generated
	} else if err := checkPassword(in.Password); err != nil {
		return StaffAccount{}, "", err
	}
	hash, err := passwd.Hash(in.Password, passwd.Default())
	if err != nil {
		return StaffAccount{}, "", s.internal(ctx, "hash password", err)
	}
	var out StaffAccount
	err = s.st.Tx(ctx, func(q *store.Q) error {
		officeID, scope, err := resolvePost(q, in.StaffPost)
		if err != nil {
			return err
		}
		st := store.Staff{Username: in.Username, Name: in.Name, PasswordHash: hash, Role: in.Role,
			OfficeID: officeID, ScopeDivision: scope, Active: true}
		if err := q.InsertStaff(&st); err != nil {
			if errors.Is(err, store.ErrDuplicate) {
				return domain.Errorf(domain.CodeConflict, "用户名 %s 已被使用", in.Username)
			}
			return err
		}
		if out, err = s.accountView(q, st); err != nil {
			return err
		}
		return s.auditStaff(q, a, "staff.create", out, map[string]any{"role": out.Role, "office": out.OfficeCode,
			"scope": out.Scope, "password": map[bool]string{true: "generated", false: "set"}[generated != ""]})
	})
	if err != nil {
		return StaffAccount{}, "", s.internal(ctx, "create staff", err)
	}
	return out, generated, nil
}

// AdminUpdateStaff changes an account's role, office and scope. Audited as
// staff.update with the old and new post. An admin cannot change its own
// post. Returns NOT_FOUND for an unknown id.
func (s *Service) AdminUpdateStaff(ctx context.Context, a Actor, id int64, p StaffPost) (StaffAccount, error) {
	return s.changeStaff(ctx, a, id, "staff.update", func(q *store.Q, st *store.Staff) (map[string]any, error) {
		if st.ID == a.ID {
			return nil, domain.Errorf(domain.CodeConflict, "不能修改自己的岗位，请由其他管理员操作")
		}
		officeID, scope, err := resolvePost(q, p)
		if err != nil {
			return nil, err
		}
		if domain.Role(st.Role).IsAdministrator() && p.Role != st.Role {
			if err := s.keepAnAdmin(q, st); err != nil {
				return nil, err
			}
		}
		before, _ := s.accountView(q, *st)
		st.Role, st.OfficeID, st.ScopeDivision = p.Role, officeID, scope
		return map[string]any{"from": map[string]any{"role": before.Role, "office": before.OfficeCode, "scope": before.Scope}}, nil
	})
}

// AdminSetStaffActive disables or enables an account; a disabled account
// cannot sign in and its open sessions end at their next request. Audited
// as staff.disable or staff.enable. An admin cannot disable itself.
func (s *Service) AdminSetStaffActive(ctx context.Context, a Actor, id int64, active bool) (StaffAccount, error) {
	action := "staff.enable"
	if !active {
		action = "staff.disable"
	}
	return s.changeStaff(ctx, a, id, action, func(q *store.Q, st *store.Staff) (map[string]any, error) {
		if !active && st.ID == a.ID {
			return nil, domain.Errorf(domain.CodeConflict, "不能停用自己的账号")
		}
		if !active && domain.Role(st.Role).IsAdministrator() {
			if err := s.keepAnAdmin(q, st); err != nil {
				return nil, err
			}
		}
		st.Active = active
		return nil, nil
	})
}

// AdminResetPassword gives an account a new random password and returns it
// (shown to the admin once). Audited as staff.reset_password. The password
// the administrator has seen is due at once: it is recorded as set
// PasswordMaxAge ago, so outside demo mode its owner must change it at the
// next sign-in before anything else; the replaced one joins the history.
func (s *Service) AdminResetPassword(ctx context.Context, a Actor, id int64) (StaffAccount, string, error) {
	pw := randomPassword()
	hash, err := passwd.Hash(pw, passwd.Default())
	if err != nil {
		return StaffAccount{}, "", s.internal(ctx, "hash password", err)
	}
	out, err := s.changeStaff(ctx, a, id, "staff.reset_password", func(q *store.Q, st *store.Staff) (map[string]any, error) {
		if err := q.SetStaffPassword(*st, hash, s.now().Add(-domain.PasswordMaxAge)); err != nil {
			return nil, err
		}
		st.PasswordHash = hash
		return nil, nil
	})
	if err != nil {
		return StaffAccount{}, "", err
	}
	return out, pw, nil
}

// changeStaff locks an account, lets change alter it, writes it and the
// audit entry in one transaction.
func (s *Service) changeStaff(ctx context.Context, a Actor, id int64, action string,
	change func(q *store.Q, st *store.Staff) (map[string]any, error)) (StaffAccount, error) {
	if err := requireSecurityAdmin(a); err != nil {
		return StaffAccount{}, err
	}
	var out StaffAccount
	err := s.st.Tx(ctx, func(q *store.Q) error {
		st, err := q.LockStaff(id)
		if errors.Is(err, store.ErrNotFound) {
			return domain.Errorf(domain.CodeNotFound, "账号不存在")
		}
		if err != nil {
			return err
		}
		d, err := change(q, &st)
		if err != nil {
			return err
		}
		if err := q.UpdateStaffAccount(&st); err != nil {
			return err
		}
		if out, err = s.accountView(q, st); err != nil {
			return err
		}
		if d == nil {
			d = map[string]any{}
		}
		d["role"], d["office"], d["scope"], d["active"] = out.Role, out.OfficeCode, out.Scope, out.Active
		return s.auditStaff(q, a, action, out, d)
	})
	if err != nil {
		return StaffAccount{}, s.internal(ctx, action, err)
	}
	return out, nil
}

// keepAnAdmin refuses to take away the last active account of st's
// administrator role (system, security or audit): each of the three duties
// keeps someone to do it.
func (s *Service) keepAnAdmin(q *store.Q, st *store.Staff) error {
	admins, err := q.ListStaff(store.StaffFilter{Role: st.Role, Active: ptr(true)})
	if err != nil {
		return err
	}
	for _, ad := range admins {
		if ad.ID != st.ID {
			return nil
		}
	}
	return domain.Errorf(domain.CodeConflict, "须至少保留一个启用的%s账号", domain.Role(st.Role).Label())
}

// auditStaff appends the audit entry of an account change.
func (s *Service) auditStaff(q *store.Q, a Actor, action string, st StaffAccount, d map[string]any) error {
	return q.AppendAudit(&store.AuditEntry{ActorKind: a.Kind, ActorID: a.idPtr(), ActorName: a.Name, Role: string(a.Role),
		Action: action, ObjectType: "staff", ObjectID: st.Username, IP: a.IP, Outcome: "ok", Detail: detail(d)})
}
