package certificates_test

// The certificates of a case: who reads them, and the case page's rules
// result when they overlap.

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/fixture"
	"github.com/finsam/finsam/web/internal/webtest"
)

// casesPassword is the password of the case workers caseWorkersSetup
// makes.
const casesPassword = "case-test-password"

// caseWorkersSetup is the demo with FK's Visby insurance centre (the demo
// manager's office) and a case worker of its own (hw-visby) and a colleague
// (hw-kollega), and another office with its case worker (hw-annat). It
// returns the server, the Visby office and hw-visby's id.
func caseWorkersSetup(t *testing.T, st *store.Store) (s *webtest.Server, visby, worker int64) {
	t.Helper()
	s = webtest.Demo(t, st)
	ctx := context.Background()
	hash, err := account.HashPassword(casesPassword)
	if err != nil {
		t.Fatal(err)
	}
	visby, other := fixture.Office(t, st, "fk", "lfc-visby"), fixture.Office(t, st, "fk", "lk-visby")
	err = st.Tx(ctx, func(tx *store.Tx) error {
		fk, err := store.OrganisationBySlug(ctx, tx, "fk")
		if err != nil {
			return err
		}
		user := func(username, name string, office int64) (int64, error) {
			return store.CreateUser(ctx, tx, store.User{Username: username, Name: name, OrgID: fk.ID, OfficeID: office,
				Roles: account.RolesOf(account.CaseWorker), PasswordHash: hash})
		}
		if worker, err = user("hw-visby", "Vera Visbyhandläggare", visby); err != nil {
			return err
		}
		if _, err = user("hw-kollega", "Kim Kollega", visby); err != nil {
			return err
		}
		_, err = user("hw-annat", "Ola Annatkontor", other)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return s, visby, worker
}

// caseWorker is a client signed in as one of caseWorkersSetup's case
// workers.
func caseWorker(t *testing.T, s *webtest.Server, user string) *webtest.Client {
	t.Helper()
	return s.SignedInWith(t, user, casesPassword)
}

// TestCertificateOfACaseFollowsTheCase: a certificate joined to a case is
// read under the case's office boundary — another office's case worker
// gets 404 — and the audit row says how the reader stands to the case.
func TestCertificateOfACaseFollowsTheCase(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, visby, worker := caseWorkersSetup(t, st)
		ctx := context.Background()
		region := s.Token(t, "region-gotland", account.ScopeCertificatesWrite)
		certificateID := received(t, send(s, region, "application/json", sampleCertificates(1)[0]))
		rec, err := store.CertificateByID(ctx, st, certificateID)
		if err != nil || rec.CaseID == 0 {
			t.Fatalf("the certificate has no case: %v", err)
		}
		if err := st.Tx(ctx, func(tx *store.Tx) error { return store.SetCaseOwner(ctx, tx, rec.CaseID, visby, 0, worker) }); err != nil {
			t.Fatal(err)
		}
		path := "/certificates/" + itoa(certificateID)
		if got := caseWorker(t, s, "hw-annat").Do("GET", path, nil); got.Code != http.StatusNotFound || strings.Contains(got.Body.String(), rec.Personnummer[:8]) {
			t.Errorf("another office's case worker: %d, want 404 and nothing of the person", got.Code)
		}
		for _, user := range []string{"hw-visby", "hw-kollega"} {
			if got := caseWorker(t, s, user).Do("GET", path, nil); got.Code != http.StatusOK || !strings.Contains(got.Body.String(), rec.Personnummer[:8]) {
				t.Errorf("%s: %d, want the certificate", user, got.Code)
			}
		}
		for user, relation := range map[string]string{"hw-visby": "relation=assigned", "hw-kollega": "relation=office"} {
			if n := s.Count(t, "SELECT count(*) FROM audit_log WHERE actor_name = $1 AND action = 'read_certificate' AND purpose = $2", user, relation); n != 1 {
				t.Errorf("%s: %d audit rows of the read with %s, want 1", user, n, relation)
			}
		}
	})
}

// TestCaseWithOverlappingCertificatesShowsARulesResult: a renewal that
// overlaps the certificate before it, with another degree, gives a case
// whose page shows the rules engine's result, which certificate decides
// each period and where the two disagreed, and no text meant for
// developers.
func TestCaseWithOverlappingCertificatesShowsARulesResult(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, region, firstID := relationSetup(t, st)
		_, _, firstCertID := webtest.SupplementPair(t)
		// The first runs 2026-06-01..06-28 at 75 % and 06-29..08-09 at 50 %;
		// the renewal, signed later, says 100 % from 07-15 to 08-31.
		rec := send(s, region, "application/json", relatedBody(t, "renewal-1", "FRLANG", firstCertID, fullLeave("2026-07-15", "2026-07-15", "2026-08-31")))
		if rec.Code != http.StatusCreated {
			t.Fatalf("renewal: %d %s", rec.Code, rec.Body)
		}
		var receipt struct {
			ID     int64 `json:"id"`
			CaseID int64 `json:"case_id"`
		}
		json.Unmarshal(rec.Body.Bytes(), &receipt)
		b := s.SignedIn(t, "handlaggare")
		page := b.Do("GET", "/arenden/"+itoa(receipt.CaseID)+"?datum=2026-08-01&syfte=colleague", nil)
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
		rec = send(s, region, "application/json", relatedBody(t, "replacement-1", "ERSATT", "renewal-1", fullLeave("2026-07-20", "2026-07-15", "2026-07-20")))
		if rec.Code != http.StatusCreated {
			t.Fatalf("replacement: %d %s", rec.Code, rec.Body)
		}
		json.Unmarshal(rec.Body.Bytes(), &receipt)
		body = b.Do("GET", "/arenden/"+itoa(receipt.CaseID)+"?datum=2026-08-01&syfte=colleague", nil).Body.String()
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

// fullLeave edits a certificate into one signed on the day signed, after a
// telephone contact that day, that puts the person on full sick leave
// (100 %) from from to to.
func fullLeave(signed, from, to string) func(c map[string]any) {
	return func(c map[string]any) {
		c["signed_at"] = signed + "T09:00:00"
		c["sick_leave"] = []map[string]any{{"degree": "HELT_NEDSATT", "from": from, "to": to}}
		c["working_time_distribution"] = nil
		c["working_time_motivation"] = ""
		c["basis"] = []map[string]any{{"type": "TELEFONKONTAKT", "date": signed, "description": ""}}
	}
}
