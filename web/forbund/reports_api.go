package forbund

import (
	"net/http"

	"github.com/finsam/finsam/assocreport"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/web/internal/site"
)

// apiYearlyReport is the yearly report in the API: the same published
// tables as the PDF, with English labels. Counts are strings because a
// suppressed one is "<5" (or ".." when hidden to protect another).
type apiYearlyReport struct {
	Association struct {
		Slug string `json:"slug"`
		Name string `json:"name"`
	} `json:"association"`
	Year   int `json:"year"`
	Insats *struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"insats"`
	Summary []apiReportFigure `json:"summary"`
	Tables  []apiReportTable  `json:"tables"`
}

type apiReportFigure struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

type apiReportTable struct {
	ID       string     `json:"id"`
	Title    string     `json:"title"`
	Columns  []string   `json:"columns"`
	Rows     [][]string `json:"rows"`
	TotalRow bool       `json:"total_row"`
	Note     string     `json:"note,omitempty"`
}

// APIYearly answers GET /api/v1/associations/{slug}/reports/yearly.
func (h *Handlers) APIYearly(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, err := h.load(r, a, policy.ReadAssociationReports)
	if err != nil {
		return err
	}
	rq := readReportQuery(r, ar, false)
	if rq.problems.Any() {
		return apiReportQueryError(w, rq)
	}
	rep, _, err := h.buildReport(r, ar, rq)
	if err != nil {
		switch reportErrorCode(err) {
		case repErrInsats:
			rq.problems.Add("insats", repErrInsats)
			return apiReportQueryError(w, rq)
		case "no_data":
			return errNoData
		}
		return site.Unavailable("association report", err)
	}
	T := reportT("en")
	var out apiYearlyReport
	out.Association.Slug, out.Association.Name = ar.Org.Slug, ar.Org.Name
	out.Year = rep.Year
	if rep.InsatsID != 0 {
		out.Insats = &struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		}{rep.InsatsID, rep.InsatsName}
	}
	pub := assocreport.Publisher{} // the API leaves the association: always suppressed
	for _, f := range rep.Summary(T, pub) {
		out.Summary = append(out.Summary, apiReportFigure{Label: f.Label, Value: f.Value})
	}
	for _, t := range rep.Tables(T, reportCodes, "en", pub) {
		at := apiReportTable{ID: t.ID, Title: t.Title, Columns: t.Head, Rows: [][]string{}, TotalRow: t.Total, Note: t.Note}
		for _, row := range t.Rows {
			line := make([]string, len(row))
			for i, c := range row {
				line[i] = c.Text
			}
			at.Rows = append(at.Rows, line)
		}
		out.Tables = append(out.Tables, at)
	}
	site.WriteJSON(w, http.StatusOK, out)
	return nil
}
