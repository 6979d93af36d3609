package certificates

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/intake"
	"github.com/finsam/finsam/web/internal/site"
)

// MaxCertificateBytes is the largest certificate body accepted.
const MaxCertificateBytes = 256 << 10

// certificateReceipt is the answer to an accepted (201) or repeated (200)
// certificate.
type certificateReceipt struct {
	ID      int64               `json:"id"`
	CaseID  int64               `json:"case_id"`
	Quality certificate.Quality `json:"quality"`
}

// Receive is POST /api/v1/certificates: it takes one FK 7804 certificate as JSON or as
// RegisterCertificate XML from a care provider's system.
func (s *Handlers) Receive(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	// Only care providers (and regions, which run health care) send
	// certificates, whatever scopes a token of another organisation holds.
	if !a.Org.Type.SendsCertificates() {
		return &site.Error{Status: http.StatusForbidden, Code: "forbidden", Message: "only care providers send certificates"}
	}
	var format intake.Format
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case err != nil:
		return &site.Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type",
			Message: "send application/json or application/xml"}
	case mt == "application/json":
		format = intake.JSON
	case mt == "application/xml" || mt == "text/xml":
		format = intake.XML
	default:
		return &site.Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type",
			Message: "send application/json or application/xml, not " + mt}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxCertificateBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &site.Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Message: "certificates are at most 256 KiB"}
		}
		return &site.Error{Status: http.StatusBadRequest, Code: "bad_request", Message: "could not read the body"}
	}
	actorEvent := a.Event(r, "", "", "", "")
	res, err := s.intake.Submit(r.Context(), intake.Submission{SenderOrgID: a.Org.ID, Format: format, Body: body,
		Source: "api", Actor: actorEvent})
	if err != nil {
		return site.Unavailable("certificate intake", err)
	}
	if res.Quality.Findings == nil {
		res.Quality.Findings = []certificate.Finding{}
	}
	switch res.Status {
	case intake.Accepted:
		site.WriteJSON(w, http.StatusCreated, certificateReceipt{ID: res.CertificateID, CaseID: res.CaseID, Quality: res.Quality})
	case intake.Duplicate:
		site.WriteJSON(w, http.StatusOK, certificateReceipt{ID: res.CertificateID, CaseID: res.CaseID, Quality: res.Quality})
	case intake.Conflict:
		return &site.Error{Status: http.StatusConflict, Code: "conflict", Field: "id",
			Message: "another certificate was already received under this id from your organisation"}
	// A malformed or invalid certificate is answered here: the answer names
	// the form's answer (svar and delsvar) of each problem, which the
	// form model has no place for.
	case intake.Malformed:
		site.WriteAPIError(w, http.StatusBadRequest, site.APIError{Code: res.Parse.Code, Field: res.Parse.Field,
			Answer: res.Parse.Answer, Message: res.Parse.Message})
	case intake.Invalid:
		fields := make([]site.FieldError, len(res.Errors))
		for i, e := range res.Errors {
			fields[i] = site.FieldError{Field: e.Field, Answer: e.Answer, Code: e.Code, Message: e.Message}
		}
		site.WriteAPIError(w, http.StatusUnprocessableEntity, site.APIError{Code: "validation_failed",
			Message: "the certificate breaks the rules listed in fields; nothing was stored", Fields: fields})
	}
	return nil
}
