package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// documentedStatuses maps "METHOD /path" of every operation in the OpenAPI
// document to the status codes its responses name ("200", "4XX", "default").
func documentedStatuses(doc []byte) (map[string]map[string]bool, error) {
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

// statusDocumented tells whether status is among codes, exactly, by its
// range ("4XX") or through "default".
func statusDocumented(codes map[string]bool, status int) bool {
	return codes[strconv.Itoa(status)] || codes[fmt.Sprintf("%dXX", status/100)] || codes["default"]
}

// problemShapeError says what is wrong with an API error answer, or "" when
// it has the document's Error shape: a JSON object {"error":{"code","message"}}.
func problemShapeError(header http.Header, body []byte) string {
	if ct := header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return fmt.Sprintf("Content-Type %q, want application/json", ct)
	}
	var e struct {
		Error *struct {
			Code    *string `json:"code"`
			Message *string `json:"message"`
		} `json:"error"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&e); err != nil {
		return fmt.Sprintf("body is not JSON (%v): %.200q", err, body)
	}
	if e.Error == nil || e.Error.Code == nil || *e.Error.Code == "" || e.Error.Message == nil {
		return fmt.Sprintf("body lacks error.code or error.message: %.200q", body)
	}
	return ""
}

// checkAnswersAgainstDocument wraps the server's handler so that every answer
// an API operation gives during the test is checked against the OpenAPI
// document: its status must be one the operation documents, and an error
// must have the documented shape. The test fails at its end with each
// undocumented answer once. Requests that match no documented operation
// (unknown paths, routes a test adds itself) are not checked here.
func checkAnswersAgainstDocument(t testing.TB, s *Server) {
	t.Helper()
	if _, bench := t.(*testing.B); bench {
		return // benchmarks measure the handler, not this check
	}
	ops, err := documentedStatuses(s.openapi)
	if err != nil {
		t.Fatalf("OpenAPI document: %v", err)
	}
	var mu sync.Mutex
	found := map[string]bool{}
	next := s.handler
	s.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := s.mux.Handler(r)
		codes, documented := ops[pattern]
		if !documented {
			next.ServeHTTP(w, r)
			return
		}
		rec := &answerRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		var problem string
		switch {
		case !statusDocumented(codes, status):
			problem = fmt.Sprintf("%s: status %d is not documented", pattern, status)
		case status >= 400 && r.Method != http.MethodHead:
			if p := problemShapeError(w.Header(), rec.body.Bytes()); p != "" {
				problem = fmt.Sprintf("%s: status %d: %s", pattern, status, p)
			}
		}
		if problem != "" {
			mu.Lock()
			found[problem] = true
			mu.Unlock()
		}
	})
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		var all []string
		for p := range found {
			all = append(all, p)
		}
		sort.Strings(all)
		for _, p := range all {
			t.Errorf("answer not as the OpenAPI document says: %s", p)
		}
	})
}

// answerRecorder passes an answer through and keeps its status and the
// start of an error body.
type answerRecorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (a *answerRecorder) WriteHeader(status int) {
	if a.status == 0 {
		a.status = status
	}
	a.ResponseWriter.WriteHeader(status)
}

func (a *answerRecorder) Write(p []byte) (int, error) {
	if a.status == 0 {
		a.status = http.StatusOK
	}
	if a.status >= 400 && a.body.Len() < 64<<10 {
		a.body.Write(p)
	}
	return a.ResponseWriter.Write(p)
}

func (a *answerRecorder) Unwrap() http.ResponseWriter { return a.ResponseWriter }

func TestAnswerCheckFindsUndocumentedAnswers(t *testing.T) {
	ops, err := documentedStatuses([]byte(`{"paths":{"/api/v1/x":{"parameters":[],"get":{"responses":{"200":{},"4XX":{}}},"post":{"responses":{"default":{}}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		op     string
		status int
		want   bool
	}{
		{"GET /api/v1/x", 200, true},
		{"GET /api/v1/x", 201, false},
		{"GET /api/v1/x", 404, true},
		{"GET /api/v1/x", 500, false},
		{"POST /api/v1/x", 500, true},
	} {
		if got := statusDocumented(ops[tc.op], tc.status); got != tc.want {
			t.Errorf("%s %d documented: %v, want %v", tc.op, tc.status, got, tc.want)
		}
	}
	if len(ops) != 2 {
		t.Errorf("operations %v, want GET and POST only", ops)
	}
	jsonType := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	for _, tc := range []struct {
		header http.Header
		body   string
		ok     bool
	}{
		{jsonType, `{"error":{"code":"not_found","message":"not found"}}`, true},
		{jsonType, `{"error":{"code":"","message":"x"}}`, false},
		{jsonType, `{"error":"not_found"}`, false},
		{jsonType, `{"code":"x","message":"y"}`, false},
		{jsonType, `<html>`, false},
		{http.Header{"Content-Type": {"text/html"}}, `{"error":{"code":"x","message":"y"}}`, false},
	} {
		if got := problemShapeError(tc.header, []byte(tc.body)) == ""; got != tc.ok {
			t.Errorf("%s: shape ok %v, want %v", tc.body, got, tc.ok)
		}
	}
}
