package webtest

import (
	"context"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// BenchCases is how many cases a benchmark over a generated database
// makes: FINSAM_BENCH_CASES when it is set to a positive number, else
// 20,000.
func BenchCases() int {
	if n, err := strconv.Atoi(os.Getenv("FINSAM_BENCH_CASES")); err == nil && n > 0 {
		return n
	}
	return 20_000
}

// BenchSession stores in tx a session of the user userID, begun at now and
// valid for ttl, and is the cookie that carries it: a signed-in client for
// a benchmark without signing in, whose password hashing it would measure
// too.
func BenchSession(ctx context.Context, tx *store.Tx, userID int64, now time.Time, ttl time.Duration) (*http.Cookie, error) {
	secret := account.NewSecret(account.SessionPrefix)
	err := store.CreateSession(ctx, tx, store.Session{IDHash: account.HashSecret(secret), UserID: userID, CreatedAt: now,
		LastSeenAt: now, ExpiresAt: now.Add(ttl), RemoteAddr: "192.0.2.1", UserAgent: "bench"})
	return &http.Cookie{Name: site.SessionCookie, Value: secret}, err
}
