// Package spreadsheet writes a page's tables as the files people open in
// Excel (docs/adr/0009-xlsx-export.md): CSV as Swedish Excel opens it as
// it is (UTF-8 with a byte-order mark, semicolons, CRLF, decimal commas in
// Swedish), and XLSX workbooks, a sheet a table, in which numbers are
// numbers, so that they sum and sort. Text in either cannot run as a
// formula: exports hold text that others typed.
package spreadsheet

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/finsam/finsam/web/internal/site"
)

// Table is one exported table: a header and rows of values, each a
// string, an int or a float64.
type Table struct {
	// Sheet names the table's sheet in a workbook.
	Sheet  string
	Header []string
	Rows   [][]any
}

// Decimal is f with one decimal, with a decimal comma in Swedish.
func Decimal(lang string, f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	if lang == "sv" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// CSV is t as a CSV file, its numbers written for lang.
func CSV(lang string, t Table) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := csv.NewWriter(&buf)
	cw.Comma = ';'
	cw.UseCRLF = true
	cw.Write(t.Header)
	for _, row := range t.Rows {
		rec := make([]string, len(row))
		for i, v := range row {
			switch v := v.(type) {
			case int:
				rec[i] = strconv.Itoa(v)
			case float64:
				rec[i] = Decimal(lang, v)
			case string:
				rec[i] = site.SpreadsheetCell(v)
			}
		}
		cw.Write(rec)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// XLSX is a workbook of tables, a sheet each in their order, titled
// title and made at created.
func XLSX(title string, created time.Time, tables ...Table) ([]byte, error) {
	x := excelize.NewFile()
	defer x.Close()
	for i, t := range tables {
		var err error
		if i == 0 {
			err = x.SetSheetName("Sheet1", t.Sheet)
		} else {
			_, err = x.NewSheet(t.Sheet)
		}
		if err != nil {
			return nil, err
		}
		if err := writeSheet(x, t); err != nil {
			return nil, err
		}
	}
	x.SetDocProps(&excelize.DocProperties{Title: title, Creator: "finsam", Created: created.UTC().Format(time.RFC3339)})
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeSheet streams t into its sheet of x, the header in the first row.
func writeSheet(x *excelize.File, t Table) error {
	sw, err := x.NewStreamWriter(t.Sheet)
	if err != nil {
		return err
	}
	header := make([]any, len(t.Header))
	for i, v := range t.Header {
		header[i] = v
	}
	for j, row := range append([][]any{header}, t.Rows...) {
		cells := make([]any, len(row))
		for k, v := range row {
			if s, ok := v.(string); ok {
				v = site.SpreadsheetCell(s)
			}
			cells[k] = v
		}
		c, err := excelize.CoordinatesToCellName(1, j+1)
		if err != nil {
			return err
		}
		if err := sw.SetRow(c, cells); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// Send answers body as the file name to download, a .csv or an .xlsx,
// kept by no cache.
func Send(w http.ResponseWriter, name string, body []byte) {
	contentType := "text/csv; charset=utf-8"
	if strings.HasSuffix(name, ".xlsx") {
		contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(body)
}
