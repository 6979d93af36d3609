package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
	"github.com/finsam/finsam/web/internal/site"
)

// benchAuditServer is a demo server with two extra routes that render the
// same signed-in page, one of them recording a read of personal data in
// the audit log first (what every person page will do).
func benchAuditServer(b *testing.B, d store.Dialect) (*Server, *http.Cookie) {
	st := storetest.Open(b, d)
	s, _ := demoServer(b, st)
	s.route(KindPage, "GET /bench/plain", policy.SignedIn, s.features.account.Page)
	s.route(KindPage, "GET /bench/audited", policy.SignedIn, func(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
		e := a.Event(r, "read_person", audit.OutcomeOK, "person", "42")
		e.PersonKey = "p_0123456789abcdef0123456789abcdef"
		s.auditRead(r, a, e) // committed while the page is built; render waits for it
		return s.features.account.Page(w, r, a)
	})
	// Sign in once; the benchmarks reuse the session.
	br := browserOf(s)
	br.Addr = "192.0.2.1:1"
	br.Login("handlaggare", "demo")
	return s, br.Cookie(sessionCookie)
}

func benchPage(b *testing.B, s *Server, c *http.Cookie, path string) {
	req := httptest.NewRequest("GET", path, nil)
	req.AddCookie(c)
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		clear(w.h)
		s.Handler().ServeHTTP(w, req)
	}
}

func BenchmarkPageReadSQLite(b *testing.B) {
	s, c := benchAuditServer(b, store.SQLite)
	benchPage(b, s, c, "/bench/plain")
}

func BenchmarkPageReadAuditedSQLite(b *testing.B) {
	s, c := benchAuditServer(b, store.SQLite)
	benchPage(b, s, c, "/bench/audited")
}

// The same pages with many requests at once: concurrent audit records share
// one commit (group commit).
func benchPageParallel(b *testing.B, s *Server, c *http.Cookie, path string) {
	b.ReportAllocs()
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(c)
		w := &discardWriter{h: http.Header{}}
		for pb.Next() {
			clear(w.h)
			s.Handler().ServeHTTP(w, req)
		}
	})
}

func BenchmarkPageReadParallelSQLite(b *testing.B) {
	s, c := benchAuditServer(b, store.SQLite)
	benchPageParallel(b, s, c, "/bench/plain")
}

func BenchmarkPageReadAuditedParallelSQLite(b *testing.B) {
	s, c := benchAuditServer(b, store.SQLite)
	benchPageParallel(b, s, c, "/bench/audited")
}

func skipWithoutPostgres(b *testing.B) {
	if os.Getenv(storetest.EnvPostgres) == "" {
		b.Skip("PostgreSQL benchmarks need " + storetest.EnvPostgres)
	}
}

func BenchmarkPageReadPostgres(b *testing.B) {
	skipWithoutPostgres(b)
	s, c := benchAuditServer(b, store.Postgres)
	benchPage(b, s, c, "/bench/plain")
}

func BenchmarkPageReadAuditedPostgres(b *testing.B) {
	skipWithoutPostgres(b)
	s, c := benchAuditServer(b, store.Postgres)
	benchPage(b, s, c, "/bench/audited")
}

func BenchmarkPageReadParallelPostgres(b *testing.B) {
	skipWithoutPostgres(b)
	s, c := benchAuditServer(b, store.Postgres)
	benchPageParallel(b, s, c, "/bench/plain")
}

func BenchmarkPageReadAuditedParallelPostgres(b *testing.B) {
	skipWithoutPostgres(b)
	s, c := benchAuditServer(b, store.Postgres)
	benchPageParallel(b, s, c, "/bench/audited")
}

// benchCertificateServer is the demo with its certificates, the case worker
// signed in, and the path of one certificate page — a real read of personal
// data (the certificate, the person's other certificates, the case), audited
// with two entries (read_certificate, read_diagnoses).
func benchCertificateServer(b *testing.B, d store.Dialect, audited bool) (*Server, *http.Cookie, string) {
	st := storetest.Open(b, d)
	s, _ := demoServer(b, st)
	ctx := context.Background()
	if _, err := demo.LoadCertificates(ctx, st, testKeys(b), demo.DefaultSeed); err != nil {
		b.Fatal(err)
	}
	s.unauditedReads = !audited
	br := browserOf(s)
	br.Addr = "192.0.2.1:1"
	br.Login("handlaggare", "demo")
	var id int64
	if err := st.QueryRow(ctx, "SELECT id FROM certificates ORDER BY id LIMIT 1 OFFSET 100").Scan(&id); err != nil {
		b.Fatal(err)
	}
	path := "/certificates/" + itoa(id)
	if rec := br.Do("GET", path, nil); rec.Code != 200 {
		b.Fatalf("certificate page: %d", rec.Code)
	}
	return s, br.Cookie(sessionCookie), path
}

func BenchmarkCertificatePageSQLite(b *testing.B) {
	s, c, p := benchCertificateServer(b, store.SQLite, false)
	benchPage(b, s, c, p)
}

func BenchmarkCertificatePageAuditedSQLite(b *testing.B) {
	s, c, p := benchCertificateServer(b, store.SQLite, true)
	benchPage(b, s, c, p)
}

func BenchmarkCertificatePageParallelSQLite(b *testing.B) {
	s, c, p := benchCertificateServer(b, store.SQLite, false)
	benchPageParallel(b, s, c, p)
}

func BenchmarkCertificatePageAuditedParallelSQLite(b *testing.B) {
	s, c, p := benchCertificateServer(b, store.SQLite, true)
	benchPageParallel(b, s, c, p)
}

func BenchmarkCertificatePagePostgres(b *testing.B) {
	skipWithoutPostgres(b)
	s, c, p := benchCertificateServer(b, store.Postgres, false)
	benchPage(b, s, c, p)
}

func BenchmarkCertificatePageAuditedPostgres(b *testing.B) {
	skipWithoutPostgres(b)
	s, c, p := benchCertificateServer(b, store.Postgres, true)
	benchPage(b, s, c, p)
}

func BenchmarkCertificatePageParallelPostgres(b *testing.B) {
	skipWithoutPostgres(b)
	s, c, p := benchCertificateServer(b, store.Postgres, false)
	benchPageParallel(b, s, c, p)
}

func BenchmarkCertificatePageAuditedParallelPostgres(b *testing.B) {
	skipWithoutPostgres(b)
	s, c, p := benchCertificateServer(b, store.Postgres, true)
	benchPageParallel(b, s, c, p)
}
