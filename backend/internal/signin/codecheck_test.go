package signin_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
)

// TestConcurrentCodeChecks: checks of one SMS code that race each other
// (a WATCH conflict in Redis) are retried, never answered UNAVAILABLE: the
// right code signs in and the four wrong ones are BAD_CODE, whatever order
// they land in (four wrong tries leave the code alive).
func TestConcurrentCodeChecks(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	for round := range 5 {
		phone := fmt.Sprintf("1390000010%d", round)
		if err := w.in.SendSignInCode(ctx, phone, "10.0.5.1"); err != nil {
			t.Fatal(err)
		}
		right := w.codes.last(phone)
		wrong := "000000"
		if right == wrong {
			wrong = "111111"
		}
		codes := []string{right, wrong, wrong, wrong, wrong}
		errs := make([]error, len(codes))
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, code := range codes {
			wg.Go(func() {
				<-start
				_, errs[i] = w.in.SignInPhone(ctx, phone, code, fmt.Sprintf("10.0.5.%d", 10+i))
			})
		}
		close(start)
		wg.Wait()
		if errs[0] != nil {
			t.Fatalf("round %d: the right code among four wrong ones: %v", round, errs[0])
		}
		for _, err := range errs[1:] {
			wantCode(t, err, domain.CodeBadCode)
		}
	}
}
