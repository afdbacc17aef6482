package domain

import (
	"testing"
	"time"
)

func TestCardValidity(t *testing.T) {
	tests := []struct {
		birth, issued string
		years         int
		longTerm      bool
	}{
		{"2026-01-01", "2026-01-01", 5, false},
		{"2010-03-15", "2026-03-14", 5, false},  // 15
		{"2010-03-15", "2026-03-15", 10, false}, // 16th birthday
		{"2000-03-15", "2026-03-14", 10, false}, // 25
		{"2000-03-15", "2026-03-15", 20, false}, // 26th birthday
		{"1980-03-15", "2026-03-14", 20, false}, // 45
		{"1980-03-15", "2026-03-15", 0, true},   // 46th birthday
		{"1958-03-20", "2026-01-01", 0, true},
		{"2000-02-29", "2026-02-28", 10, false}, // leap-day birthday in a common year
		{"2000-02-29", "2026-03-01", 20, false},
		{"2008-02-29", "2024-02-28", 5, false},
		{"2008-02-29", "2024-02-29", 10, false},
	}
	for _, tt := range tests {
		years, longTerm := CardValidity(day(tt.birth), day(tt.issued))
		if years != tt.years || longTerm != tt.longTerm {
			t.Errorf("CardValidity(%s, %s) = %d, %v; want %d, %v", tt.birth, tt.issued, years, longTerm, tt.years, tt.longTerm)
		}
	}
}

func TestCardValidityZones(t *testing.T) {
	// 15 March 2026 00:30 in China is 14 March in UTC; the Chinese date counts.
	issued := time.Date(2026, 3, 14, 16, 30, 0, 0, time.UTC)
	birth := time.Date(2010, 3, 15, 0, 0, 0, 0, time.UTC)
	if years, _ := CardValidity(birth, issued); years != 10 {
		t.Errorf("got %d years, want 10", years)
	}
}

func TestCardExpiry(t *testing.T) {
	tests := []struct{ birth, issued, want string }{
		{"2000-03-15", "2026-03-15", "2046-03-15"},
		{"2010-03-15", "2026-03-14", "2031-03-14"},
		{"1995-06-01", "2016-02-29", "2026-02-28"},
		{"1985-06-01", "2016-02-29", "2036-02-29"},
		{"2012-07-05", "2024-02-29", "2029-02-28"},
		{"1958-03-20", "2026-03-20", ""},
	}
	for _, tt := range tests {
		got := CardExpiry(day(tt.birth), day(tt.issued))
		if tt.want == "" {
			if got != nil {
				t.Errorf("CardExpiry(%s, %s) = %v, want long-term", tt.birth, tt.issued, got)
			}
			continue
		}
		if got == nil || got.Format(time.RFC3339) != tt.want+"T00:00:00+08:00" {
			t.Errorf("CardExpiry(%s, %s) = %v, want %s", tt.birth, tt.issued, got, tt.want)
		}
	}
}
