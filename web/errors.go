package web

import (
	"encoding/json"
	"net/http"
	"strings"
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

type apiErrorBody struct {
	Error APIError `json:"error"`
}

// isAPI tells whether a request is served as JSON rather than HTML.
func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// fail answers a request that cannot be served: JSON for the API, an HTML
// page in the visitor's language for people. It never shows a Go error or a
// stack trace; those go to the log.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, code, field string) {
	if isAPI(r) {
		writeAPIError(w, status, APIError{Code: code, Message: apiMessage(code), Field: field})
		return
	}
	s.errorPage(w, r, status, code)
}

func writeAPIError(w http.ResponseWriter, status int, e APIError) {
	writeJSON(w, status, apiErrorBody{Error: e})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
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

// unmatched answers requests no route matched: 405 with an Allow header when
// the path exists for other methods, 404 otherwise.
func (s *Server) unmatched(w http.ResponseWriter, r *http.Request) {
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if m == r.Method {
			continue
		}
		probe := &http.Request{Method: m, URL: r.URL, Host: r.Host, Header: http.Header{}}
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/" {
			allowed = append(allowed, m)
		}
	}
	if len(allowed) > 0 {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		s.fail(w, r, http.StatusMethodNotAllowed, "method_not_allowed", "")
		return
	}
	s.fail(w, r, http.StatusNotFound, "not_found", "")
}
