package certificates_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/webtest"
)

// The demo's admin is the system administrator (operator organisation
// finsam-gotland); orgAdmin is an administrator of fk only, made by
// demoServer.
const (
	orgAdmin         = "fk-admin"
	orgAdminPassword = "fk-admin-password"
)

// demoServer is the demo installation with an administrator of fk added.
func demoServer(t *testing.T, st *store.Store) *webtest.Server {
	t.Helper()
	s := webtest.Demo(t, st)
	s.AddUser(t, "fk", orgAdmin, orgAdminPassword, account.Admin)
	return s
}

// sampleCertificates are n synthetic certificates as JSON.
func sampleCertificates(n int) [][]byte {
	persons := demo.Persons(7, 5)
	certs := demo.Certificates(7, n, persons, time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC))
	out := make([][]byte, n)
	for i := range certs {
		out[i], _ = json.Marshal(certs[i])
	}
	return out
}

// send posts a certificate to the intake with an API token.
func send(s *webtest.Server, token, contentType string, body []byte) *httptest.ResponseRecorder {
	return s.Post("/api/v1/certificates", token, contentType, body)
}

// received is the finsam id of the certificate an intake answer accepted.
func received(t *testing.T, rec *httptest.ResponseRecorder) int64 {
	t.Helper()
	if rec.Code != http.StatusCreated {
		t.Fatalf("certificate not accepted: %d %s", rec.Code, rec.Body)
	}
	var receipt struct{ ID int64 }
	if err := json.Unmarshal(rec.Body.Bytes(), &receipt); err != nil {
		t.Fatal(err)
	}
	return receipt.ID
}

// tableRows counts the body rows of the tables on a page.
func tableRows(body string) int {
	return strings.Count(body, `<tr class="table__row">`) - strings.Count(body, `<thead class="table__head">`)
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }
