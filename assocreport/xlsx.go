package assocreport

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// WriteXLSX writes the report as an Excel workbook: a sheet of key figures
// and one sheet per table. Numbers are numbers (they sum and sort);
// suppressed counts are the texts "<5" and "..".
func WriteXLSX(w io.Writer, r Report, o Options) error {
	x := excelize.NewFile()
	defer x.Close()
	T := o.T
	summary := sheetName(T("assoc.rep.summary"))
	if err := x.SetSheetName("Sheet1", summary); err != nil {
		return err
	}
	rows := [][]any{{r.Association.Name}, {T("assoc.rep.pdf.title") + " " + itoa(r.Year)}}
	if r.InsatsID != 0 {
		rows = append(rows, []any{T("assoc.rep.insats"), r.InsatsName})
	}
	rows = append(rows, []any{})
	for _, s := range r.Summary(T, o.Publisher) {
		rows = append(rows, []any{s.Label, s.Value})
	}
	if !o.Publisher.Exact {
		rows = append(rows, []any{}, []any{T("assoc.rep.note.suppressed")})
	}
	if err := writeRows(x, summary, rows); err != nil {
		return err
	}
	used := map[string]bool{summary: true}
	for _, t := range r.Tables(T, o.Codes, o.Lang, o.Publisher) {
		name := sheetName(t.Title)
		for n := 2; used[name]; n++ {
			rs := []rune(sheetName(t.Title))
			name = string(rs[:min(len(rs), 27)]) + " " + strconv.Itoa(n)
		}
		used[name] = true
		if _, err := x.NewSheet(name); err != nil {
			return err
		}
		head := make([]any, len(t.Head))
		for i, h := range t.Head {
			head[i] = h
		}
		rows := [][]any{head}
		for _, row := range t.Rows {
			line := make([]any, len(row))
			for i, c := range row {
				if c.Number {
					line[i] = c.Value
				} else {
					line[i] = c.Text
				}
			}
			rows = append(rows, line)
		}
		if t.Note != "" {
			rows = append(rows, []any{}, []any{t.Note})
		}
		if err := writeRows(x, name, rows); err != nil {
			return err
		}
	}
	x.SetDocProps(&excelize.DocProperties{Title: T("assoc.rep.pdf.title") + " " + itoa(r.Year) + " – " + r.Association.Name,
		Creator: "finsam", Created: o.Created.UTC().Format(time.RFC3339)})
	return x.Write(w)
}

func writeRows(x *excelize.File, sheet string, rows [][]any) error {
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, 1, 42); err != nil {
		return err
	}
	if err := sw.SetColWidth(2, 6, 16); err != nil {
		return err
	}
	for i, row := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// sheetName makes a valid sheet name: at most 31 characters, none of
// []:*?/\.
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, s)
	if rs := []rune(s); len(rs) > 31 {
		s = string(rs[:31])
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }
