package web

// An association's reports (issue 8 item 5): the yearly report
// (verksamhetsberättelse) as a page with charts, as PDF and as XLSX, and
// the export for Försäkringskassan's Uppföljning Finsam as CSV, also in
// the API with the yearly report as JSON. The figures come from package
// assocreport, which reads the store's aggregates: counts of people, no
// personal data, so reading them is not audited.
//
// Small cells: the association's own staff see exact counts on the page;
// everything else — the board's page, the PDF, the XLSX, the CSV and the
// API, whoever asks — shows counts of 1–4 as "<5" with secondary
// suppression (assocreport.SuppressTable): those leave the association.

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/assocreport"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
)

// registerAssociationReportRoutes declares this part's routes (see association.go).
func (s *Server) registerAssociationReportRoutes() {
	s.page("GET /forbund/{slug}/rapporter", policy.ReadAssociationReports, s.reads(s.assocReportPage))
	s.page("GET /forbund/{slug}/rapporter/arsrapport.pdf", policy.ReadAssociationReports, s.reads(s.assocReportPDF))
	s.page("GET /forbund/{slug}/rapporter/arsrapport.xlsx", policy.ReadAssociationReports, s.reads(s.assocReportXLSX))
	s.page("GET /forbund/{slug}/rapporter/uppfoljning-finsam.csv", policy.ReadAssociationReports, s.reads(s.assocUppfoljningCSV))
	s.api("GET /api/v1/associations/{slug}/reports/yearly", policy.ReadAssociationReports, s.reads(s.apiAssocYearly))
	s.api("GET /api/v1/associations/{slug}/reports/uppfoljning-finsam.csv", policy.ReadAssociationReports, s.reads(s.assocUppfoljningCSV))
}

// reportCodes are the code lists reports label codes with.
var reportCodes = association.MustDefaultCodeLists()

// reportQuery is a report's selection as asked for: the year and an
// optional insats. Errors are field → message id.
type reportQuery struct {
	Year     int
	InsatsID int64
	YearText string
	Insats   string
	errs     map[string]string
}

// Field error codes of the report query (API) and their messages.
const (
	repErrYearRequired = "year_required"
	repErrYearInvalid  = "invalid_year"
	repErrInsats       = "invalid_insats"
)

// readReportQuery reads ?year=&insats=. A page defaults the year to last
// year (the yearly report is for a finished year); the API requires it.
func readReportQuery(r *http.Request, ar assocRequest, defaultYear bool) reportQuery {
	q := r.URL.Query()
	rq := reportQuery{YearText: strings.TrimSpace(q.Get("year")), Insats: strings.TrimSpace(q.Get("insats")), errs: map[string]string{}}
	switch y, err := strconv.Atoi(rq.YearText); {
	case rq.YearText == "" && defaultYear:
		rq.Year = ar.Today.Year() - 1
		rq.YearText = strconv.Itoa(rq.Year)
	case rq.YearText == "":
		rq.errs["year"] = repErrYearRequired
	case err != nil || y < assocreport.MinYear || y > assocreport.MaxYear:
		rq.errs["year"] = repErrYearInvalid
	default:
		rq.Year = y
	}
	if rq.Insats != "" {
		id, err := strconv.ParseInt(rq.Insats, 10, 64)
		if err != nil || id <= 0 {
			rq.errs["insats"] = repErrInsats
		}
		rq.InsatsID = id
	}
	return rq
}

func (rq reportQuery) values() url.Values {
	v := url.Values{"year": {rq.YearText}}
	if rq.Insats != "" {
		v.Set("insats", rq.Insats)
	}
	return v
}

// buildReport reads the report and the association's insatser in one
// snapshot. An insats that is not the association's gives store.ErrNotFound;
// a year without data store.ErrReportPeriod (see reportError).
func (s *Server) buildReport(r *http.Request, ar assocRequest, rq reportQuery) (rep assocreport.Report, insatser []association.Insats, err error) {
	err = s.store.ReadTx(r.Context(), func(tx *store.Tx) error {
		var err error
		if insatser, err = store.Insatser(r.Context(), tx, store.InsatsQuery{AssociationID: ar.Org.ID}); err != nil {
			return err
		}
		rep, err = assocreport.Build(r.Context(), tx, reportCodes, assocreport.Request{Association: ar.Org, Year: rq.Year, InsatsID: rq.InsatsID})
		return err
	})
	return rep, insatser, err
}

// reportT is the translator of a language for assocreport.
func reportT(lang string) assocreport.Translator {
	return func(id string) string { return translate(lang, id) }
}

// reportDownload reads the report for a download (PDF, XLSX). On a bad
// query or a year without data it shows the report page with the message
// (422) and ok is false.
func (s *Server) reportDownload(w http.ResponseWriter, r *http.Request, a *actor) (assocreport.Report, string, bool) {
	ar, ok := s.loadAssociation(w, r, a, policy.ReadAssociationReports)
	if !ok {
		return assocreport.Report{}, "", false
	}
	lang := language(w, r)
	rq := readReportQuery(r, ar, true)
	if len(rq.errs) > 0 {
		s.renderReport(w, r, a, ar, rq, assocreport.Report{}, nil, nil)
		return assocreport.Report{}, "", false
	}
	rep, insatser, err := s.buildReport(r, ar, rq)
	if err != nil {
		s.reportError(w, r, a, ar, rq, insatser, err)
		return assocreport.Report{}, "", false
	}
	return rep, lang, true
}

