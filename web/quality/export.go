package quality

// Exports of the quality board: one row per month, care provider and care
// unit of the selection, with every figure and each finding's count, as
// CSV for any program and as XLSX for Excel (docs/adr/0009-xlsx-export.md).
// The CSV is what Swedish Excel opens as it is: UTF-8 with a byte-order
// mark, semicolons, CRLF. In the XLSX numbers are numbers, so that they sum
// and sort.

import (
	"net/http"

	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/spreadsheet"
)

// qualityExportTable builds the export of the filter's selection.
func (s *Handlers) qualityExportTable(r *http.Request, a *site.Actor, lang string) (spreadsheet.Table, qualityFilter, error) {
	f, errs := s.readQualityFilter(r)
	f.bound(a)
	if len(errs) > 0 {
		return spreadsheet.Table{}, f, &site.Error{Status: http.StatusUnprocessableEntity, Code: "bad_request"}
	}
	months := f.months()
	rows, _, _, err := s.qualityRows(r, f, months, nil)
	if err != nil {
		return spreadsheet.Table{}, f, site.Unavailable("quality export", err)
	}
	var t spreadsheet.Table
	for _, id := range []string{"month", "provider.hsa", "provider", "unit.hsa", "unit", "certificates", "withoutn", "without",
		"mean", "fmb", "supplement", "median", "firstaction"} {
		t.Header = append(t.Header, translate(lang, "quality.col."+id))
	}
	for _, code := range FindingCodes {
		t.Header = append(t.Header, translate(lang, "quality.finding."+code))
	}
	prot := protect(rows, months, f.suppress)
	for _, row := range rows {
		var g Agg
		g.Add(row)
		fig := g.Figures()
		m := months[row.Month].Format("2006-01")
		l := prot.line(groupKey{row.CareProviderHSAID, row.UnitHSAID, m}, fig)
		// Outside FK a hidden count is "<5" or "..", and a share, mean or
		// median that would reveal one is left empty.
		var median, first, share, mean, supp any = "", "", "", "", ""
		if fig.Answered > 0 && !l.small(fig.Answered) {
			median = round1(fig.MedianDays)
		}
		if fig.FirstActions > 0 && !l.small(fig.FirstActions) {
			first = round1(fig.FirstActionDays)
		}
		if !l.shareHidden() {
			share = round1(fig.ShareWithout)
		}
		if !l.meanHidden() {
			mean = round1(fig.MeanScore)
		}
		if !l.suppHidden() {
			supp = round1(fig.SupplementShare)
		}
		line := []any{m, row.CareProviderHSAID, row.CareProviderName, row.UnitHSAID, row.UnitName,
			l.count(measureCertificates), l.count(measureWithout), share, mean, l.count(measureFinding0 + fmbIndex), supp, median, first}
		for i := range fig.Findings {
			line = append(line, l.count(measureFinding0+i))
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

// CSV sends the selection as CSV.
func (s *Handlers) CSV(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	lang := site.Language(w, r)
	t, f, err := s.qualityExportTable(r, a, lang)
	if err != nil {
		return err
	}
	body, err := spreadsheet.CSV(lang, t)
	if err != nil {
		return site.Unavailable("write quality CSV", err)
	}
	spreadsheet.Send(w, exportName(f, "csv"), body)
	return nil
}

// XLSX sends the selection as an Excel workbook.
func (s *Handlers) XLSX(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	lang := site.Language(w, r)
	t, f, err := s.qualityExportTable(r, a, lang)
	if err != nil {
		return err
	}
	t.Sheet = translate(lang, "quality.sheet")
	body, err := spreadsheet.XLSX(translate(lang, "quality.title"), s.Now(), t)
	if err != nil {
		return site.Unavailable("quality XLSX", err)
	}
	spreadsheet.Send(w, exportName(f, "xlsx"), body)
	return nil
}
