package site

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
)

// ReadJSON reads a request's JSON body into v, strictly: the content type
// must be application/json, the body at most limit bytes and exactly one
// JSON value with no field v does not have. Its error is one Fail answers
// (415, 413, 400 with a code saying what is wrong).
func ReadJSON(w http.ResponseWriter, r *http.Request, v any, limit int64) error {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return &Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type", Message: "send application/json"}
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Message: APIMessage("too_large")}
		}
		return BadRequest()
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		e := &Error{Status: http.StatusBadRequest, Code: "invalid_json", Message: "the body is not the JSON object this endpoint takes: " + err.Error()}
		if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			e.Code, e.Field = "unknown_field", strings.Trim(f, `"`)
		}
		return e
	}
	if dec.More() {
		return &Error{Status: http.StatusBadRequest, Code: "invalid_json", Message: "trailing data after the JSON object"}
	}
	return nil
}
