package web

import (
	"net/http"
	"testing"

	"github.com/finsam/finsam/web/internal/apicheck"
)

// The answer check's parts, as this package's tests name them.
var (
	documentedStatuses = apicheck.DocumentedStatuses
	statusDocumented   = apicheck.StatusDocumented
	problemShapeError  = apicheck.ProblemShapeError
)

// checkAnswersAgainstDocument wraps the server's handler so that every answer
// an API operation gives during the test is checked against the OpenAPI
// document (see apicheck.Wrap).
func checkAnswersAgainstDocument(t testing.TB, s *Server) {
	t.Helper()
	s.handler = apicheck.Wrap(t, s.openapi, s.handler, func(r *http.Request) string {
		_, pattern := s.mux.Handler(r)
		return pattern
	})
}

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
