package calculator_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/rules/rulestest"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web"
	"github.com/finsam/finsam/web/calculator"
	"github.com/finsam/finsam/web/internal/webtest"
)

const contractSample = `{"date":"2014-06-30","employment":"employee","annual_income":300000,"periods":[{"from":"2014-01-01","degree":100}]}`

func postRules(s *webtest.Server, body string, hdr ...string) (status int, contentType string, out []byte) {
	if len(hdr) == 0 {
		hdr = []string{"Content-Type", "application/json"}
	}
	rec := s.Do("POST", "/api/v1/rules/evaluate", strings.NewReader(body), hdr...)
	return rec.Code, rec.Header().Get("Content-Type"), rec.Body.Bytes()
}

// The API answers with exactly the bytes of `finsam rules evaluate`: both
// print EvaluateRulesJSON, which must be the golden output made compact.
func TestRulesAPIAnswersTheGoldenOutputByteForByte(t *testing.T) {
	s := webtest.Bare(t, webtest.Open(t, store.SQLite))
	engine, err := rules.New()
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range rulestest.GoldenCases(t) {
		t.Run(name, func(t *testing.T) {
			var want bytes.Buffer
			if err := json.Compact(&want, c[1]); err != nil {
				t.Fatal(err)
			}
			want.WriteByte('\n')
			status, ct, got := postRules(s, string(c[0]))
			if status != 200 || !strings.HasPrefix(ct, "application/json") {
				t.Fatalf("status %d, Content-Type %q: %s", status, ct, got)
			}
			if !bytes.Equal(got, want.Bytes()) {
				t.Errorf("API answer differs from the golden output:\n got %s\nwant %s", got, want.Bytes())
			}
			cli, problem := calculator.EvaluateRulesJSON(engine, c[0])
			if problem != nil || !bytes.Equal(cli, got) {
				t.Errorf("EvaluateRulesJSON (the CLI's answer) differs from the API's:\n%s", cli)
			}
		})
	}
}

func TestRulesAPIErrorsHaveStableCodesAndStatuses(t *testing.T) {
	s := webtest.Bare(t, webtest.Open(t, store.SQLite))
	valid := func(replace, with string) string { return strings.Replace(contractSample, replace, with, 1) }
	tests := []struct {
		name, body   string
		hdr          []string
		status       int
		code, field  string
		sameAsEngine bool // the body is EvaluateRulesJSON's answer
	}{
		{"malformed JSON", `{oops`, nil, 400, "invalid_json", "", true},
		{"empty body", ``, nil, 400, "invalid_json", "", true},
		{"duplicate field", valid(`"date":"2014-06-30"`, `"date":"2014-06-30","date":"2014-06-30"`), nil, 400, "invalid_json", "date", true},
		{"unknown field", valid(`"employment"`, `"nickname":"x","employment"`), nil, 400, "unknown_field", "nickname", true},
		{"wrong type", valid(`300000`, `"300000"`), nil, 400, "invalid_type", "annual_income", true},
		{"missing field", `{"date":"2014-06-30","employment":"employee","periods":[]}`, nil, 422, "missing_field", "annual_income", true},
		{"impossible date", `{"date":"2014-13-40"}`, nil, 422, "invalid_date", "date", true},
		{"date out of range", valid(`2014-06-30`, `2007-06-30`), nil, 422, "date_out_of_range", "date", true},
		{"unknown employment", valid(`employee`, `astronaut`), nil, 422, "unknown_employment", "employment", true},
		{"bad degree", valid(`"degree":100`, `"degree":60`), nil, 422, "invalid_degree", "periods[0].degree", true},
		{"to before from", valid(`"degree":100`, `"to":"2013-01-01","degree":100`), nil, 422, "period_to_before_from", "periods[0].to", true},
		{"overlapping periods", valid(`"degree":100}`, `"degree":100},{"from":"2014-03-01","to":"2014-03-31","degree":50}`), nil, 422, "overlapping_periods", "periods[1].from", true},
		{"negative income", valid(`300000`, `-5`), nil, 422, "negative_income", "annual_income", true},
		{"too large", contractSample + strings.Repeat(" ", calculator.MaxRulesInputBytes), nil, 413, "too_large", "", true},
		{"not JSON", contractSample, []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, "unsupported_media_type", "", false},
	}
	engine, err := rules.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, ct, body := postRules(s, tc.body, tc.hdr...)
			if status != tc.status || !strings.HasPrefix(ct, "application/json") {
				t.Errorf("status %d Content-Type %q, want %d JSON", status, ct, tc.status)
			}
			var got struct {
				Error map[string]*string `json:"error"`
			}
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatalf("not JSON: %s", body)
			}
			if len(got.Error) != 3 || got.Error["code"] == nil || got.Error["message"] == nil || got.Error["field"] == nil {
				t.Fatalf("not the shape {\"error\":{\"code\",\"message\",\"field\"}}: %s", body)
			}
			if *got.Error["code"] != tc.code || *got.Error["field"] != tc.field || *got.Error["message"] == "" {
				t.Errorf("got %s, want code %s field %q", body, tc.code, tc.field)
			}
			if tc.sameAsEngine {
				if want, _ := calculator.EvaluateRulesJSON(engine, []byte(tc.body)); !bytes.Equal(body, want) {
					t.Errorf("API and CLI differ:\n API %s\n CLI %s", body, want)
				}
			}
		})
	}
}

