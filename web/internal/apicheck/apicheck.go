// Package apicheck checks the answers of the JSON API against the OpenAPI
// document while tests run: each status must be one the operation
// documents, and each error must have the document's shape. The web
// package's tests and the feature packages' harness (webtest) both use it.
package apicheck

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

	"github.com/finsam/finsam/web/internal/site"
)

// DocumentedStatuses maps "METHOD /path" of every operation in the OpenAPI
// document to the status codes its responses name ("200", "4XX", "default").
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

// ProblemShapeError says what is wrong with an API error answer, or "" when
// it has the document's Error shape: a JSON object {"error":{"code","message"}}.
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
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&e); err != nil {
		return fmt.Sprintf("body is not JSON (%v): %.200q", err, body)
	}
	if e.Error == nil || e.Error.Code == nil || *e.Error.Code == "" || e.Error.Message == nil {
		return fmt.Sprintf("body lacks error.code or error.message: %.200q", body)
	}
	return ""
}

// Wrap is next with every answer an API operation gives during the test
// checked against the OpenAPI document doc (pattern names the route a
// request matches): its status must be one the operation documents, and an error
// must have the documented shape. The test fails at its end with each
// undocumented answer once. Requests that match no documented operation
// (unknown paths, routes a test adds itself) are not checked here.
func Wrap(t testing.TB, doc []byte, next http.Handler, pattern func(*http.Request) string) http.Handler {
	t.Helper()
	if _, bench := t.(*testing.B); bench {
		return next // benchmarks measure the handler, not this check
	}
	ops, err := DocumentedStatuses(doc)
	if err != nil {
		t.Fatalf("OpenAPI document: %v", err)
	}
	var mu sync.Mutex
	found := map[string]bool{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pattern := pattern(r)
		codes, documented := ops[pattern]
		if !documented {
			next.ServeHTTP(w, r)
			return
		}
		rec := &answerRecorder{StatusRecorder: site.StatusRecorder{ResponseWriter: w}}
		next.ServeHTTP(rec, r)
		status := rec.Status
		if status == 0 {
			status = http.StatusOK
		}
		var problem string
		switch {
		case !StatusDocumented(codes, status):
			problem = fmt.Sprintf("%s: status %d is not documented", pattern, status)
		case status >= 400 && r.Method != http.MethodHead:
			if p := ProblemShapeError(w.Header(), rec.body.Bytes()); p != "" {
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
	return h
}

// answerRecorder passes an answer through and keeps its status and the
// start of an error body.
type answerRecorder struct {
	site.StatusRecorder
	body bytes.Buffer
}

func (a *answerRecorder) Write(p []byte) (int, error) {
	n, err := a.StatusRecorder.Write(p)
	if a.Status >= 400 && a.body.Len() < 64<<10 {
		a.body.Write(p[:n])
	}
	return n, err
}
