package signin

import (
	"testing"
	"time"

	"github.com/finsam/finsam/store"
)

func TestSignInWaitGrowsToItsLimits(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		f    store.LoginFailures
		want time.Duration
	}{
		{store.LoginFailures{}, 0},
		{store.LoginFailures{Pair: pairFree - 1, PairLast: now, Account: pairFree - 1, AccountLast: now}, 0},
		{store.LoginFailures{Pair: pairFree, PairLast: now, Account: pairFree, AccountLast: now}, time.Second},
		{store.LoginFailures{Pair: pairFree + 3, PairLast: now.Add(-3 * time.Second), Account: pairFree + 3, AccountLast: now}, 5 * time.Second},
		{store.LoginFailures{Pair: 500, PairLast: now, Account: 500, AccountLast: now}, pairMaxWait},
		{store.LoginFailures{Pair: 1, PairLast: now, Account: 500, AccountLast: now}, accountMaxWait},
		{store.LoginFailures{Account: accountFree, AccountLast: now}, time.Second},
		{store.LoginFailures{Pair: 500, PairLast: now.Add(-time.Hour), Account: 500, AccountLast: now.Add(-time.Hour)}, 0},
	} {
		if got := signInWait(tc.f, now); got != tc.want {
			t.Errorf("%+v: wait %v, want %v", tc.f, got, tc.want)
		}
	}
}
