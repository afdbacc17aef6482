package service

import (
	"context"
	"slices"
	"strings"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/pii"
	"github.com/gzga/idcard/backend/internal/store"
)

// MaxMailQueueRows bounds one page of a mail work list.
const MaxMailQueueRows = 100

// MailRow is a mail-route case on a production work list, masked.
type MailRow struct {
	DispatchRow
	Phone      string // the recipient's phone, masked
	Address    string // masked
	StageDueAt *string
	Overdue    bool
	Version    int
	// Provisional says the stage due is counted through a year without a
	// State Council notice.
	Provisional bool
}

// MailQueue is the first rows of a mail work list and its full size.
type MailQueue struct {
	Rows  []MailRow
	Total int64
}

// MailItem is one row of a mail form: the case at the version the page
// showed, and what was typed for it (a tracking number, or who signed).
type MailItem struct {
	No      string
	Value   string
	Version *int
}

// MailResult says which rows of a mail form went through and why the
// others did not, by case number, in plain Chinese.
type MailResult struct {
	Done   []string
	Failed map[string]string
}

func cleanSearch(search string) (string, error) {
	search = strings.ToUpper(strings.TrimSpace(search))
	if len(search) > 14 {
		return "", domain.Errorf(domain.CodeValidationFailed, "请输入办件编号或EMS邮件号（或其开头部分）")
	}
	for _, r := range search {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return "", domain.Errorf(domain.CodeValidationFailed, "请输入办件编号或EMS邮件号（或其开头部分），只含字母和数字")
		}
	}
	return search, nil
}

// mailQueue lists the mail-route cases of a status.
func (s *Service) mailQueue(ctx context.Context, a Actor, status domain.Status, search string) (MailQueue, error) {
	if err := productionOnly(a); err != nil {
		return MailQueue{}, err
	}
	search, err := cleanSearch(search)
	if err != nil {
		return MailQueue{}, err
	}
	q := s.st.Q(ctx)
	cs, n, err := q.ListDispatchQueue(store.DispatchQueue{Status: string(status), Collection: string(domain.CollectionMail),
		Search: search, ByShipped: status == domain.StatusShipped, Limit: MaxMailQueueRows})
	if err != nil {
		return MailQueue{}, s.internal(ctx, "mail queue", err)
	}
	rows, err := s.dispatchRows(q, cs)
	if err != nil {
		return MailQueue{}, s.internal(ctx, "mail queue", err)
	}
	out := MailQueue{Total: n, Rows: make([]MailRow, 0, len(rows))}
	for i, r := range rows {
		c := &cs[i]
		m := MailRow{DispatchRow: r, Phone: pii.MaskPhone(c.MailPhone), Address: pii.MaskAddress(c.MailAddress),
			StageDueAt: fmtTimePtr(c.StageDueAt), Version: c.Version,
			Provisional: slices.Contains(provisionalDues(s.calendar(), c), "stage_due_at")}
		m.Overdue = c.StageDueAt != nil && s.now().After(*c.StageDueAt)
		out.Rows = append(out.Rows, m)
	}
	return out, nil
}

// MailToShip lists the produced cards of the mail route, soonest due first,
// that wait for an EMS tracking number. search narrows to case numbers
// starting with it. Returns FORBIDDEN outside the production centre.
func (s *Service) MailToShip(ctx context.Context, a Actor, search string) (MailQueue, error) {
	return s.mailQueue(ctx, a, domain.StatusProduced, search)
}

// MailInTransit lists the cards shipped by EMS and not yet delivered,
// oldest dispatch first; search narrows to case or tracking numbers
// starting with it. Returns FORBIDDEN outside the production centre.
func (s *Service) MailInTransit(ctx context.Context, a Actor, search string) (MailQueue, error) {
	return s.mailQueue(ctx, a, domain.StatusShipped, search)
}

// ShipMail ships the rows of the EMS form that carry a tracking number.
// Every number is checked first, so a bad row never stops the good ones: a
// malformed or wrongly check-digited S10 number, one typed on two rows or
// one another case already carries is refused with the reason. Returns
// FORBIDDEN outside the production centre.
func (s *Service) ShipMail(ctx context.Context, a Actor, items []MailItem) (MailResult, error) {
	if err := productionOnly(a); err != nil {
		return MailResult{}, err
	}
	res := MailResult{Failed: map[string]string{}}
	valid := map[string]string{} // case → normalised number
	rowsOf := map[string][]string{}
	for _, it := range items {
		tn, err := domain.ParseTrackingNo(it.Value)
		if err != nil {
			res.Failed[it.No] = domain.ErrorMessage(err)
			continue
		}
		valid[it.No] = tn
		rowsOf[tn] = append(rowsOf[tn], it.No)
	}
	tns := make([]string, 0, len(rowsOf))
	for tn, nos := range rowsOf {
		if len(nos) > 1 {
			for _, no := range nos {
				res.Failed[no] = "邮件号 " + tn + " 填在了多个办件上，一个邮件号只能用于一个办件"
				delete(valid, no)
			}
			continue
		}
		tns = append(tns, tn)
	}
	used, err := s.st.Q(ctx).CaseNosByTrackingNos(tns)
	if err != nil {
		return MailResult{}, s.internal(ctx, "ship mail", err)
	}
	for _, it := range items {
		tn, ok := valid[it.No]
		if !ok {
			continue
		}
		if other, taken := used[tn]; taken && other != it.No {
			res.Failed[it.No] = "邮件号 " + tn + " 已用于办件" + other + "，请核对邮件号"
			continue
		}
		if _, err := s.Ship(ctx, a, it.No, tn, it.Version); err != nil {
			res.Failed[it.No] = domain.ErrorMessage(err)
			continue
		}
		res.Done = append(res.Done, it.No)
	}
	return res, nil
}

// DeliverMail records the courier's deliveries typed on the form: each row
// is delivered on its own, so one refused row leaves the others done.
// Returns FORBIDDEN outside the production centre.
func (s *Service) DeliverMail(ctx context.Context, a Actor, items []MailItem) (MailResult, error) {
	if err := productionOnly(a); err != nil {
		return MailResult{}, err
	}
	res := MailResult{Failed: map[string]string{}}
	for _, it := range items {
		if _, err := s.Deliver(ctx, a, it.No, it.Value, it.Version); err != nil {
			res.Failed[it.No] = domain.ErrorMessage(err)
			continue
		}
		res.Done = append(res.Done, it.No)
	}
	return res, nil
}
