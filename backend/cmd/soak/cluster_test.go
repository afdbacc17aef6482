package main

import (
	"testing"
	"time"
)

// TestAttribute: a failed try belongs to the latest fault started before
// it, within the bound; one before every fault, or later than the bound
// after the latest, is outside every window and fails the run.
func TestAttribute(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 2, 0, 0, 0, time.UTC)
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	faults := []fault{{name: "kill", start: at(10)}, {name: "redis", start: at(20)}}
	fails := []time.Time{at(5), at(10.5), at(12), at(21), at(24), at(60)}
	per, outside := attribute(fails, faults, 30*time.Second)
	if len(per[0]) != 2 || !per[0][0].Equal(at(10.5)) || !per[0][1].Equal(at(12)) {
		t.Errorf("kill got %v, want 10.5 s and 12 s", per[0])
	}
	if len(per[1]) != 2 || !per[1][1].Equal(at(24)) {
		t.Errorf("redis got %v, want 21 s and 24 s (not the kill's)", per[1])
	}
	if outside != 2 {
		t.Errorf("outside = %d, want 2 (before every fault, and past the bound)", outside)
	}
}
