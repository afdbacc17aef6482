package webtest

import (
	"context"
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// Drive moves a case on from where it is to status to along the happy path
// (pre-check by its station, review by its household's county bureau,
// production, shipping, arrival), each step by the service as the entitled
// demo officer; it fails t unless the case gets there.
func (e *Env) Drive(t testing.TB, no string, to domain.Status) {
	t.Helper()
	ctx := context.Background()
	c := e.Case(t, no)
	station, county := "station-"+c.StationDivision, "county-"+c.HouseholdDivision
	steps := []struct {
		at  domain.Status
		run func() error
	}{
		{domain.StatusSubmitted, func() error {
			_, err := e.Service.Precheck(ctx, e.Staff(t, station), no, service.Decision{Approve: true})
			return err
		}},
		{domain.StatusAccepted, func() error {
			_, err := e.Service.Review(ctx, e.Staff(t, county), no, service.Decision{Approve: true})
			return err
		}},
		{domain.StatusIssued, func() error {
			if c.Collection == "mail" && c.PaymentStatus == string(domain.PaymentUnpaid) {
				// The mail route pays before production starts.
				if _, err := e.Service.Pay(ctx, service.ApplicantActor(c.ApplicantID, "127.0.0.1"), no, domain.ChannelMiniProgram); err != nil {
					return err
				}
			}
			_, err := e.Service.Produce(ctx, e.Staff(t, "production"), no, nil)
			return err
		}},
		{domain.StatusProduced, func() error {
			tn := ""
			if c.Collection == "mail" {
				tn = "EA123456785CN"
			}
			_, err := e.Service.Ship(ctx, e.Staff(t, "production"), no, tn, nil)
			return err
		}},
		{domain.StatusShipped, func() error { _, err := e.Service.Arrive(ctx, e.Staff(t, station), no, nil); return err }},
	}
	for _, st := range steps {
		now := domain.Status(e.Case(t, no).Status)
		if now == to {
			return
		}
		if now == st.at {
			if err := st.run(); err != nil {
				t.Fatalf("drive %s from %s: %v", no, st.at, err)
			}
		}
	}
	if got := e.Case(t, no).Status; got != string(to) {
		t.Fatalf("drive %s: reached %s, want %s", no, got, to)
	}
}