// reportError answers a report that could not be built.
func (s *Server) reportError(w http.ResponseWriter, r *http.Request, a *actor, ar assocRequest, rq reportQuery, insatser []association.Insats, err error) {
	switch {
	case errors.Is(err, store.ErrReportPeriod):
		s.renderReport(w, r, a, ar, rq, assocreport.Report{}, insatser, err)
	case errors.Is(err, store.ErrNotFound):
		rq.errs["insats"] = repErrInsats
		s.renderReport(w, r, a, ar, rq, assocreport.Report{}, insatser, nil)
	default:
		s.unavailable(w, r, "association report", err)
	}
}

// assocReportPDF sends the verksamhetsberättelse as PDF.
func (s *Server) assocReportPDF(w http.ResponseWriter, r *http.Request, a *actor) {
	rep, lang, ok := s.reportDownload(w, r, a)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := assocreport.WritePDF(&buf, rep, assocreport.Options{T: reportT(lang), Codes: reportCodes, Lang: lang, Created: s.now()}); err != nil {
		s.unavailable(w, r, "association report PDF", err)
		return
	}
	sendFile(w, "application/pdf", reportFileName(rep, "pdf"), buf.Bytes())
}

// assocReportXLSX sends the verksamhetsberättelse as an Excel workbook.
func (s *Server) assocReportXLSX(w http.ResponseWriter, r *http.Request, a *actor) {
	rep, lang, ok := s.reportDownload(w, r, a)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := assocreport.WriteXLSX(&buf, rep, assocreport.Options{T: reportT(lang), Codes: reportCodes, Lang: lang, Created: s.now()}); err != nil {
		s.unavailable(w, r, "association report XLSX", err)
		return
	}
	sendFile(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", reportFileName(rep, "xlsx"), buf.Bytes())
}

// reportFileName is e.g. verksamhetsberattelse-finsam-gotland-2025.pdf, or
// with the insats's id for one insats.
func reportFileName(rep assocreport.Report, ext string) string {
	name := rep.FileName("verksamhetsberattelse")
	if rep.InsatsID != 0 {
		name += "-insats-" + strconv.FormatInt(rep.InsatsID, 10)
	}
	return name + "." + ext
}

func sendFile(w http.ResponseWriter, contentType, name string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(body)
}

// assocUppfoljningCSV sends the Uppföljning Finsam export of a year, as a
// page download or in the API (see assocreport/uppfoljning.go for the
// shape and why it is UTF-8 with BOM and semicolons).
func (s *Server) assocUppfoljningCSV(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, ok := s.loadAssociation(w, r, a, policy.ReadAssociationReports)
	if !ok {
		return
	}
	api := isAPI(r)
	rq := readReportQuery(r, ar, !api)
	delete(rq.errs, "insats") // the export is of the whole association
	if len(rq.errs) > 0 {
		if api {
			apiReportQueryError(w, rq)
		} else {
			s.renderReport(w, r, a, ar, rq, assocreport.Report{}, nil, nil)
		}
		return
	}
	var rows []assocreport.UppfoljningRow
	err := s.store.ReadTx(r.Context(), func(tx *store.Tx) error {
		var err error
		rows, err = assocreport.Uppfoljning(r.Context(), tx, reportCodes, ar.Org.ID, rq.Year)
		return err
	})
	switch {
	case errors.Is(err, store.ErrReportPeriod) && api:
		writeAPIError(w, http.StatusUnprocessableEntity, APIError{Code: "no_data", Message: "the association has no participants and no budget in the year", Field: "year"})
		return
	case errors.Is(err, store.ErrReportPeriod):
		s.renderReport(w, r, a, ar, rq, assocreport.Report{}, nil, err)
		return
	case err != nil:
		s.unavailable(w, r, "Uppföljning Finsam export", err)
		return
	}
	var buf bytes.Buffer
	if err := assocreport.WriteUppfoljningCSV(&buf, rows); err != nil {
		s.unavailable(w, r, "Uppföljning Finsam export", err)
		return
	}
	sendFile(w, "text/csv; charset=utf-8", "uppfoljning-finsam-"+ar.Org.Slug+"-"+rq.YearText+".csv", buf.Bytes())
}

// apiReportQueryError answers a bad report query: 400 year_required when
// the year is missing, else 422 validation_failed with each field's code.
func apiReportQueryError(w http.ResponseWriter, rq reportQuery) {
	if rq.errs["year"] == repErrYearRequired {
		writeAPIError(w, http.StatusBadRequest, APIError{Code: repErrYearRequired, Message: "give the report's year as ?year=YYYY", Field: "year"})
		return
	}
	var fields []FieldError
	for _, f := range []string{"year", "insats"} {
		if code, ok := rq.errs[f]; ok {
			msg := "the year must be a number from 2004 to 2200"
			if f == "insats" {
				msg = "the insats must be the id of one of the association's insatser"
			}
			fields = append(fields, FieldError{Field: f, Code: code, Message: msg})
		}
	}
	writeAPIError(w, http.StatusUnprocessableEntity, APIError{Code: "validation_failed", Message: "the query has invalid parameters", Fields: fields})
}

// reportErrorCode maps a report error to its API code ("" for a failure
// of the server).
func reportErrorCode(err error) string {
	switch {
	case errors.Is(err, store.ErrReportPeriod):
		return "no_data"
	case errors.Is(err, store.ErrNotFound):
		return repErrInsats
	}
	return ""
}
