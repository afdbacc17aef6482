package service

import (
	"slices"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/forecast"
	"github.com/gzga/idcard/backend/internal/pii"
	"github.com/gzga/idcard/backend/internal/store"
)

// StationRef is the case's acceptance station as clients show it.
type StationRef struct {
	ID      int64  `json:"id"`
	Code    string `json:"code"`
	Name    string `json:"name"`
	Address string `json:"address"`
	Phone   string `json:"phone"`
	Hours   string `json:"hours"`
}

// MailView is the EMS address, masked.
type MailView struct {
	Recipient    string `json:"recipient"`
	Phone        string `json:"phone"`
	DivisionCode string `json:"division_code"`
	Address      string `json:"address"`
}

// TimelineEntry is one step of the case's timeline.
type TimelineEntry struct {
	Status      string  `json:"status"`
	StatusLabel string  `json:"status_label"`
	Action      string  `json:"action"`
	ActionLabel string  `json:"action_label"`
	At          string  `json:"at"`
	Note        *string `json:"note"`
	Office      string  `json:"office,omitempty"`
}

// CaseView is the case object of openapi.yaml.
type CaseView struct {
	No               string          `json:"no"`
	Kind             string          `json:"kind"`
	KindLabel        string          `json:"kind_label"`
	Status           string          `json:"status"`
	StatusLabel      string          `json:"status_label"`
	Final            bool            `json:"final"`            // the case is closed (domain.Status.IsFinal)
	ReturnsOldCard   bool            `json:"returns_old_card"` // the old card comes back at handover (domain.Kind.ReturnsOldCard)
	Changeable       bool            `json:"changeable"`       // the applicant may change station and route (domain.ChangeableStatuses)
	Payable          bool            `json:"payable"`          // the fee can be paid online now (domain.Payable)
	Collection       string          `json:"collection"`
	CollectionLabel  string          `json:"collection_label"`
	Station          StationRef      `json:"station"`
	Mail             *MailView       `json:"mail"`
	FeeYuan          int             `json:"fee_yuan"`
	SubmittedAt      string          `json:"submitted_at"`
	AcceptedAt       *string         `json:"accepted_at"`
	StageDueAt       *string         `json:"stage_due_at"`
	LegalDueAt       string          `json:"legal_due_at"`
	PickupDueAt      *string         `json:"pickup_due_at"`
	WorkingDaysLeft  *int            `json:"working_days_left"`
	ProvisionalDues  []string        `json:"provisional_dues,omitempty"` // due times counted through a year without a notice
	Overdue          bool            `json:"overdue"`
	ExtensionDays    int             `json:"extension_days"`
	RejectReason     *string         `json:"reject_reason"`
	TrackingNo       *string         `json:"tracking_no"`
	NewCardExpiresOn *string         `json:"new_card_expires_on"`
	OldCardReturned  *bool           `json:"old_card_returned"`
	TemporaryCard    *CaseTemporary  `json:"temporary_card"`
	ForPerson        *ForPerson      `json:"for_person"`        // the child, when a guardian applied (wards.go)
	PredictedDoneAt  *string         `json:"predicted_done_at"` // the forecast's day the card is ready (service/forecast.go)
	PaymentStatus    string          `json:"payment_status"`    // domain.PaymentStatus
	PaymentLabel     string          `json:"payment_status_label"`
	AmountDueYuan    int             `json:"amount_due_yuan"` // what online payment costs (domain.AmountDueYuan)
	Version          int             `json:"version"`
	Timeline         []TimelineEntry `json:"timeline,omitempty"`
}

// CaseTemporary is the temporary ID card of a case as the case object
// shows it (openapi.yaml): requested or issued, with its number and last valid
// day once issued.
type CaseTemporary struct {
	Status     string  `json:"status"`
	No         *string `json:"no"`
	ValidUntil *string `json:"valid_until"`
}

// caseTemporary presents the case's temporary card, if it has one.
func caseTemporary(t store.TemporaryCard, ok bool) *CaseTemporary {
	if !ok {
		return nil
	}
	return &CaseTemporary{Status: t.Status, No: t.CardNo, ValidUntil: datePtr(t.ValidUntil)}
}

func fmtTime(t time.Time) string { return calendar.FormatTime(t) }

func fmtTimePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := fmtTime(*t)
	return &s
}

