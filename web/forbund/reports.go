package forbund

// An association's reports: the yearly report
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
	"slices"
	"strconv"
	"strings"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/assocreport"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// reportCodes are the code lists reports label codes with.
var reportCodes = association.MustDefaultCodeLists()

// reportQuery is a report's selection as asked for: the year and an
// optional insats, with their problems (codes repErr…).
type reportQuery struct {
	Year     int
	InsatsID int64
	YearText string
	Insats   string
	problems site.Problems
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
	rq := reportQuery{YearText: strings.TrimSpace(q.Get("year")), Insats: strings.TrimSpace(q.Get("insats"))}
	switch y, err := strconv.Atoi(rq.YearText); {
	case rq.YearText == "" && defaultYear:
		rq.Year = ar.Today.Year() - 1
		rq.YearText = strconv.Itoa(rq.Year)
	case rq.YearText == "":
		rq.problems.Add("year", repErrYearRequired)
	case err != nil || y < assocreport.MinYear || y > assocreport.MaxYear:
		rq.problems.Add("year", repErrYearInvalid)
	default:
		rq.Year = y
	}
	if rq.Insats != "" {
		id, err := strconv.ParseInt(rq.Insats, 10, 64)
		if err != nil || id <= 0 {
			rq.problems.Add("insats", repErrInsats)
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
func (h *Handlers) buildReport(r *http.Request, ar assocRequest, rq reportQuery) (rep assocreport.Report, insatser []association.Insats, err error) {
	err = h.Store.ReadTx(r.Context(), func(tx *store.Tx) error {
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
func (h *Handlers) reportDownload(w http.ResponseWriter, r *http.Request, a *site.Actor) (rep assocreport.Report, lang string, ok bool, err error) {
	ar, err := h.load(r, a, policy.ReadAssociationReports)
	if err != nil {
		return rep, "", false, err
	}
	lang = site.Language(w, r)
	rq := readReportQuery(r, ar, true)
	if rq.problems.Any() {
		return rep, "", false, h.renderReport(w, r, a, ar, rq, assocreport.Report{}, nil, nil)
	}
	rep, insatser, err := h.buildReport(r, ar, rq)
	if err != nil {
		return rep, "", false, h.reportError(w, r, a, ar, rq, insatser, err)
	}
	return rep, lang, true, nil
}

// reportError answers a report that could not be built.
func (h *Handlers) reportError(w http.ResponseWriter, r *http.Request, a *site.Actor, ar assocRequest, rq reportQuery, insatser []association.Insats, err error) error {
	switch {
	case errors.Is(err, store.ErrReportPeriod):
		return h.renderReport(w, r, a, ar, rq, assocreport.Report{}, insatser, err)
	case errors.Is(err, store.ErrNotFound):
		rq.problems.Add("insats", repErrInsats)
		return h.renderReport(w, r, a, ar, rq, assocreport.Report{}, insatser, nil)
	}
	return site.Unavailable("association report", err)
}

// ReportPDF sends the verksamhetsberättelse as PDF.
func (h *Handlers) ReportPDF(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	rep, lang, ok, err := h.reportDownload(w, r, a)
	if !ok {
		return err
	}
	if h.printer != nil {
		// The tagged PDF when the browser prints it; a failure (no browser,
		// a timeout) falls back to the untagged one rather than to no report.
		pdf, err := printedReportPDF(r.Context(), h.printer, rep, lang, h.Now())
		if err == nil {
			sendFile(w, "application/pdf", reportFileName(rep, "pdf"), pdf)
			return nil
		}
		h.Log.Warn("association report: printing the tagged PDF failed; sending the untagged one", "err", err)
	}
	var buf bytes.Buffer
	if err := assocreport.WritePDF(&buf, rep, assocreport.Options{T: reportT(lang), Codes: reportCodes, Lang: lang, Created: h.Now()}); err != nil {
		return site.Unavailable("association report PDF", err)
	}
	sendFile(w, "application/pdf", reportFileName(rep, "pdf"), buf.Bytes())
	return nil
}

// ReportXLSX sends the verksamhetsberättelse as an Excel workbook.
func (h *Handlers) ReportXLSX(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	rep, lang, ok, err := h.reportDownload(w, r, a)
	if !ok {
		return err
	}
	var buf bytes.Buffer
	if err := assocreport.WriteXLSX(&buf, rep, assocreport.Options{T: reportT(lang), Codes: reportCodes, Lang: lang, Created: h.Now()}); err != nil {
		return site.Unavailable("association report XLSX", err)
	}
	sendFile(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", reportFileName(rep, "xlsx"), buf.Bytes())
	return nil
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

// UppfoljningCSV sends the Uppföljning Finsam export of a year, as a page
// download or in the API (see assocreport/uppfoljning.go for the shape and
// why it is UTF-8 with BOM and semicolons).
func (h *Handlers) UppfoljningCSV(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, err := h.load(r, a, policy.ReadAssociationReports)
	if err != nil {
		return err
	}
	api := site.IsAPI(r)
	rq := readReportQuery(r, ar, !api)
	// The export is of the whole association.
	rq.problems = slices.DeleteFunc(rq.problems, func(p site.Problem) bool { return p.Field == "insats" })
	if rq.problems.Any() {
		if api {
			return apiReportQueryError(w, rq)
		}
		return h.renderReport(w, r, a, ar, rq, assocreport.Report{}, nil, nil)
	}
	var rows []assocreport.UppfoljningRow
	err = h.Store.ReadTx(r.Context(), func(tx *store.Tx) error {
		var err error
		rows, err = assocreport.Uppfoljning(r.Context(), tx, reportCodes, ar.Org.ID, rq.Year)
		return err
	})
	switch {
	case errors.Is(err, store.ErrReportPeriod) && api:
		return errNoData
	case errors.Is(err, store.ErrReportPeriod):
		return h.renderReport(w, r, a, ar, rq, assocreport.Report{}, nil, err)
	case err != nil:
		return site.Unavailable("Uppföljning Finsam export", err)
	}
	var buf bytes.Buffer
	if err := assocreport.WriteUppfoljningCSV(&buf, rows); err != nil {
		return site.Unavailable("Uppföljning Finsam export", err)
	}
	sendFile(w, "text/csv; charset=utf-8", "uppfoljning-finsam-"+ar.Org.Slug+"-"+rq.YearText+".csv", buf.Bytes())
	return nil
}

// errNoData is the API's answer to a year without data.
var errNoData = &site.Error{Status: http.StatusUnprocessableEntity, Code: "no_data",
	Message: "the association has no participants and no budget in the year", Field: "year"}

// apiReportQueryError answers a bad report query: 400 year_required when
// the year is missing, else 422 validation_failed with each field's code.
func apiReportQueryError(w http.ResponseWriter, rq reportQuery) error {
	if rq.problems.Code("year") == repErrYearRequired {
		return &site.Error{Status: http.StatusBadRequest, Code: repErrYearRequired, Message: "give the report's year as ?year=YYYY", Field: "year"}
	}
	var fields []site.FieldError
	for _, f := range []string{"year", "insats"} {
		if code := rq.problems.Code(f); code != "" {
			msg := "the year must be a number from 2004 to 2200"
			if f == "insats" {
				msg = "the insats must be the id of one of the association's insatser"
			}
			fields = append(fields, site.FieldError{Field: f, Code: code, Message: msg})
		}
	}
	site.WriteAPIError(w, http.StatusUnprocessableEntity, site.APIError{Code: "validation_failed", Message: "the query has invalid parameters", Fields: fields})
	return nil
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
