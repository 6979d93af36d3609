package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// TestCaseWithOverlappingCertificatesShowsARulesResult: a renewal that
// overlaps the certificate before it, with another degree, gives a case
// whose page shows the rules engine's result, which certificate decides
// each period and where the two disagreed, and no text meant for
// developers.
func TestCaseWithOverlappingCertificatesShowsARulesResult(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s, _, tok, firstID := supplementSetup(t, st)
		_, _, firstCertID := supplementPair(t)
		// The first runs 2026-06-01..06-28 at 75 % and 06-29..08-09 at 50 %;
		// the renewal, signed later, says 100 % from 07-15 to 08-31.
		rec := post(s, tok.region, "application/json", relatedBody(t, "renewal-1", "FRLANG", firstCertID, func(c map[string]any) {
			c["signed_at"] = "2026-07-15T09:00:00"
			c["sick_leave"] = []map[string]any{{"degree": "HELT_NEDSATT", "from": "2026-07-15", "to": "2026-08-31"}}
			c["working_time_distribution"] = nil
			c["working_time_motivation"] = ""
			c["basis"] = []map[string]any{{"type": "TELEFONKONTAKT", "date": "2026-07-15", "description": ""}}
		}))
		if rec.Code != http.StatusCreated {
			t.Fatalf("renewal: %d %s", rec.Code, rec.Body)
		}
		var receipt struct {
			ID     int64 `json:"id"`
			CaseID int64 `json:"case_id"`
		}
		json.Unmarshal(rec.Body.Bytes(), &receipt)
		b := newBrowser(t, s)
		b.login("handlaggare", "demo")
		page := b.do("GET", "/arenden/"+itoa(receipt.CaseID)+"?datum=2026-08-01&syfte=colleague", nil)
		if page.Code != http.StatusOK {
			t.Fatalf("case page: %d", page.Code)
		}
		body := page.Body.String()
		for _, dev := range []string{"periods[", "perioderna periods"} {
			if i := strings.Index(body, dev); i >= 0 {
				t.Fatalf("the page shows the engine's developer message: %s", body[max(0, i-300):i+100])
			}
		}
		if !strings.Contains(body, `id="case-result"`) {
			i := strings.Index(body, "message-box--warning")
			if i < 0 {
				i = strings.Index(body, "<main")
			}
			t.Fatalf("no rules result on the page: %.1500s", body[max(i, 0):])
		}
		first, renewal := "Läkarintyg "+itoa(firstID), "Läkarintyg "+itoa(receipt.ID)
		for _, want := range []string{"Avgörs av", "2026-06-29", "2026-07-14", "2026-07-15", "2026-08-31",
			`href="/certificates/` + itoa(receipt.ID) + `">` + renewal, first + ": 50 %"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}

		// A certificate that replaces the renewal (ERSATT) takes away all
		// its days: the first certificate decides again after 07-20.
		rec = post(s, tok.region, "application/json", relatedBody(t, "replacement-1", "ERSATT", "renewal-1", func(c map[string]any) {
			c["signed_at"] = "2026-07-20T09:00:00"
			c["sick_leave"] = []map[string]any{{"degree": "HELT_NEDSATT", "from": "2026-07-15", "to": "2026-07-20"}}
			c["working_time_distribution"] = nil
			c["working_time_motivation"] = ""
			c["basis"] = []map[string]any{{"type": "TELEFONKONTAKT", "date": "2026-07-20", "description": ""}}
		}))
		if rec.Code != http.StatusCreated {
			t.Fatalf("replacement: %d %s", rec.Code, rec.Body)
		}
		json.Unmarshal(rec.Body.Bytes(), &receipt)
		body = b.do("GET", "/arenden/"+itoa(receipt.CaseID)+"?datum=2026-08-01&syfte=colleague", nil).Body.String()
		if !strings.Contains(body, `id="case-result"`) {
			t.Fatal("no rules result after the replacement")
		}
		periods := body[strings.Index(body, `id="perioder"`):]
		periods = periods[:strings.Index(periods, "</table>")]
		if strings.Contains(periods, "2026-08-31") || strings.Contains(periods, `href="/certificates/`+itoa(receipt.ID-1)+`">`) ||
			!strings.Contains(periods, `href="/certificates/`+itoa(receipt.ID)+`">`) || !strings.Contains(periods, "2026-08-09") {
			t.Errorf("after the replacement the replaced certificate still counts: %s", periods)
		}
	})
}
