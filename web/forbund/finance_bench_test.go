package forbund_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/webtest"
)

// BenchmarkFinancePageSQLite serves the association's finance page (the
// year's split, every member's row and schedule) to its staff, on SQLite.
func BenchmarkFinancePageSQLite(b *testing.B) {
	st := webtest.Open(b, store.SQLite)
	s, _ := demoServer(b, st)
	ctx := context.Background()
	u, err := store.UserByName(ctx, st, "forbund")
	if err != nil {
		b.Fatal(err)
	}
	secret := account.NewSecret(account.SessionPrefix)
	now := s.Clock.Now().UTC()
	if err := st.Tx(ctx, func(tx *store.Tx) error {
		return store.CreateSession(ctx, tx, store.Session{IDHash: account.HashSecret(secret), UserID: u.ID,
			CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(24 * time.Hour), RemoteAddr: "192.0.2.1", UserAgent: "bench"})
	}); err != nil {
		b.Fatal(err)
	}
	post := httptest.NewRequest("POST", gotland+"/finansiering", nil)
	post.PostForm = url.Values{"year": {"2026"}, "total": {"4 000 000"}}
	post.AddCookie(&http.Cookie{Name: site.SessionCookie, Value: secret})
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, post)
	if rec.Code != http.StatusSeeOther {
		b.Fatalf("save split: %d", rec.Code)
	}
	req := httptest.NewRequest("GET", gotland+"/finansiering?year=2026", nil)
	req.AddCookie(&http.Cookie{Name: site.SessionCookie, Value: secret})
	check := httptest.NewRecorder()
	s.Handler().ServeHTTP(check, req)
	if check.Code != http.StatusOK {
		b.Fatalf("finance page: %d", check.Code)
	}
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		s.Handler().ServeHTTP(w, req)
	}
}

// discardWriter is a ResponseWriter that keeps nothing, so that the
// benchmark measures the server rather than a recorder.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(int)             {}
