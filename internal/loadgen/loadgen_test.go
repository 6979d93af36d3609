package loadgen

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunCountsRequestsAndErrors(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if strings.HasSuffix(r.URL.Path, "/bad") {
			http.Error(w, "no", http.StatusForbidden)
			return
		}
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	users := make([]User, 4)
	for i := range users {
		users[i] = User{Client: srv.Client(), Next: func(n int) string {
			if n%10 == 9 {
				return srv.URL + "/bad"
			}
			return srv.URL + "/ok"
		}}
	}
	res := Run(context.Background(), users, 20*time.Millisecond, 200*time.Millisecond)
	if res.Requests == 0 || int64(res.Requests) > hits.Load() {
		t.Fatalf("%d requests counted, %d served", res.Requests, hits.Load())
	}
	// One request in ten fails, give or take the ends of each user's run.
	if res.Errors == 0 || res.Errors > res.Requests/5 || !strings.Contains(res.FirstFail, "403") {
		t.Errorf("errors %d of %d, first %q", res.Errors, res.Requests, res.FirstFail)
	}
	if !(res.P50 <= res.P90 && res.P90 <= res.P99 && res.P99 <= res.Max && res.Max > 0) {
		t.Errorf("percentiles out of order: %v", res)
	}
}

func TestRunMixReportsKindsAndStopsAtItsRequestBound(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.Header.Get("Authorization") != "Bearer x" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	users := make([]User, 3)
	for i := range users {
		users[i] = User{Client: srv.Client(), Request: func(n int) Request {
			if n%2 == 0 {
				return Request{Kind: "page", URL: srv.URL + "/"}
			}
			return Request{Kind: "post", Method: http.MethodPost, URL: srv.URL + "/api", Body: []byte("{}"),
				Header: http.Header{"Authorization": {"Bearer x"}}}
		}}
	}
	start := time.Now()
	rep := RunMix(context.Background(), users, Limits{Duration: time.Minute, MaxRequests: 300})
	if el := time.Since(start); el > 20*time.Second {
		t.Errorf("ran %v: the bound on requests did not stop it", el)
	}
	if rep.Total.Requests < 300 || rep.Total.Requests > 303 || rep.Total.Errors != 0 {
		t.Errorf("total %v", rep.Total)
	}
	if p, q := rep.ByKind["page"], rep.ByKind["post"]; p.Requests == 0 || q.Requests == 0 || p.Requests+q.Requests != rep.Total.Requests {
		t.Errorf("by kind: %v", rep.ByKind)
	}
	if r := rep.ByKind["post"]; !(r.P50 <= r.P95 && r.P95 <= r.P99) {
		t.Errorf("percentiles out of order: %+v", r)
	}
}
