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

// BenchmarkPageRead reads a plain page and one whose read is audited
// (benchPages).
func BenchmarkPageRead(b *testing.B) {
	benchPages(b, func(b *testing.B, d store.Dialect, audited bool) (*Server, *http.Cookie, string) {
		s, c := benchAuditServer(b, d)
		if audited {
			return s, c, "/bench/audited"
		}
		return s, c, "/bench/plain"
	})
}

// benchPages reads a page, its read unaudited and audited, one request at
// a time and (Parallel) many at once, on SQLite and on PostgreSQL (which
// needs FINSAM_TEST_POSTGRES): sub-benchmarks SQLite, AuditedSQLite,
// ParallelSQLite, AuditedParallelSQLite and the same for Postgres. serve is
// the server, the signed-in session and the page's path.
func benchPages(b *testing.B, serve func(b *testing.B, d store.Dialect, audited bool) (*Server, *http.Cookie, string)) {
	for _, db := range []struct {
		name    string
		dialect store.Dialect
	}{{"SQLite", store.SQLite}, {"Postgres", store.Postgres}} {
		for _, audited := range []bool{false, true} {
			for _, parallel := range []bool{false, true} {
				name, run := db.name, benchPage
				if parallel {
					name, run = "Parallel"+name, benchPageParallel
				}
				if audited {
					name = "Audited" + name
				}
				b.Run(name, func(b *testing.B) {
					if db.dialect == store.Postgres {
						skipWithoutPostgres(b)
					}
					s, c, path := serve(b, db.dialect, audited)
					run(b, s, c, path)
				})
			}
		}
	}
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

func skipWithoutPostgres(b *testing.B) {
	if os.Getenv(storetest.EnvPostgres) == "" {
		b.Skip("PostgreSQL benchmarks need " + storetest.EnvPostgres)
	}
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

// BenchmarkCertificatePage reads a certificate page (benchPages).
func BenchmarkCertificatePage(b *testing.B) { benchPages(b, benchCertificateServer) }
