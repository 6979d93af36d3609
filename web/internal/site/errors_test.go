package site

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
)

func testSite(t *testing.T) *Site {
	t.Helper()
	s, err := New(Site{Log: slog.New(slog.DiscardHandler), Messages: Catalogue{"sv": {"err.not_found": "Sidan finns inte"}, "en": {}},
		Mux: http.NewServeMux()})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestFailMapsEachErrorToOneStatus is the table of the one mapper: what a
// handler returns and what the client gets.
func TestFailMapsEachErrorToOneStatus(t *testing.T) {
	s := testSite(t)
	var ps Problems
	ps.Add("date", "required")
	for _, tc := range []struct {
		name   string
		err    error
		status int
		code   string
	}{
		{"not found", NotFound(), 404, "not_found"},
		{"store not found, wrapped", fmt.Errorf("case 7: %w", store.ErrNotFound), 404, "not_found"},
		{"stale", fmt.Errorf("write: %w", store.ErrStale), 409, "stale_version"},
		{"field problems", ps, 422, "validation_failed"},
		{"too large", TooLarge(), 413, "too_large"},
		{"body over its limit", &http.MaxBytesError{Limit: 10}, 413, "too_large"},
		{"bad request", BadRequest(), 400, "bad_request"},
		{"unavailable", Unavailable("cases", errors.New("connection refused")), 503, "unavailable"},
		{"anything else", errors.New("boom"), 500, "internal"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			s.Fail(rec, httptest.NewRequest("GET", "/api/v1/x", nil), tc.err)
			var body APIErrorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if rec.Code != tc.status || body.Error.Code != tc.code {
				t.Fatalf("got %d %s, want %d %s", rec.Code, body.Error.Code, tc.status, tc.code)
			}
			if strings.Contains(rec.Body.String(), "boom") || strings.Contains(rec.Body.String(), "refused") {
				t.Fatalf("the answer shows the Go error: %s", rec.Body)
			}
		})
	}
	t.Run("page", func(t *testing.T) {
		rec := httptest.NewRecorder()
		s.Fail(rec, httptest.NewRequest("GET", "/arenden/7", nil), NotFound())
		if rec.Code != 404 || !strings.Contains(rec.Body.String(), "Sidan finns inte") {
			t.Fatalf("got %d %s", rec.Code, rec.Body)
		}
	})
}

func TestProblemsKeepTheFirstOfAField(t *testing.T) {
	var ps Problems
	ps.Add("date", "required")
	ps.Add("date", "invalid_date")
	ps.AddDetail("periods", "overlap", "perioderna överlappar", "the periods overlap")
	if len(ps) != 2 || ps.Code("date") != "required" || !ps.Has("periods") || ps.Has("to") {
		t.Fatalf("%+v", ps)
	}
	c := Catalogue{"sv": {"x.required": "Fyll i"}, "en": {"x.required": "Fill in"}}
	if got := ps[0].Message(c, "en", "x."); got != "Fill in" {
		t.Fatal(got)
	}
	if got := ps[1].Message(c, "sv", "x."); got != "perioderna överlappar" {
		t.Fatal(got)
	}
	var err error = ps
	var back Problems
	if !errors.As(fmt.Errorf("tx: %w", err), &back) || len(back) != 2 {
		t.Fatal("Problems do not survive wrapping")
	}
}

func TestCataloguesMergeAndRefuseAnIdTwice(t *testing.T) {
	a := Catalogue{"sv": {"a": "A"}, "en": {"a": "A"}}
	b := Catalogue{"sv": {"b": "B"}, "en": {}}
	m, err := Merge(a, b)
	if err != nil || m.T("en", "b") != "B" || m.T("en", "a") != "A" || m.T("sv", "c") != "c" {
		t.Fatalf("%v %v", m, err)
	}
	if _, err := Merge(a, a); err == nil {
		t.Fatal("an id defined twice was merged")
	}
}

// TestFailAnswersARefusalAsTheGuardDoes: a handler's own check of a
// resource is answered like the route's.
func TestFailAnswersARefusalAsTheGuardDoes(t *testing.T) {
	s := testSite(t)
	for _, tc := range []struct {
		name     string
		decision policy.Decision
		target   string
		status   int
	}{
		{"hidden", policy.Hidden, "/api/v1/x", 404},
		{"denied", policy.Deny, "/api/v1/x", 403},
		{"not signed in, API", policy.Unauthenticated, "/api/v1/x", 401},
		{"not signed in, page", policy.Unauthenticated, "/forbund/x", 303},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			s.Fail(rec, httptest.NewRequest("GET", tc.target, nil), fmt.Errorf("load: %w", &Refusal{Decision: tc.decision}))
			if rec.Code != tc.status {
				t.Fatalf("got %d, want %d", rec.Code, tc.status)
			}
			if tc.status == 303 && rec.Header().Get("Location") != "/login?next=%2Fforbund%2Fx" {
				t.Fatalf("redirect to %q", rec.Header().Get("Location"))
			}
		})
	}
}

func TestProblemsOfAFileKeepOnePerLine(t *testing.T) {
	var ps Problems
	ps.AddProblem(Problem{Field: "table", Code: "csv", Line: 2})
	ps.AddProblem(Problem{Field: "table", Code: "negative", Line: 3})
	ps.AddProblem(Problem{Field: "table", Code: "csv", Line: 3})
	fe := ps.FieldErrors(Catalogue{"sv": {}, "en": {}}, "")
	if len(fe) != 2 || fe[0].Field != "table[line 2]" || fe[1].Code != "negative" {
		t.Fatalf("%+v", fe)
	}
}

// TestProblemsWithMessagesWordTheAPIAnswer: the API's answer to field
// problems words each from the catalogue under the prefix, or with the
// domain's own explanation, and keeps the codes.
func TestProblemsWithMessagesWordTheAPIAnswer(t *testing.T) {
	s := testSite(t)
	s.Messages = Catalogue{"sv": {"x.required": "Fyll i"}, "en": {"x.required": "Fill in"}}
	var ps Problems
	ps.Add("date", "required")
	ps.AddDetail("periods", "overlap", "överlappar", "the periods overlap")
	rec := httptest.NewRecorder()
	s.Fail(rec, httptest.NewRequest("POST", "/api/v1/x", nil), fmt.Errorf("write: %w", ps.WithMessages("x.")))
	var body APIErrorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	f := body.Error.Fields
	if rec.Code != 422 || body.Error.Code != "validation_failed" || len(f) != 2 ||
		f[0].Code != "required" || f[0].Message != "Fill in" || f[1].Code != "overlap" || f[1].Message != "the periods overlap" {
		t.Fatalf("got %d %+v", rec.Code, body.Error)
	}
}
