package web

import (
	"net/http"

	"github.com/finsam/finsam/assocreport"
	"github.com/finsam/finsam/policy"
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

// apiAssocYearly answers GET /api/v1/associations/{slug}/reports/yearly.
func (s *Server) apiAssocYearly(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, ok := s.loadAssociation(w, r, a, policy.ReadAssociationReports)
	if !ok {
		return
	}
	rq := readReportQuery(r, ar, false)
	if len(rq.errs) > 0 {
		apiReportQueryError(w, rq)
		return
	}
	rep, _, err := s.buildReport(r, ar, rq)
	if err != nil {
		if code := reportErrorCode(err); code != "" {
			if code == repErrInsats {
				rq.errs["insats"] = repErrInsats
				apiReportQueryError(w, rq)
				return
			}
			writeAPIError(w, http.StatusUnprocessableEntity, APIError{Code: code, Message: "the association has no participants and no budget in the year", Field: "year"})
			return
		}
		s.unavailable(w, r, "association report", err)
		return
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
	writeJSON(w, http.StatusOK, out)
}
