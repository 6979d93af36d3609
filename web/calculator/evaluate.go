package calculator

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/ruleset"
	"github.com/finsam/finsam/web/internal/site"
)

// MaxRulesInputBytes bounds one input object for the rules engine, in the
// API and on the command line alike. The largest input the engine accepts
// (1000 periods) is far below it.
const MaxRulesInputBytes = 64 << 10

// Error codes of the rules endpoint that do not come from the engine.
const (
	codeTooLarge         = "too_large"
	codeUnsupportedMedia = "unsupported_media_type"
	codeInternal         = "internal"
)

// EvaluateRulesJSON evaluates one input object and returns the bytes both
// `finsam rules evaluate` and POST /api/v1/rules/evaluate answer with: the
// result with its trace, or {"error":{"code","message","field"}}, as
// compact JSON and a newline. problem is the input's problem, nil for a
// result. The CLI and the API call this one function so that they cannot
// drift apart.
func EvaluateRulesJSON(e *rules.Engine, input []byte) (out []byte, problem *rules.Error) {
	if len(input) > MaxRulesInputBytes {
		return rulesError(tooLarge())
	}
	in, err := rules.ParseInput(input)
	if err == nil {
		var res rules.Result
		if res, err = e.Evaluate(in, rules.Options{Trace: true}); err == nil {
			b, merr := json.Marshal(res)
			if merr != nil {
				return rulesError(&rules.Error{Code: codeInternal, Message: "the result could not be encoded"})
			}
			return append(b, '\n'), nil
		}
	}
	var re *rules.Error
	if !errors.As(err, &re) {
		// The engine documents that its errors are *rules.Error; anything
		// else is a bug, reported without guessing an answer.
		re = &rules.Error{Code: codeInternal, Message: "internal error"}
	}
	return rulesError(re)
}

// rulesError renders p as {"error":{"code","message","field"}} and a
// newline; field is always present, "" when the problem is not tied to one
// input field.
func rulesError(p *rules.Error) ([]byte, *rules.Error) {
	b, err := json.Marshal(struct {
		Error *rules.Error `json:"error"`
	}{p})
	if err != nil {
		b = []byte(`{"error":{"code":"internal","message":"internal error","field":""}}`)
	}
	return append(b, '\n'), p
}

func tooLarge() *rules.Error {
	return &rules.Error{Code: codeTooLarge, Message: "input larger than " + strconv.Itoa(MaxRulesInputBytes) + " bytes",
		MessageSV: "indata är större än " + strconv.Itoa(MaxRulesInputBytes) + " byte"}
}

// RulesTooLargeJSON is the answer to an input larger than
// MaxRulesInputBytes, for callers that stop reading at the limit.
func RulesTooLargeJSON() []byte {
	b, _ := rulesError(tooLarge())
	return b
}

// RulesStatus maps an error code to the HTTP status of the API:
//   - 400 Bad Request when the body is not an input object of the
//     documented shape: malformed JSON (also duplicate fields and trailing
//     data), an unknown field, or a value of the wrong JSON type;
//   - 422 Unprocessable Content when it is well-formed but its values are
//     not acceptable: a missing field, an impossible date, a date outside
//     the years with parameters, an unknown employment, a degree other
//     than 25/50/75/100, a period that ends before it starts, overlapping
//     periods, a negative or absurd income, too many periods;
//   - 413 and 415 for a body too large or not JSON, 500 for a bug.
func RulesStatus(code string) int {
	switch code {
	case rules.CodeInvalidJSON, rules.CodeUnknownField, rules.CodeInvalidType:
		return http.StatusBadRequest
	case codeTooLarge:
		return http.StatusRequestEntityTooLarge
	case codeUnsupportedMedia:
		return http.StatusUnsupportedMediaType
	case codeInternal:
		return http.StatusInternalServerError
	}
	return http.StatusUnprocessableEntity
}

// Evaluate is POST /api/v1/rules/evaluate: the same JSON in and out as
// `finsam rules evaluate`. It is public: the input describes a situation,
// not a person. ?scenario= evaluates under a scenario: a stored one by its
// name, or an inline one given as its JSON (URL-encoded), as
// `finsam rules evaluate --scenario FILE` does.
func (s *Handlers) Evaluate(w http.ResponseWriter, r *http.Request, _ *site.Actor) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			out, _ := rulesError(&rules.Error{Code: codeUnsupportedMedia, Message: "send the input as application/json"})
			writeRulesJSON(w, http.StatusUnsupportedMediaType, out)
			return nil
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxRulesInputBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeRulesJSON(w, http.StatusRequestEntityTooLarge, RulesTooLargeJSON())
			return nil
		}
		// The client went away or sent a broken body; nothing to evaluate.
		return site.BadRequest()
	}
	engine := s.Engine()
	if ref := r.URL.Query().Get("scenario"); ref != "" {
		se, err := ruleset.WithScenario(r.Context(), s.Store, engine, ref)
		var inv *ruleset.Invalid
		switch {
		case errors.Is(err, ruleset.ErrNoScenario):
			out, _ := rulesError(&rules.Error{Code: ruleset.CodeUnknownScenario, Field: "scenario", Message: "no scenario called " + strconv.Quote(ref) + " is stored"})
			writeRulesJSON(w, http.StatusUnprocessableEntity, out)
			return nil
		case errors.As(err, &inv):
			p := *inv.Problems[0]
			p.Field = strings.TrimSuffix("scenario."+p.Field, ".")
			out, _ := rulesError(&p)
			writeRulesJSON(w, RulesStatus(p.Code), out)
			return nil
		case err != nil:
			return site.Unavailable("rules scenario", err)
		}
		engine = se
	}
	out, problem := EvaluateRulesJSON(engine, body)
	status := http.StatusOK
	if problem != nil {
		status = RulesStatus(problem.Code)
	}
	writeRulesJSON(w, status, out)
	return nil
}

// writeRulesJSON writes bytes made by EvaluateRulesJSON unchanged, so that
// the API answers exactly what the command line prints.
func writeRulesJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(body)
}
