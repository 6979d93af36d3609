package quality

// Exports of the quality board: one row per month, care provider and care
// unit of the selection, with every figure and each finding's count, as
// CSV for any program and as XLSX for Excel (docs/adr/0009-xlsx-export.md).
// The CSV is what Swedish Excel opens as it is: UTF-8 with a byte-order
// mark, semicolons, CRLF. In the XLSX numbers are numbers, so that they sum
// and sort.

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"github.com/finsam/finsam/caseload"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/xuri/excelize/v2"
)

// qualityExport is the export's table: a header and rows of values (string,
// int or float64).
type qualityExport struct {
	Header []string
	Rows   [][]any
}

// qualityExportTable builds the export of the filter's selection.
func (s *Handlers) qualityExportTable(r *http.Request, a *site.Actor, lang string) (qualityExport, qualityFilter, error) {
	f, errs := s.readQualityFilter(r)
	f.bound(a)
	if len(errs) > 0 {
		return qualityExport{}, f, &site.Error{Status: http.StatusUnprocessableEntity, Code: "bad_request"}
	}
	months := f.months()
	rows, _, err := s.qualityRows(r, f, months)
	if err != nil {
		return qualityExport{}, f, site.Unavailable("quality export", err)
	}
	var t qualityExport
	for _, id := range []string{"month", "provider.hsa", "provider", "unit.hsa", "unit", "certificates", "withoutn", "without",
		"mean", "fmb", "supplement", "median", "firstaction"} {
		t.Header = append(t.Header, translate(lang, "quality.col."+id))
	}
	for _, code := range FindingCodes {
		t.Header = append(t.Header, translate(lang, "quality.finding."+code))
	}
	for _, row := range rows {
		var g Agg
		g.Add(row)
		fig := g.Figures()
		l := qualityLine{Figures: fig, suppress: f.suppress}
		var median, first any = "", ""
		if fig.Answered > 0 && !l.small(fig.Answered) {
			median = round1(fig.MedianDays)
		}
		if fig.FirstActions > 0 && !l.small(fig.FirstActions) {
			first = round1(fig.FirstActionDays)
		}
		// Outside FK a count of 1–4 is "<5", and a share, mean or median
		// that would reveal one is left empty.
		count := func(n int) any {
			if l.small(n) {
				return caseload.Suppressed(n)
			}
			return n
		}
		share, mean, supp := any(round1(fig.ShareWithout)), any(round1(fig.MeanScore)), any(round1(fig.SupplementShare))
		if l.small(fig.Certificates) || l.small(fig.WithoutFindings) {
			share = ""
		}
		if l.small(fig.Certificates) {
			mean = ""
		}
		if l.small(fig.Certificates) || l.small(fig.Supplemented) {
			supp = ""
		}
		line := []any{months[row.Month].Format("2006-01"), row.CareProviderHSAID, row.CareProviderName, row.UnitHSAID, row.UnitName,
			count(fig.Certificates), count(fig.WithoutFindings), share, mean, count(fig.FMB), supp, median, first}
		for _, n := range fig.Findings {
			line = append(line, count(n))
		}
		t.Rows = append(t.Rows, line)
	}
	return t, f, nil
}

func round1(f float64) float64 {
	if f < 0 {
		return -round1(-f)
	}
	return float64(int64(f*10+0.5)) / 10
}

// exportName is the file name of an export.
func exportName(f qualityFilter, ext string) string {
	return "intygskvalitet-" + f.From + "-" + f.To + "." + ext
}

// qualityCSV sends the selection as CSV.
func (s *Handlers) CSV(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	lang := site.Language(w, r)
	t, f, err := s.qualityExportTable(r, a, lang)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := csv.NewWriter(&buf)
	cw.Comma = ';'
	cw.UseCRLF = true
	cw.Write(t.Header)
	for _, row := range t.Rows {
		rec := make([]string, len(row))
		for i, v := range row {
			rec[i] = csvValue(lang, v)
		}
		cw.Write(rec)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return site.Unavailable("write quality CSV", err)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+exportName(f, "csv")+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
	return nil
}

// csvValue writes a value as Swedish Excel reads it: a decimal comma in
// Swedish, and text that cannot run as a formula.
func csvValue(lang string, v any) string {
	switch v := v.(type) {
	case int:
		return strconv.Itoa(v)
	case float64:
		return Decimal(lang, v)
	case string:
		return site.SpreadsheetCell(v)
	}
	return ""
}

// qualityXLSX sends the selection as an Excel workbook.
func (s *Handlers) XLSX(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	lang := site.Language(w, r)
	t, f, err := s.qualityExportTable(r, a, lang)
	if err != nil {
		return err
	}
	x := excelize.NewFile()
	defer x.Close()
	sheet := translate(lang, "quality.sheet")
	if err = x.SetSheetName("Sheet1", sheet); err != nil {
		return site.Unavailable("quality XLSX", err)
	}
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return site.Unavailable("quality XLSX", err)
	}
	header := make([]any, len(t.Header))
	for i, h := range t.Header {
		header[i] = h
	}
	write := func(row int, values []any) error {
		c, err := excelize.CoordinatesToCellName(1, row)
		if err != nil {
			return err
		}
		return sw.SetRow(c, values)
	}
	err = write(1, header)
	for i, row := range t.Rows {
		if err != nil {
			break
		}
		err = write(i+2, row)
	}
	if err == nil {
		err = sw.Flush()
	}
	var buf bytes.Buffer
	if err == nil {
		x.SetDocProps(&excelize.DocProperties{Title: translate(lang, "quality.title"), Creator: "finsam",
			Created: s.Now().UTC().Format(time.RFC3339)})
		err = x.Write(&buf)
	}
	if err != nil {
		return site.Unavailable("quality XLSX", err)
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+exportName(f, "xlsx")+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
	return nil
}
