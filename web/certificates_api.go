package web

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/intake"
)

// maxCertificateBytes is the largest certificate body accepted (issue 6).
const maxCertificateBytes = 256 << 10

// certificateReceipt is the answer to an accepted (201) or repeated (200)
// certificate.
type certificateReceipt struct {
	ID      int64               `json:"id"`
	CaseID  int64               `json:"case_id"`
	Quality certificate.Quality `json:"quality"`
}

// receiveCertificate takes one FK 7804 certificate as JSON or as
// RegisterCertificate XML from a care provider's system.
func (s *Server) receiveCertificate(w http.ResponseWriter, r *http.Request, a *actor) {
	// Only care providers (and regions, which run health care) send
	// certificates, whatever scopes a token of another organisation holds.
	if !a.Org.Type.SendsCertificates() {
		writeAPIError(w, http.StatusForbidden, APIError{Code: "forbidden", Message: "only care providers send certificates"})
		return
	}
	var format intake.Format
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case err != nil:
		writeAPIError(w, http.StatusUnsupportedMediaType, APIError{Code: "unsupported_media_type",
			Message: "send application/json or application/xml"})
		return
	case mt == "application/json":
		format = intake.JSON
	case mt == "application/xml" || mt == "text/xml":
		format = intake.XML
	default:
		writeAPIError(w, http.StatusUnsupportedMediaType, APIError{Code: "unsupported_media_type",
			Message: "send application/json or application/xml, not " + mt})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxCertificateBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeAPIError(w, http.StatusRequestEntityTooLarge, APIError{Code: "too_large", Message: "certificates are at most 256 KiB"})
			return
		}
		writeAPIError(w, http.StatusBadRequest, APIError{Code: "bad_request", Message: "could not read the body"})
		return
	}
	actorEvent := a.Event(r, "", "", "", "")
	res, err := s.intake.Submit(r.Context(), intake.Submission{SenderOrgID: a.Org.ID, Format: format, Body: body,
		Source: "api", Actor: actorEvent})
	if err != nil {
		s.log.ErrorContext(r.Context(), "certificate intake", "err", err)
		writeAPIError(w, http.StatusServiceUnavailable, APIError{Code: "unavailable", Message: apiMessage("unavailable")})
		return
	}
	if res.Quality.Findings == nil {
		res.Quality.Findings = []certificate.Finding{}
	}
	switch res.Status {
	case intake.Accepted:
		writeJSON(w, http.StatusCreated, certificateReceipt{ID: res.CertificateID, CaseID: res.CaseID, Quality: res.Quality})
	case intake.Duplicate:
		writeJSON(w, http.StatusOK, certificateReceipt{ID: res.CertificateID, CaseID: res.CaseID, Quality: res.Quality})
	case intake.Conflict:
		writeAPIError(w, http.StatusConflict, APIError{Code: "conflict", Field: "id",
			Message: "another certificate was already received under this id from your organisation"})
	case intake.Malformed:
		writeAPIError(w, http.StatusBadRequest, APIError{Code: res.Parse.Code, Field: res.Parse.Field,
			Answer: res.Parse.Answer, Message: res.Parse.Message})
	case intake.Invalid:
		fields := make([]FieldError, len(res.Errors))
		for i, e := range res.Errors {
			fields[i] = FieldError{Field: e.Field, Answer: e.Answer, Code: e.Code, Message: e.Message}
		}
		writeAPIError(w, http.StatusUnprocessableEntity, APIError{Code: "validation_failed",
			Message: "the certificate breaks the rules listed in fields; nothing was stored", Fields: fields})
	}
}
