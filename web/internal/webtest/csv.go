package webtest

import (
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// CSVRecords are the records of a CSV download as the pages write it
// (spreadsheet.CSV): fields separated by semicolons, after the UTF-8
// byte-order mark that makes Excel read it as UTF-8 (the mark may be
// absent; a test that needs it checks it itself).
func CSVRecords(body string) ([][]string, error) {
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	r.Comma = ';'
	return r.ReadAll()
}

// CSVDownload is the records of rec, a CSV file the server sent to
// download (spreadsheet.Send). It fails t unless rec is 200 with a text/csv
// content type and an attachment whose file name begins with name, unless
// the body starts with the UTF-8 byte-order mark, and unless it reads as
// CSV.
func CSVDownload(t testing.TB, rec *httptest.ResponseRecorder, name string) [][]string {
	t.Helper()
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") ||
		!strings.HasPrefix(rec.Header().Get("Content-Disposition"), `attachment; filename="`+name) {
		t.Fatalf("CSV download: %d %v", rec.Code, rec.Header())
	}
	if !strings.HasPrefix(rec.Body.String(), "\ufeff") {
		t.Fatal("the CSV has no UTF-8 byte-order mark")
	}
	records, err := CSVRecords(rec.Body.String())
	if err != nil {
		t.Fatal(err)
	}
	return records
}