func TestRulesAPIIsPublicAndOnlyTakesPOST(t *testing.T) {
	s := webtest.Bare(t, webtest.Open(t, store.SQLite))
	// No session, no token: the input is not personal data.
	if status, _, body := postRules(s, contractSample); status != 200 {
		t.Fatalf("anonymous POST: %d %s", status, body)
	}
	// Without a Content-Type the body is still read as JSON.
	rec := s.Do("POST", "/api/v1/rules/evaluate", strings.NewReader(contractSample))
	if rec.Code != 200 {
		t.Errorf("POST without Content-Type: %d %s", rec.Code, rec.Body)
	}
	rec = s.Do("GET", "/api/v1/rules/evaluate", nil)
	if rec.Code != 405 || rec.Header().Get("Allow") != "POST" {
		t.Errorf("GET: status %d Allow %q, want 405 and POST", rec.Code, rec.Header().Get("Allow"))
	}
}

// The example in the OpenAPI document is a real answer.
func TestRulesOpenAPIExampleIsTheRealAnswer(t *testing.T) {
	s := webtest.Bare(t, webtest.Open(t, store.SQLite))
	var doc struct {
		// A path item holds operations and may hold shared "parameters"
		// (an array): read the operation itself from its raw value.
		Paths map[string]map[string]json.RawMessage
	}
	var op struct {
		RequestBody struct {
			Content map[string]struct {
				Examples map[string]struct{ Value json.RawMessage }
			}
		}
		Responses map[string]struct {
			Content map[string]struct {
				Examples map[string]struct{ Value json.RawMessage }
			}
		}
	}
	if err := json.Unmarshal(s.Do("GET", "/api/v1/openapi.json", nil).Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(doc.Paths["/api/v1/rules/evaluate"]["post"], &op); err != nil {
		t.Fatal(err)
	}
	in := op.RequestBody.Content["application/json"].Examples["contract"].Value
	want := op.Responses["200"].Content["application/json"].Examples["contract"].Value
	if len(in) == 0 || len(want) == 0 {
		t.Fatal("no request and response example for POST /api/v1/rules/evaluate")
	}
	status, _, got := postRules(s, string(in))
	if status != 200 || !jsonEqual(t, got, want) {
		t.Errorf("the documented answer is not the real one:\n got %s\nwant %s", got, want)
	}
	for code, resp := range op.Responses {
		for name, ex := range resp.Content["application/json"].Examples {
			var e struct{ Error struct{ Code string } }
			json.Unmarshal(ex.Value, &e)
			if code != "200" && strconv.Itoa(calculator.RulesStatus(e.Error.Code)) != code {
				t.Errorf("example %s under %s has code %q, which the API answers with %d", name, code, e.Error.Code, calculator.RulesStatus(e.Error.Code))
			}
		}
	}
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}

// BenchmarkRulesAPI is POST /api/v1/rules/evaluate with the contract
// sample through the whole middleware chain: request id, logging, metrics,
// recovery, security headers, cross-origin protection, the guard and the
// engine with its trace.
func BenchmarkRulesAPI(b *testing.B) {
	s := webtest.Bare(b, webtest.Open(b, store.SQLite), func(c *web.Config) { c.Version = "bench" })
	h := s.Handler()
	body := []byte(contractSample)
	if status, _, out := postRules(s, contractSample); status != 200 {
		b.Fatalf("status %d: %s", status, out)
	}
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		req := httptest.NewRequest("POST", "/api/v1/rules/evaluate", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}

// discardWriter is a ResponseWriter that keeps nothing, so that the
// benchmark measures the server and not the recorder.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(int)             {}
