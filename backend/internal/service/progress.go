package service

import (
	"context"
	"crypto/subtle"
	"errors"
	"strings"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// ProgressInput is a look-up without sign-in: the case number, the name of
// the card's holder and the last 6 characters of the holder's ID number.
type ProgressInput struct {
	CaseNo  string `json:"case_no"`
	Name    string `json:"name"`
	IDLast6 string `json:"id_last6"`
}

// ProgressStation names the station, nothing else of it.
type ProgressStation struct {
	Name string `json:"name"`
}

// ProgressView is what the look-up answers: status and dates, no personal
// data (openapi.yaml, ProgressAnswer).
type ProgressView struct {
	No              string          `json:"no"`
	Kind            string          `json:"kind"`
	KindLabel       string          `json:"kind_label"`
	Status          string          `json:"status"`
	StatusLabel     string          `json:"status_label"`
	Station         ProgressStation `json:"station"`
	SubmittedAt     string          `json:"submitted_at"`
	StageDueAt      *string         `json:"stage_due_at"`
	LegalDueAt      string          `json:"legal_due_at"`
	PredictedDoneAt *string         `json:"predicted_done_at"`
}

// Budgets of the look-up: the last 6 characters of an ID number are a weak
// secret, so guessing them for one case, or many cases from one address,
// must stay slow.
const (
	progressPerIP   = 30
	progressPerCase = 10
	progressPeriod  = time.Hour
)

// errProgressNoMatch is the one answer for an unknown case number, a wrong
// name and wrong digits alike, so the answer tells nothing about which.
var errProgressNoMatch = domain.Errorf(domain.CodeNotFound, "未查询到相符的办件：请核对办件编号、姓名和身份证号码后6位")

// Progress answers a look-up without sign-in (a family member following a
// case). Each try spends the caller's address's budget and the case
// number's; the name and digits are compared in constant time, both
// always. Returns NOT_FOUND for any mismatch and RATE_LIMITED.
func (s *Service) Progress(ctx context.Context, ip string, in ProgressInput) (ProgressView, error) {
	no := strings.ToUpper(strings.TrimSpace(in.CaseNo))
	name := strings.TrimSpace(in.Name)
	last6 := strings.ToUpper(strings.TrimSpace(in.IDLast6))
	if s.limiter != nil {
		if err := s.limiter.Allow(ctx, "progress:ip", progressPerIP, progressPeriod, ip); err != nil {
			return ProgressView{}, err
		}
		if domain.ValidCaseNo(no) {
			if err := s.limiter.Allow(ctx, "progress:case", progressPerCase, progressPeriod, no); err != nil {
				return ProgressView{}, err
			}
		}
	}
	if !domain.ValidCaseNo(no) || name == "" || len(last6) != 6 {
		return ProgressView{}, errProgressNoMatch
	}
	// One statement, and both comparisons, whether or not the case
	// exists: an unknown number answers as slowly as a wrong name, so the
	// time taken does not tell which case numbers exist.
	q := s.st.Q(ctx)
	c, p, _, err := q.CaseWithPersonByNo(no)
	found := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return ProgressView{}, s.internal(ctx, "progress", err)
	}
	id := p.IDNumber
	if len(id) < 6 {
		id = "------"
	}
	nameOK := subtle.ConstantTimeCompare([]byte(name), []byte(p.Name))
	idOK := subtle.ConstantTimeCompare([]byte(last6), []byte(id[len(id)-6:]))
	if !found || nameOK&idOK != 1 {
		return ProgressView{}, errProgressNoMatch
	}
	station, err := q.Office(c.StationID)
	if err != nil {
		return ProgressView{}, s.internal(ctx, "progress", err)
	}
	m, err := s.forecastModel(q)
	if err != nil {
		return ProgressView{}, s.internal(ctx, "progress", err)
	}
	return ProgressView{PredictedDoneAt: s.predictedDone(m, &c), No: c.No, Kind: c.Kind, KindLabel: domain.Kind(c.Kind).Label(), Status: c.Status,
		StatusLabel: domain.Status(c.Status).Label(), Station: ProgressStation{Name: station.Name},
		SubmittedAt: fmtTime(c.SubmittedAt), StageDueAt: fmtTimePtr(c.StageDueAt), LegalDueAt: fmtTime(c.LegalDueAt)}, nil
}
