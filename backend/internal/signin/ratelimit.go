package signin

import (
	"context"
	"strconv"
	"time"
)

// limitRule is one sign-in budget applied to one key (a phone, an IP, a user).
type limitRule struct {
	name string
	n    int
	per  time.Duration
	key  string
}

// The sign-in budgets: an SMS code a minute per phone and ten a day, thirty
// an hour per IP; ten code checks a minute per phone; ten password tries
// per user in a quarter of an hour and thirty a minute per IP.
func smsRules(phoneIdx, ip string) []limitRule {
	return []limitRule{
		{"sms:phone", 1, time.Minute, phoneIdx},
		{"sms:phone:day", 10, 24 * time.Hour, phoneIdx},
		{"sms:ip", 30, time.Hour, ip},
	}
}

func codeRules(phoneIdx, ip string) []limitRule {
	return []limitRule{
		{"code:phone", 10, time.Minute, phoneIdx},
		{"code:ip", 60, time.Minute, ip},
	}
}

// verifyRules: ten real-person verifications started an hour per account
// (each costs the province a face check).
func verifyRules(applicantID int64) []limitRule {
	return []limitRule{{"verify:applicant", 10, time.Hour, strconv.FormatInt(applicantID, 10)}}
}

// confirmRules: twenty verification results checked an hour per account
// (each asks the provider; guessing results stays slow).
func confirmRules(applicantID int64) []limitRule {
	return []limitRule{{"confirm:applicant", 20, time.Hour, strconv.FormatInt(applicantID, 10)}}
}

func loginRules(username, ip string) []limitRule {
	return []limitRule{
		{"login:user", 10, 15 * time.Minute, username},
		{"login:ip", 30, time.Minute, ip},
	}
}

// allow takes one try of every rule; the first rule that is exhausted
// answers RATE_LIMITED with its wait. Without a limiter nothing is limited.
func (s *Service) allow(ctx context.Context, rules []limitRule) error {
	if s.limiter == nil {
		return nil
	}
	for _, r := range rules {
		if err := s.limiter.Allow(ctx, r.name, r.n, r.per, r.key); err != nil {
			return err
		}
	}
	return nil
}
