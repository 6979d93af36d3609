package webtest

import (
	"net/http"
	"testing"
)

func TestAnswerCheckFindsUndocumentedAnswers(t *testing.T) {
	ops, err := DocumentedStatuses([]byte(`{"paths":{"/api/v1/x":{"parameters":[],"get":{"responses":{"200":{},"4XX":{}}},"post":{"responses":{"default":{}}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		op     string
		status int
		want   bool
	}{
		{"GET /api/v1/x", 200, true}, {"GET /api/v1/x", 201, false}, {"GET /api/v1/x", 404, true},
		{"GET /api/v1/x", 500, false}, {"POST /api/v1/x", 500, true},
	} {
		if got := StatusDocumented(ops[tc.op], tc.status); got != tc.want {
			t.Errorf("%s %d documented: %v, want %v", tc.op, tc.status, got, tc.want)
		}
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
		{http.Header{"Content-Type": {"text/html"}}, `{"error":{"code":"x","message":"y"}}`, false},
	} {
		if got := ProblemShapeError(tc.header, []byte(tc.body)) == ""; got != tc.ok {
			t.Errorf("%s: shape ok %v, want %v", tc.body, got, tc.ok)
		}
	}
}
