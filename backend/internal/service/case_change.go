package service

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// ChangeInput is the applicant's change of a running case: any of the
// station, the collection method and the mail address; an omitted field
// stays as it is. Version, when given, is the version the client saw.
type ChangeInput struct {
	StationID  *int64     `json:"station_id,omitempty"`
	Collection *string    `json:"collection,omitempty"`
	Mail       *MailInput `json:"mail,omitempty"`
	Version    *int       `json:"version,omitempty"`
}

// Change changes the station, the collection method or the mail address of
// the applicant's case until production starts (docs/procedure.md, "Change
// until production"). Before pre-check the new station takes over the
// pre-check: its queue, and a pre-check period of its own from now; after
// it only the station the card goes to and the route change. A change that
// changes nothing answers the case as it is and writes nothing. Returns
// NOT_FOUND for another's case, CHANGE_NOT_ALLOWED from produced on and on
// closed cases, VERSION_CONFLICT for a stale version, UNKNOWN_STATION and
// MAIL_ADDRESS_REQUIRED.
func (s *Service) Change(ctx context.Context, a Actor, no string, in ChangeInput) (CaseView, error) {
	if in.Collection != nil {
		c := strings.TrimSpace(*in.Collection)
		if !domain.Collection(c).Valid() {
			return CaseView{}, domain.Errorf(domain.CodeValidationFailed, "请选择领证方式（窗口领取或邮寄到家）")
		}
		in.Collection = &c
	}
	if in.Mail != nil {
		if err := in.Mail.normalise(); err != nil {
			return CaseView{}, err
		}
	}
	if in.StationID == nil && in.Collection == nil && in.Mail == nil {
		return CaseView{}, domain.Errorf(domain.CodeValidationFailed, "请选择要变更的领证地点、领取方式或邮寄地址")
	}
	var note string
	var audit map[string]any
	unchanged := false
	return s.act(ctx, a, no, step{action: domain.ActionChange, version: in.Version,
		done: func(c *store.Case) bool {
			// Closed or in production: let the transition refuse it.
			if !domain.Status(c.Status).IsFinal() && changeable(c) {
				unchanged = sameAs(c, in)
			}
			return unchanged
		},
		check: func(q *store.Q, c *store.Case) error {
			var err error
			note, audit, err = s.applyChange(q, c, in)
			return err
		},
		apply: func(_ *store.Q, c *store.Case, now time.Time) error {
			if c.Status == string(domain.StatusSubmitted) && audit["station_from"] != nil {
				c.StationSince = &now
			}
			SetDues(s.calendar(), c)
			return nil
		},
		annotate: func() (string, map[string]any) { return note, audit },
	})
}

// changeable reports whether the case's status still allows a change.
func changeable(c *store.Case) bool {
	for _, st := range domain.ChangeableStatuses() {
		if c.Status == string(st) {
			return true
		}
	}
	return false
}

// sameAs reports whether in would leave c as it is.
func sameAs(c *store.Case, in ChangeInput) bool {
	if in.StationID != nil && *in.StationID != c.StationID {
		return false
	}
	if in.Collection != nil && *in.Collection != c.Collection {
		return false
	}
	if m := in.Mail; m != nil {
		if c.Collection != string(domain.CollectionMail) && (in.Collection == nil || *in.Collection != string(domain.CollectionMail)) {
			return true // an address for the window route is ignored
		}
		d := ""
		if c.MailDivisionCode != nil {
			d = *c.MailDivisionCode
		}
		if m.Recipient != c.MailRecipient || m.Phone != c.MailPhone || m.Address != c.MailAddress || m.DivisionCode != d {
			return false
		}
	}
	return true
}

// applyChange sets the new station, route and address on the locked case
// and returns the timeline note and the audit detail.
func (s *Service) applyChange(q *store.Q, c *store.Case, in ChangeInput) (string, map[string]any, error) {
	var parts []string
	audit := map[string]any{}
	if in.StationID != nil && *in.StationID != c.StationID {
		station, err := activeStation(q, *in.StationID)
		if err != nil {
			return "", nil, err
		}
		audit["station_from"], audit["station_to"] = c.StationID, station.ID
		c.StationID, c.StationDivision, c.Remote = station.ID, station.DivisionCode, station.Remote
		parts = append(parts, "领证地点改为"+station.Name)
	}
	collection := c.Collection
	if in.Collection != nil {
		collection = *in.Collection
	}
	if collection != c.Collection {
		audit["collection_from"], audit["collection_to"] = c.Collection, collection
		parts = append(parts, "领取方式改为"+domain.Collection(collection).Label())
	}
	switch {
	case collection == string(domain.CollectionMail) && in.Mail != nil:
		if err := setMail(q, c, *in.Mail); err != nil {
			return "", nil, err
		}
		audit["mail"] = "已更新"
		if collection == c.Collection {
			parts = append(parts, "邮寄地址已更新")
		}
	case collection == string(domain.CollectionMail) && c.Collection != collection:
		return "", nil, domain.E(domain.CodeMailAddressRequired)
	case collection == string(domain.CollectionWindow):
		c.MailRecipient, c.MailPhone, c.MailAddress, c.MailDivisionCode = "", "", "", nil
	}
	c.Collection = collection
	return strings.Join(parts, "；"), audit, nil
}

// activeStation is the station with id that takes applications, or
// UNKNOWN_STATION.
func activeStation(q *store.Q, id int64) (store.Office, error) {
	station, err := q.Office(id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (station.Kind != store.OfficeStation || !station.Active)) {
		return store.Office{}, domain.E(domain.CodeUnknownStation)
	}
	return station, err
}

// setMail sets the case's EMS address; the division must be a county.
func setMail(q *store.Q, c *store.Case, m MailInput) error {
	d, err := q.Division(m.DivisionCode)
	if err != nil || d.Level != 3 {
		return domain.Errorf(domain.CodeMailAddressRequired, "请选择收件地址所在的区县")
	}
	c.MailRecipient, c.MailPhone, c.MailAddress, c.MailDivisionCode = m.Recipient, m.Phone, m.Address, &d.Code
	return nil
}
