package domain

import "time"

// RealPersonProof is a confirmed real-person verification (实人认证): the
// provider that confirmed it, the provider's reference (spent once, by the
// binding it allows) and when the face check was done.
type RealPersonProof struct {
	Provider string
	Ref      string
	At       time.Time
}
