package store

import "time"

const purposePhone = "applicant.phone"

// Applicant is a citizen's account: a phone number and/or WeChat openids,
// bound to at most one registry person (and a person to one account).
type Applicant struct {
	ID             int64  `gorm:"primaryKey"`
	Phone          string `gorm:"-"`
	PhoneEnc       *string
	PhoneBidx      *string
	WechatOpenid   *string
	WechatMpOpenid *string
	WechatUnionid  *string
	PersonID       *int64
	BoundAt        *time.Time
	// ReboundAt is when the bound person was moved to this account from
	// another one; nil for a first binding.
	ReboundAt *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName names the table.
func (Applicant) TableName() string { return "applicants" }

// PhoneIndex is the blind index a new row of a phone number gets.
func (q *Q) PhoneIndex(phone string) string { return q.box.Index(purposePhone, phone) }

// PhoneIndexes are the blind indexes a stored row of a phone number may
// carry (under either suite): what look-ups by phone pass to ApplicantBy.
func (q *Q) PhoneIndexes(phone string) []string { return q.box.Indexes(purposePhone, phone) }

func (q *Q) sealApplicant(a *Applicant) error {
	if a.Phone == "" {
		a.PhoneEnc, a.PhoneBidx = nil, nil
		return nil
	}
	s, err := q.box.Seal(purposePhone, a.Phone)
	if err != nil {
		return err
	}
	idx := q.PhoneIndex(a.Phone)
	a.PhoneEnc, a.PhoneBidx = &s, &idx
	return nil
}

func (q *Q) openApplicant(a *Applicant) error {
	if a.PhoneEnc == nil {
		return nil
	}
	p, err := q.box.Open(purposePhone, *a.PhoneEnc)
	a.Phone = p
	return err
}

// InsertApplicant creates an account.
func (q *Q) InsertApplicant(a *Applicant) error {
	if err := q.sealApplicant(a); err != nil {
		return err
	}
	t := now()
	a.CreatedAt, a.UpdatedAt = t, t
	return translate(q.g.Create(a).Error)
}

// InsertApplicants creates many accounts (bulk seeding).
func (q *Q) InsertApplicants(as []Applicant) error {
	t := now()
	for i := range as {
		if err := q.sealApplicant(&as[i]); err != nil {
			return err
		}
		as[i].CreatedAt, as[i].UpdatedAt = t, t
	}
	return translate(q.g.CreateInBatches(as, 500).Error)
}

// SaveApplicant writes every column of an account.
func (q *Q) SaveApplicant(a *Applicant) error {
	if err := q.sealApplicant(a); err != nil {
		return err
	}
	a.UpdatedAt = now()
	return translate(q.g.Save(a).Error)
}

// Applicant returns an account by id.
func (q *Q) Applicant(id int64) (Applicant, error) {
	var a Applicant
	if err := q.g.Where("id = ?", id).Take(&a).Error; err != nil {
		return a, translate(err)
	}
	return a, q.openApplicant(&a)
}

// ApplicantBy returns the account whose column (phone_bidx, wechat_openid,
// wechat_mp_openid, wechat_unionid or person_id) equals value, or one of
// the values when value is a []string (PhoneIndexes).
func (q *Q) ApplicantBy(column string, value any) (Applicant, error) {
	switch column {
	case "phone_bidx", "wechat_openid", "wechat_mp_openid", "wechat_unionid", "person_id":
	default:
		panic("store: ApplicantBy on column " + column)
	}
	var a Applicant
	op := " = ?"
	if _, many := value.([]string); many {
		op = " IN ?"
	}
	if err := q.g.Where(column+op, value).Take(&a).Error; err != nil {
		return a, translate(err)
	}
	return a, q.openApplicant(&a)
}

// ApplicantIDsByPerson maps person ids to their bound accounts.
func (q *Q) ApplicantIDsByPerson(personIDs []int64) (map[int64]int64, error) {
	var rows []Applicant
	out := map[int64]int64{}
	for i := 0; i < len(personIDs); i += 1000 {
		end := min(i+1000, len(personIDs))
		if err := q.g.Select("id", "person_id").Where("person_id IN ?", personIDs[i:end]).Find(&rows).Error; err != nil {
			return nil, translate(err)
		}
		for _, r := range rows {
			out[*r.PersonID] = r.ID
		}
	}
	return out, nil
}