// view presents a case; events and offices are optional (lists omit the
// timeline).
func (s *Service) view(c *store.Case, station store.Office, events []store.CaseEvent, offices map[int64]string) CaseView {
	v := CaseView{
		No: c.No, Kind: c.Kind, KindLabel: domain.Kind(c.Kind).Label(),
		Status: c.Status, StatusLabel: domain.Status(c.Status).Label(), Final: domain.Status(c.Status).IsFinal(),
		ReturnsOldCard: domain.Kind(c.Kind).ReturnsOldCard(),
		Collection:     c.Collection, CollectionLabel: domain.Collection(c.Collection).Label(),
		Station: StationRef{ID: station.ID, Code: station.Code, Name: station.Name, Address: station.Address, Phone: station.Phone, Hours: station.Hours},
		FeeYuan: c.FeeYuan, SubmittedAt: fmtTime(c.SubmittedAt), AcceptedAt: fmtTimePtr(c.AcceptedAt),
		StageDueAt: fmtTimePtr(c.StageDueAt), LegalDueAt: fmtTime(c.LegalDueAt), PickupDueAt: fmtTimePtr(c.PickupDueAt),
		ExtensionDays: c.ExtensionDays, RejectReason: c.RejectReason, TrackingNo: c.TrackingNo,
		OldCardReturned: c.OldCardReturned, Version: c.Version, PaymentStatus: c.PaymentStatus,
		PaymentLabel: domain.PaymentStatus(c.PaymentStatus).Label(), ProvisionalDues: provisionalDues(s.calendar(), c),
		Changeable: slices.Contains(domain.ChangeableStatuses(), domain.Status(c.Status)),
		Payable:    domain.Payable(domain.Status(c.Status), domain.PaymentStatus(c.PaymentStatus)),
	}
	if c.NewCardExpiresOn != nil {
		d := c.NewCardExpiresOn.UTC().Format(calendar.DateLayout)
		v.NewCardExpiresOn = &d
	}
	if c.Collection == string(domain.CollectionMail) {
		v.Mail = &MailView{Recipient: pii.MaskName(c.MailRecipient), Phone: pii.MaskPhone(c.MailPhone),
			Address: pii.MaskAddress(c.MailAddress)}
		if c.MailDivisionCode != nil {
			v.Mail.DivisionCode = *c.MailDivisionCode
		}
	}
	if c.StageDueAt != nil && !domain.Status(c.Status).IsFinal() {
		left := s.calendar().WorkingDaysLeft(s.now(), *c.StageDueAt)
		v.WorkingDaysLeft = &left
		v.Overdue = s.now().After(*c.StageDueAt)
	}
	for _, e := range events {
		te := TimelineEntry{Status: e.ToStatus, StatusLabel: domain.Status(e.ToStatus).Label(),
			Action: e.Action, ActionLabel: domain.Action(e.Action).Label(), At: fmtTime(e.At), Note: e.Note}
		if e.OfficeID != nil {
			te.Office = offices[*e.OfficeID]
		}
		v.Timeline = append(v.Timeline, te)
	}
	return v
}

// loadView reads what view needs for one case.
func (s *Service) loadView(q *store.Q, c *store.Case, withTimeline bool) (CaseView, error) {
	station, err := s.office(q.Ctx(), q, c.StationID)
	if err != nil {
		return CaseView{}, err
	}
	temps, err := q.TemporaryCardsOfCases([]int64{c.ID})
	if err != nil {
		return CaseView{}, err
	}
	forP, err := forPerson(q, c)
	if err != nil {
		return CaseView{}, err
	}
	m, err := s.forecastModel(q)
	if err != nil {
		return CaseView{}, err
	}
	if !withTimeline {
		v := s.withTemporary(s.withForecast(m, s.view(c, station, nil, nil), c), temps, c.ID)
		v.ForPerson = forP
		return v, nil
	}
	events, err := q.EventsOfCase(c.ID)
	if err != nil {
		return CaseView{}, err
	}
	offices := map[int64]string{}
	for _, e := range events {
		if e.OfficeID != nil {
			if _, ok := offices[*e.OfficeID]; !ok {
				o, err := s.office(q.Ctx(), q, *e.OfficeID)
				if err != nil {
					return CaseView{}, err
				}
				offices[o.ID] = o.Name
			}
		}
	}
	v := s.withTemporary(s.withForecast(m, s.view(c, station, events, offices), c), temps, c.ID)
	v.ForPerson = forP
	return v, nil
}

// withForecast sets the case's predicted_done_at from the model.
func (s *Service) withForecast(m *forecast.Model, v CaseView, c *store.Case) CaseView {
	v.PredictedDoneAt = s.predictedDone(m, c)
	return v
}

// withTemporary sets the case's temporary card from temps (by case id).
func (s *Service) withTemporary(v CaseView, temps map[int64]store.TemporaryCard, caseID int64) CaseView {
	t, ok := temps[caseID]
	v.TemporaryCard = caseTemporary(t, ok)
	v.AmountDueYuan = domain.AmountDueYuan(domain.Kind(v.Kind), v.Collection == string(domain.CollectionMail), ok)
	return v
}

// views presents cases without timelines, as lists show them, reading
// their temporary cards in one query (the stations are reference data).
func (s *Service) views(q *store.Q, cs []store.Case) ([]CaseView, error) {
	caseIDs := make([]int64, 0, len(cs))
	for _, c := range cs {
		caseIDs = append(caseIDs, c.ID)
	}
	temps, err := q.TemporaryCardsOfCases(caseIDs)
	if err != nil {
		return nil, err
	}
	return s.viewsWith(q, cs, temps)
}

// viewsWith is views with the temporary cards already read; the stations
// come from the in-process reference data.
func (s *Service) viewsWith(q *store.Q, cs []store.Case, temps map[int64]store.TemporaryCard) ([]CaseView, error) {
	stationIDs := make([]int64, 0, len(cs))
	for _, c := range cs {
		stationIDs = append(stationIDs, c.StationID)
	}
	offices, err := s.offices(q.Ctx(), q, stationIDs)
	if err != nil {
		return nil, err
	}
	m, err := s.forecastModel(q)
	if err != nil {
		return nil, err
	}
	out := make([]CaseView, 0, len(cs))
	for i := range cs {
		v := s.withTemporary(s.withForecast(m, s.view(&cs[i], offices[cs[i].StationID], nil, nil), &cs[i]), temps, cs[i].ID)
		if v.ForPerson, err = forPerson(q, &cs[i]); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
