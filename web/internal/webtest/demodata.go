package webtest

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/fixture"
)

// LoadDemoCertificates adds the demo's received certificates to st, signed
// with Keys, as the quality and certificate pages show them.
func LoadDemoCertificates(tb testing.TB, st *store.Store) {
	tb.Helper()
	if _, err := demo.LoadCertificates(context.Background(), st, Keys(tb), demo.DefaultSeed); err != nil {
		tb.Fatal(err)
	}
}

// LoadDemoCaseWork adds the demo's certificates, its cases and their
// coordination across the agencies to st, as of Start: what the
// coordinators' lists and the dashboards count.
func LoadDemoCaseWork(tb testing.TB, st *store.Store) {
	tb.Helper()
	LoadDemoCertificates(tb, st)
	ctx := context.Background()
	if _, err := demo.LoadCases(ctx, st, demo.DefaultSeed, Start); err != nil {
		tb.Fatal(err)
	}
	if _, err := demo.LoadCoordination(ctx, st, Start); err != nil {
		tb.Fatal(err)
	}
}

// AddStockholmCertificate sends one more certificate to the intake with a
// Region Gotland token (the first of fixture.Certificates), moves its
// person to Stockholm (municipality 0180) and is its id: a certificate
// beside the demo's, whose persons all live on Gotland.
func (s *Server) AddStockholmCertificate(tb testing.TB) int64 {
	tb.Helper()
	rec := s.Post("/api/v1/certificates", s.Token(tb, "region-gotland", account.ScopeCertificatesWrite), "application/json", fixture.Certificates(1)[0])
	var receipt struct{ ID int64 }
	if rec.Code != http.StatusCreated || json.Unmarshal(rec.Body.Bytes(), &receipt) != nil {
		tb.Fatalf("Stockholm certificate: %d %s", rec.Code, rec.Body)
	}
	if _, err := s.Store.Exec(context.Background(), `UPDATE persons SET municipality_code = '0180'
		WHERE id = (SELECT person_id FROM certificates WHERE id = $1)`, receipt.ID); err != nil {
		tb.Fatal(err)
	}
	return receipt.ID
}
