package webtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// answerCheck holds the API operations of the OpenAPI document with their
// statuses, and the answers found not to match.
type answerCheck struct {
	ops   map[string]map[string]bool
	mux   *http.ServeMux
	mu    sync.Mutex
	found map[string]bool
}

// CheckAnswers checks every answer an API operation gives to the server's
// clients during the test against the server's OpenAPI document: its
// status must be one the operation documents, and an error must have the
// documented shape ({"error":{"code","message"}}). The test fails at its
// end with each undocumented answer once. Requests to no documented
// operation are not checked.
func (s *Server) CheckAnswers(t testing.TB) {
	t.Helper()
	rec := s.Do("GET", "/api/v1/openapi.json", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("OpenAPI document: %d", rec.Code)
	}
	ops, err := DocumentedStatuses(rec.Body.Bytes())
	if err != nil {
		t.Fatalf("OpenAPI document: %v", err)
	}
	c := &answerCheck{ops: ops, mux: http.NewServeMux(), found: map[string]bool{}}
	for _, r := range s.Routes() {
		c.mux.HandleFunc(r.Pattern(), func(http.ResponseWriter, *http.Request) {})
	}
	s.answers = c
	t.Cleanup(func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		var all []string
		for p := range c.found {
			all = append(all, p)
		}
		sort.Strings(all)
		for _, p := range all {
			t.Errorf("answer not as the OpenAPI document says: %s", p)
		}
	})
}

// check records an answer to req that the document does not describe.
func (c *answerCheck) check(req *http.Request, rec *httptest.ResponseRecorder) {
	_, pattern := c.mux.Handler(req)
	codes, documented := c.ops[pattern]
	if !documented {
		return
	}
	var problem string
	switch {
	case !StatusDocumented(codes, rec.Code):
		problem = fmt.Sprintf("%s: status %d is not documented", pattern, rec.Code)
	case rec.Code >= 400 && req.Method != http.MethodHead:
		if p := ProblemShapeError(rec.Header(), rec.Body.Bytes()); p != "" {
			problem = fmt.Sprintf("%s: status %d: %s", pattern, rec.Code, p)
		}
	}
	if problem != "" {
		c.mu.Lock()
		c.found[problem] = true
		c.mu.Unlock()
	}
}

// DocumentedStatuses maps "METHOD /path" of every operation in an OpenAPI
// document to the status codes its responses name ("200", "4XX",
// "default").
func DocumentedStatuses(doc []byte) (map[string]map[string]bool, error) {
	var d struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, err
	}
	ops := map[string]map[string]bool{}
	for path, item := range d.Paths {
		for method, raw := range item {
			var op struct {
				Responses map[string]json.RawMessage `json:"responses"`
			}
			if json.Unmarshal(raw, &op) != nil || op.Responses == nil {
				continue // "parameters", "summary", …
			}
			codes := map[string]bool{}
			for code := range op.Responses {
				codes[code] = true
			}
			ops[strings.ToUpper(method)+" "+path] = codes
		}
	}
	return ops, nil
}

// StatusDocumented tells whether status is among codes, exactly, by its
// range ("4XX") or through "default".
func StatusDocumented(codes map[string]bool, status int) bool {
	return codes[strconv.Itoa(status)] || codes[fmt.Sprintf("%dXX", status/100)] || codes["default"]
}

// ProblemShapeError says what is wrong with an API error answer, or ""
// when it has the document's Error shape: a JSON object
// {"error":{"code","message"}}.
func ProblemShapeError(header http.Header, body []byte) string {
	if ct := header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return fmt.Sprintf("Content-Type %q, want application/json", ct)
	}
	var e struct {
		Error *struct {
			Code    *string `json:"code"`
			Message *string `json:"message"`
		} `json:"error"`
	}
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(&e); err != nil {
		return fmt.Sprintf("body is not JSON (%v): %.200q", err, body)
	}
	if e.Error == nil || e.Error.Code == nil || *e.Error.Code == "" || e.Error.Message == nil {
		return fmt.Sprintf("body lacks error.code or error.message: %.200q", body)
	}
	return ""
}
