package service

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/pii"
	"github.com/gzga/idcard/backend/internal/store"
)

// MaxDispatchRows bounds one day's dispatch list; a longer day is cut and
// says so.
const MaxDispatchRows = 10000

// DispatchRow is one card on a day's dispatch list: to a station window, or
// by EMS to the applicant. Personal data is masked.
type DispatchRow struct {
	No              string
	KindLabel       string
	Holder          string // the card holder's name, masked
	Collection      string // window | mail
	CollectionLabel string
	StationCode     string // window route: the station the card goes to
	StationName     string
	TrackingNo      string // mail route (and a window parcel that has one)
	Recipient       string // mail route, masked
	CountyCode      string // mail route: the county of the address
	CountyName      string
	ShippedAt       time.Time // Asia/Shanghai
	StatusLabel     string    // the case's status now
	PaymentStatus   string    // domain.PaymentStatus of the case
	PaymentLabel    string    // its Chinese name, as the case's payment_status_label
}

// Dispatch is the dispatch list of one day (Asia/Shanghai): the cards the
// production centre shipped that day, window route first by station, then
// mail by county.
type Dispatch struct {
	Date      string // 2006-01-02
	Rows      []DispatchRow
	Window    int // cards to station windows
	Stations  int // stations they go to
	Mail      int // cards by EMS
	Truncated bool
}

// productionOnly answers FORBIDDEN unless the actor works at the production
// centre.
func productionOnly(a Actor) error {
	if a.Role != domain.RoleProductionOperator || a.OfficeKind != store.OfficeProductionCentre {
		return domain.E(domain.CodeForbidden)
	}
	return nil
}

// parseDispatchDate reads a day as 2006-01-02 in Asia/Shanghai; "" is
// today at now. Returns VALIDATION_FAILED for anything else.
func parseDispatchDate(day string, now time.Time) (time.Time, error) {
	day = strings.TrimSpace(day)
	if day == "" {
		y, m, d := now.In(calendar.Location()).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, calendar.Location()), nil
	}
	t, err := time.ParseInLocation(calendar.DateLayout, day, calendar.Location())
	if err != nil || t.Year() < 2000 || t.Year() > 2999 {
		return time.Time{}, domain.Errorf(domain.CodeValidationFailed, "日期格式不正确，应为“2026-03-05”这样的年-月-日")
	}
	return t, nil
}

// DispatchList is the production centre's dispatch list of a day ("" =
// today). Returns FORBIDDEN for anyone outside the production centre and
// VALIDATION_FAILED for a malformed date.
func (s *Service) DispatchList(ctx context.Context, a Actor, day string) (Dispatch, error) {
	if err := productionOnly(a); err != nil {
		return Dispatch{}, err
	}
	start, err := parseDispatchDate(day, s.clock())
	if err != nil {
		return Dispatch{}, err
	}
	q := s.st.Q(ctx)
	cs, err := q.CasesShippedBetween(start, start.AddDate(0, 0, 1), MaxDispatchRows+1)
	if err != nil {
		return Dispatch{}, s.internal(ctx, "dispatch list", err)
	}
	out := Dispatch{Date: start.Format(calendar.DateLayout)}
	if len(cs) > MaxDispatchRows {
		cs, out.Truncated = cs[:MaxDispatchRows], true
	}
	rows, err := s.dispatchRows(q, cs)
	if err != nil {
		return Dispatch{}, s.internal(ctx, "dispatch list", err)
	}
	sort.SliceStable(rows, func(i, j int) bool { return dispatchLess(rows[i], rows[j]) })
	stations := map[string]bool{}
	for _, r := range rows {
		if r.Collection == string(domain.CollectionMail) {
			out.Mail++
		} else {
			out.Window++
			stations[r.StationCode] = true
		}
	}
	out.Rows, out.Stations = rows, len(stations)
	return out, nil
}

// dispatchLess orders the list as it is packed: window parcels by station,
// then EMS items by county and tracking number.
func dispatchLess(a, b DispatchRow) bool {
	if a.Collection != b.Collection {
		return a.Collection == string(domain.CollectionWindow)
	}
	if a.Collection == string(domain.CollectionWindow) {
		if a.StationCode != b.StationCode {
			return a.StationCode < b.StationCode
		}
		return a.No < b.No
	}
	if a.CountyCode != b.CountyCode {
		return a.CountyCode < b.CountyCode
	}
	return a.TrackingNo < b.TrackingNo
}

// dispatchNames loads the stations, the holders' names and the mail
// counties of the cases.
func dispatchNames(q *store.Q, cs []store.Case) (map[int64]store.Office, map[int64]string, map[string]string, error) {
	stationIDs, personIDs, counties := []int64{}, []int64{}, []string{}
	for _, c := range cs {
		stationIDs, personIDs = append(stationIDs, c.StationID), append(personIDs, c.PersonID)
		if c.MailDivisionCode != nil {
			counties = append(counties, *c.MailDivisionCode)
		}
	}
	offices, err := q.OfficesByIDs(stationIDs)
	if err != nil {
		return nil, nil, nil, err
	}
	names, err := q.DispatchPersonNames(personIDs)
	if err != nil {
		return nil, nil, nil, err
	}
	countyNames, err := q.DivisionNames(counties)
	return offices, names, countyNames, err
}

// dispatchRows presents shipped or shippable cases, masked.
func (s *Service) dispatchRows(q *store.Q, cs []store.Case) ([]DispatchRow, error) {
	offices, names, counties, err := dispatchNames(q, cs)
	if err != nil {
		return nil, err
	}
	rows := make([]DispatchRow, 0, len(cs))
	for _, c := range cs {
		st := offices[c.StationID]
		r := DispatchRow{No: c.No, KindLabel: domain.Kind(c.Kind).Label(), Holder: pii.MaskName(names[c.PersonID]),
			Collection: c.Collection, CollectionLabel: domain.Collection(c.Collection).Label(),
			StationCode: st.Code, StationName: st.Name, StatusLabel: domain.Status(c.Status).Label(),
			PaymentStatus: c.PaymentStatus, PaymentLabel: domain.PaymentStatus(c.PaymentStatus).Label()}
		if c.TrackingNo != nil {
			r.TrackingNo = *c.TrackingNo
		}
		if c.ShippedAt != nil {
			r.ShippedAt = c.ShippedAt.In(calendar.Location())
		}
		if c.Collection == string(domain.CollectionMail) {
			r.Recipient = pii.MaskName(c.MailRecipient)
			if c.MailDivisionCode != nil {
				r.CountyCode, r.CountyName = *c.MailDivisionCode, counties[*c.MailDivisionCode]
			}
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// AuditDispatchExport records a download of a day's dispatch list (masked
// data leaving the system) before it is sent.
func (s *Service) AuditDispatchExport(ctx context.Context, a Actor, d Dispatch, format string) error {
	err := s.st.Audit(ctx, &store.AuditEntry{ActorKind: a.Kind, ActorID: a.idPtr(), ActorName: a.Name, Role: string(a.Role),
		Action: "dispatch.export", ObjectType: "dispatch", ObjectID: d.Date, IP: a.IP, Outcome: "ok",
		Detail: detail(map[string]any{"format": format, "rows": len(d.Rows), "masked": true})})
	if err != nil {
		return s.internal(ctx, "dispatch export audit", err)
	}
	return nil
}
