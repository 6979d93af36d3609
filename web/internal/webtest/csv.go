package webtest

import (
	"encoding/csv"
	"strings"
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
