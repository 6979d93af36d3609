package cases_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/webtest"
)

// TestCasePrintView checks the print view against the case page it prints:
// the same answer for every case the worker may and may not see, an audit
// entry of the printing beside the reads, read only, "Så räknade vi" open
// and the print header with who, when and the secrecy note.
func TestCasePrintView(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, f := casesSetup(t, st)
		worker := signedIn(t, s, "hw-visby", casesPassword)
		other := signedIn(t, s, "hw-annat", casesPassword)

		tests := []struct {
			name   string
			client *browser
			caseID int64
		}{
			{"own case", worker, f.Mine},
			{"the office's unassigned case", worker, f.Unassigned},
			{"another office's case", worker, f.Elsewhere},
			{"a case of another office, as its worker", other, f.Mine},
			{"a case that does not exist", worker, 999999},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				page := tt.client.Do("GET", "/arenden/"+itoa(tt.caseID), nil)
				print := tt.client.Do("GET", "/arenden/"+itoa(tt.caseID)+"/utskrift", nil)
				if print.Code != page.Code {
					t.Errorf("print view %d, case page %d", print.Code, page.Code)
				}
			})
		}

		before := countAudit(t, st, "print_case", "ok")
		reads := countAudit(t, st, "read_case", "ok")
		rec := worker.Do("GET", "/arenden/"+itoa(f.Mine)+"/utskrift", nil)
		statusIs(t, "print view", rec.Code, http.StatusOK)
		body := rec.Body.String()
		if n := countAudit(t, st, "print_case", "ok"); n != before+1 {
			t.Errorf("%d print_case entries, want %d", n, before+1)
		}
		if n := countAudit(t, st, "read_case", "ok"); n != reads+1 {
			t.Errorf("%d read_case entries, want %d", n, reads+1)
		}
		for _, want := range []string{
			`class="finsam-print-header"`,
			translate("sv", "case.print.secret"),
			translate("sv", "case.print.by") + " ",
			translate("sv", "case.print.help"),
			`<details class="finsam-details" open>`,
			`/static/print.js`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("the print view lacks %q", want)
			}
		}
		if strings.Contains(body, `method="post" action="/arenden/`) {
			t.Error("the print view has a form that writes")
		}
		casePage := worker.Do("GET", "/arenden/"+itoa(f.Mine), nil).Body.String()
		if !strings.Contains(casePage, `href="/arenden/`+itoa(f.Mine)+`/utskrift"`) {
			t.Error("the case page does not link to its print view")
		}
		if strings.Contains(casePage, "finsam-print-header") || strings.Contains(casePage, "print.js") {
			t.Error("the case page itself carries the print view's header or script")
		}
	})
}
