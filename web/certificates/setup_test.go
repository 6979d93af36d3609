package certificates_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/finsam/finsam/web/internal/fixture"
	"github.com/finsam/finsam/web/internal/webtest"
)

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

// sampleCertificates are n synthetic certificates as JSON.
var sampleCertificates = fixture.Certificates
