package forbund_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/webtest"
)

// BenchmarkFinancePageSQLite serves the association's finance page (the
// year's split, every member's row and schedule) to its staff, on SQLite.
func BenchmarkFinancePageSQLite(b *testing.B) {
	s := webtest.DemoOn(b, store.SQLite)
	ctx := context.Background()
	staff := webtest.UserNamed(b, s.Store, "forbund")
	var session *http.Cookie
	if err := s.Store.Tx(ctx, func(tx *store.Tx) (err error) {
		session, err = webtest.BenchSession(ctx, tx, staff.ID, s.Clock.Now().UTC(), 24*time.Hour)
		return err
	}); err != nil {
		b.Fatal(err)
	}
	post := httptest.NewRequest("POST", gotland+"/finansiering", nil)
	post.PostForm = url.Values{"year": {"2026"}, "total": {"4 000 000"}}
	post.AddCookie(session)
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, post)
	if rec.Code != http.StatusSeeOther {
		b.Fatalf("save split: %d", rec.Code)
	}
	req := httptest.NewRequest("GET", gotland+"/finansiering?year=2026", nil)
	req.AddCookie(session)
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
