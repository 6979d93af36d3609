package site

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/finsam/finsam/store"
)

// APIError is the body of every failed API response:
// {"error":{"code":"…","message":"…","field":"…"}}. Code is stable and meant
// for programs; Message is English text for the developer reading the
// response; Field names the offending input as a JSON path.
type APIError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	// Answer names the certificate answer (svar and delsvar) the field is
	// sent in, for certificates.
	Answer string       `json:"answer,omitempty"`
	Fields []FieldError `json:"fields,omitempty"`
}

// FieldError is one invalid field among several.
type FieldError struct {
	Field   string `json:"field"`
	Answer  string `json:"answer,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// APIErrorBody is the JSON answer of a failed API request.
type APIErrorBody struct {
	Error APIError `json:"error"`
}

// IsAPI tells whether a request is served as JSON rather than HTML.
func IsAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// FailWith answers a request that cannot be served: JSON for the API, an
// HTML page in the visitor's language for people. It never shows a Go error
// or a stack trace; those go to the log.
func (s *Site) FailWith(w http.ResponseWriter, r *http.Request, status int, code, field string) {
	if IsAPI(r) {
		WriteAPIError(w, status, APIError{Code: code, Message: APIMessage(code), Field: field})
		return
	}
	s.ErrorPage(w, r, status, code)
}

// WriteAPIError writes an API error body.
func WriteAPIError(w http.ResponseWriter, status int, e APIError) {
	WriteJSON(w, status, APIErrorBody{Error: e})
}

// WriteJSON writes v as the JSON body of an answer that is never cached.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"error":{"code":"internal","message":"internal error"}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}

// Error is a failure a handler returns, with the status and the stable code
// it is answered with. The wrapped error, if any, is logged and never shown.
type Error struct {
	Status int
	Code   string
	// Field names the offending input of an API request.
	Field string
	// Message is the English developer-facing text of an API answer; ""
	// means the code's (APIMessage).
	Message string
	// What says what failed, for the log.
	What string
	Err  error
}

func (e *Error) Error() string {
	msg := e.Code
	if e.What != "" {
		msg = e.What + ": " + msg
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// NotFound is the error of a resource that does not exist, or that the
// actor may not know exists.
func NotFound() error { return &Error{Status: http.StatusNotFound, Code: "not_found"} }

// BadRequest is the error of a request that cannot be parsed.
func BadRequest() error { return &Error{Status: http.StatusBadRequest, Code: "bad_request"} }

// TooLarge is the error of a request body over its limit.
func TooLarge() error { return &Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large"} }

// Unavailable is the error of a request whose database work failed; what
// names the work for the log.
func Unavailable(what string, err error) error {
	return &Error{Status: http.StatusServiceUnavailable, Code: "unavailable", What: what, Err: err}
}

// Internal is the error of a bug or an unexpected failure: 500, logged
// with the request id that the answer shows.
func Internal(what string, err error) error {
	return &Error{Status: http.StatusInternalServerError, Code: "internal", What: what, Err: err}
}

// Fail answers a handler's error, the one place where errors become
// statuses: an *Error as it says; field problems 422 validation_failed
// (an API answer lists them; a page that shows its form answers them
// itself); store.ErrNotFound 404; store.ErrStale 409 stale_version; a body
// over its limit 413; anything else 500, logged with the request id.
// Refusals by policy are answered (and audited) by the guard; a handler's
// own check of a resource (Authorize) returns a *Refusal, answered here
// the same way.
func (s *Site) Fail(w http.ResponseWriter, r *http.Request, err error) {
	var e *Error
	ps, invalid := ProblemsOf(err)
	var tooLarge *http.MaxBytesError
	var refusal *Refusal
	switch {
	case errors.As(err, &refusal):
		s.refuse(w, r, refusal)
	case invalid:
		if IsAPI(r) {
			WriteAPIError(w, http.StatusUnprocessableEntity, APIError{Code: "validation_failed",
				Message: "the input has invalid fields; nothing was written", Fields: ps.FieldErrors(s.Messages, messagePrefix(err))})
			return
		}
		s.ErrorPage(w, r, http.StatusUnprocessableEntity, "bad_request")
	case errors.As(err, &e):
		if e.Err != nil || e.Status >= http.StatusInternalServerError {
			s.Log.ErrorContext(r.Context(), whatOf(e), "err", e.Err)
		}
		if e.Message != "" && IsAPI(r) {
			WriteAPIError(w, e.Status, APIError{Code: e.Code, Message: e.Message, Field: e.Field})
			return
		}
		s.FailWith(w, r, e.Status, e.Code, e.Field)
	case errors.Is(err, store.ErrNotFound):
		s.FailWith(w, r, http.StatusNotFound, "not_found", "")
	case errors.Is(err, store.ErrStale):
		s.FailWith(w, r, http.StatusConflict, "stale_version", "")
	case errors.As(err, &tooLarge):
		s.FailWith(w, r, http.StatusRequestEntityTooLarge, "too_large", "")
	default:
		s.Log.ErrorContext(r.Context(), "handler", "err", err)
		s.FailWith(w, r, http.StatusInternalServerError, "internal", "")
	}
}

func whatOf(e *Error) string {
	if e.What != "" {
		return e.What
	}
	return fmt.Sprintf("%d %s", e.Status, e.Code)
}

// HandlerFunc is a route's handler: it gets the actor the guard resolved
// and already checked against the route's action, and returns an error
// that Fail answers, or nil when it has answered itself.
type HandlerFunc func(w http.ResponseWriter, r *http.Request, a *Actor) error
