package service_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// TestCaseDateFiltersAtEveryHour submits cases around the edges of a
// Shanghai day — its first minutes, the hour when the UTC date turns, its
// last minutes — and checks that the staff list and the export select a day
// by its Asia/Shanghai dates with the clock at each of those hours, on the
// store under test. A filter compared in the wrong zone is eight hours off
// and loses or gains the cases between 00:00 and 08:00.
func TestCaseDateFiltersAtEveryHour(t *testing.T) {
	f := newFixture(t)
	loc := calendar.Location()
	day := time.Date(2026, 3, 4, 0, 0, 0, 0, loc)
	at := func(d, h, m int) time.Time {
		return day.AddDate(0, 0, d).Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
	}
	submitted := map[string]time.Time{}
	for _, s := range []time.Time{at(-1, 7, 59), at(-1, 23, 30), at(0, 0, 30), at(0, 7, 59), at(0, 8, 0), at(0, 23, 30), at(1, 0, 30), at(1, 8, 0)} {
		f.clk.Set(s)
		submitted[f.newCase(caseSpec{}).no] = s
	}
	sup := f.staff("supervisor")
	for _, clock := range []time.Time{at(1, 0, 30), at(1, 7, 59), at(1, 8, 0), at(1, 23, 30)} {
		f.clk.Set(clock)
		for _, span := range []struct{ from, to int }{{0, 1}, {-1, 0}, {-1, 1}, {1, 2}} {
			from, to := day.AddDate(0, 0, span.from), day.AddDate(0, 0, span.to)
			var want []string
			for no, s := range submitted {
				if !s.Before(from) && s.Before(to) {
					want = append(want, no)
				}
			}
			slices.Sort(want)
			name := clock.Format("15:04") + " " + from.Format(calendar.DateLayout) + "…" + to.Format(calendar.DateLayout)
			if len(want) == 0 {
				t.Fatalf("%s: the span holds no case; the test proves nothing", name)
			}
			cq := service.CaseQuery{From: from, To: to, Limit: 100}
			page, err := f.svc.StaffCases(f.ctx, sup, cq)
			mustOK(t, err)
			var listed []string
			for _, v := range page.Items {
				listed = append(listed, v.No)
			}
			if got := ours(submitted, listed); !slices.Equal(got, want) {
				t.Errorf("%s: list %v, want %v", name, got, want)
			}
			exp, err := f.svc.PrepareCaseExport(f.ctx, sup, cq, "csv")
			mustOK(t, err)
			var exported []string
			mustOK(t, exp.Each(context.Background(), func(v service.CaseView) error {
				exported = append(exported, v.No)
				return nil
			}))
			if got := ours(submitted, exported); !slices.Equal(got, want) {
				t.Errorf("%s: export %v, want %v", name, got, want)
			}
		}
	}
}

// TestCaseDateFiltersRefuseAnEmptySpan: a span that ends before it starts
// is refused for the list and the export alike, not answered with nothing.
func TestCaseDateFiltersRefuseAnEmptySpan(t *testing.T) {
	f := newFixture(t)
	day := time.Date(2026, 3, 4, 0, 0, 0, 0, calendar.Location())
	cq := service.CaseQuery{From: day, To: day}
	_, err := f.svc.StaffCases(f.ctx, f.staff("supervisor"), cq)
	wantCode(t, err, domain.CodeValidationFailed)
	_, err = f.svc.PrepareCaseExport(f.ctx, f.staff("supervisor"), cq, "csv")
	wantCode(t, err, domain.CodeValidationFailed)
}

// ours keeps the case numbers this test submitted, sorted.
func ours(submitted map[string]time.Time, nos []string) []string {
	var out []string
	for _, no := range nos {
		if _, ok := submitted[no]; ok {
			out = append(out, no)
		}
	}
	slices.Sort(out)
	return out
}
