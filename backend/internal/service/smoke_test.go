package service_test

import (
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
)

func TestFixtureDrivesEveryStatus(t *testing.T) {
	f := newFixture(t)
	for _, mail := range []bool{false, true} {
		for _, s := range domain.AllStatuses() {
			if !reachable(s, mail) {
				continue
			}
			tc := f.caseAt(caseSpec{mail: mail}, s)
			t.Logf("%v %s %s", mail, s, tc.no)
		}
	}
}
