package spreadsheet

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestCSVIsWhatSwedishExcelOpens(t *testing.T) {
	tb := Table{Header: []string{"namn", "antal", "andel"}, Rows: [][]any{{"=SUM(A1)", 3, 12.34}, {"Kontor", 0, 0.0}}}
	for _, tc := range []struct{ lang, want string }{
		{"sv", "\ufeffnamn;antal;andel\r\n'=SUM(A1);3;12,3\r\nKontor;0;0,0\r\n"},
		{"en", "\ufeffnamn;antal;andel\r\n'=SUM(A1);3;12.3\r\nKontor;0;0.0\r\n"},
	} {
		got, err := CSV(tc.lang, tb)
		if err != nil || string(got) != tc.want {
			t.Errorf("%s: %q %v, want %q", tc.lang, got, err, tc.want)
		}
	}
}

func TestXLSXHasASheetATableWithNumbersAsNumbers(t *testing.T) {
	body, err := XLSX("Titel", time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC),
		Table{Sheet: "Första", Header: []string{"namn", "antal"}, Rows: [][]any{{"-1", 7}}},
		Table{Sheet: "Andra", Header: []string{"andel"}, Rows: [][]any{{0.5}}})
	if err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); len(got) != 2 || got[0] != "Första" || got[1] != "Andra" {
		t.Errorf("sheets %v", got)
	}
	for _, tc := range []struct{ sheet, cell, want string }{
		{"Första", "A1", "namn"}, {"Första", "A2", "'-1"}, {"Första", "B2", "7"}, {"Andra", "A2", "0.5"},
	} {
		if got, _ := x.GetCellValue(tc.sheet, tc.cell); got != tc.want {
			t.Errorf("%s!%s = %q, want %q", tc.sheet, tc.cell, got, tc.want)
		}
	}
	if typ, _ := x.GetCellType("Första", "B2"); typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
		t.Errorf("a number is stored as text (%v)", typ)
	}
	if p, _ := x.GetDocProps(); p.Title != "Titel" || p.Created != "2026-11-30T09:00:00Z" {
		t.Errorf("properties %+v", p)
	}
}
