// Package notify is message delivery: the one table of what the applicant
// is told about a case (notice.go), and the outbox's delivery to the
// in-app inbox, WeChat and SMS (outbox.go).
//
// Dependencies: notify imports store, domain and calendar, never service.
// The service calls Messages inside its transactions, so a notice is written
// with the state change it reports or not at all; the jobs (or a test) run
// an Outbox to deliver what was written. Nothing here talks HTTP itself: the
// outside channels are Senders given by main.
package notify
