package domain

import "time"

// AgeOn returns a person's age in full years on date day: the age rises on
// the birthday itself, and someone born on 29 February turns a year older
// on 1 March in common years. Both dates are taken in China Standard Time.
func AgeOn(birth, day time.Time) int {
	b, d := civilDate(birth), civilDate(day)
	age := d.Year() - b.Year()
	if d.Month() < b.Month() || (d.Month() == b.Month() && d.Day() < b.Day()) {
		age--
	}
	return age
}

// CardValidity returns how long a card issued on date issued to a person
// born on birth is valid, by age on the issue date (Resident Identity Card
// Law art. 5): under 16 → 5 years; 16–25 → 10; 26–45 → 20; 46 and over →
// long-term, reported as longTerm with years 0.
func CardValidity(birth, issued time.Time) (years int, longTerm bool) {
	switch age := AgeOn(birth, issued); {
	case age < 16:
		return 5, false
	case age <= 25:
		return 10, false
	case age <= 45:
		return 20, false
	default:
		return 0, true
	}
}

// CardExpiry returns the last date of validity of a card issued on date
// issued to a person born on birth: the issue date plus the years of
// CardValidity (29 February becomes 28 February in common years), as
// midnight China Standard Time. It returns nil for a long-term card.
func CardExpiry(birth, issued time.Time) *time.Time {
	years, longTerm := CardValidity(birth, issued)
	if longTerm {
		return nil
	}
	d := addMonthsClamped(civilDate(issued), 12*years)
	t := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, cst)
	return &t
}
