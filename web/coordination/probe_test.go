package coordination_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
	"github.com/finsam/finsam/web/internal/webtest"
)

// TestCoordinationProbes: every coordination route, sent by coordinators
// whose organisation is not invited (the municipality: no consent at all;
// AF: named in the consent but not invited) and by FK's case worker of
// another office, answers 404 as for an id that does not exist; nothing is
// written, nothing is shown, and every refusal is in the audit log.
func TestCoordinationProbes(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, f, today, fk := begin(t, st)
		caseURL := fmt.Sprintf("/arenden/%d/samordning", f.caseID)
		page := f.start(t, fk, today, "sip", f.af)
		api := apiOf(page)
		consents, _ := store.PersonConsents(t.Context(), st, personID(t, st))
		// A case worker of FK's Roma office, which does not own the case.
		hash, _ := account.HashPassword(webtest.DemoPassword)
		err := st.Tx(t.Context(), func(tx *store.Tx) error {
			var roma int64
			if err := tx.QueryRow(t.Context(), "SELECT id FROM offices WHERE slug = 'lk-roma'").Scan(&roma); err != nil {
				return err
			}
			_, err := store.CreateUser(t.Context(), tx, store.User{Username: "hw-roma", Name: "Rolf Roma", OrgID: f.fk, OfficeID: roma,
				Roles: account.RolesOf(account.CaseWorker), PasswordHash: hash})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		routes := []struct{ method, path, body string }{
			{"GET", page, ""},
			{"POST", page + "/samtycken", "purpose=sip"},
			{"POST", page + "/parter", "org=1"},
			{"POST", page + "/moten", "kind=other"},
			{"POST", page + "/moten/1", "minutes=x"},
			{"POST", page + "/moten/1/installt", ""},
			{"POST", page + "/atgarder", "title=x"},
			{"POST", page + "/atgarder/1", "status=done"},
			{"POST", page + "/anteckningar", "body=x"},
			{"GET", caseURL, ""},
			{"POST", caseURL, ""},
			{"POST", caseURL + "/samtycken", "purpose=sip"},
			{"POST", fmt.Sprintf("/samtycken/%d/aterkalla", consents[0].ID), ""},
			{"GET", api, ""},
			{"POST", api + "/plan-actions", `{"title":"x"}`},
			{"POST", api + "/meetings", `{"kind":"other"}`},
			{"POST", api + "/consents", `{"purpose":"sip"}`},
			{"POST", api + "/meetings/1/held", `{"minutes":"x","length_minutes":60}`},
			{"POST", api + "/plan-actions/1", `{"status":"done"}`},
			{"POST", api + "/notes", `{"body":"x","shared":true}`},
			{"POST", fmt.Sprintf("/api/v1/consents/%d/withdraw", consents[0].ID), ""},
		}
		skip := []string{"audit_log", "audit_head", "audit_checkpoints", "sessions", "api_tokens", "login_failures"}
		before := storetest.Snapshot(t, st, skip...)
		for _, who := range []string{"samordnare-kommun", "samordnare-af", "hw-roma"} {
			c := s.SignedIn(t, who)
			for _, r := range routes {
				ct := "application/x-www-form-urlencoded"
				if strings.HasPrefix(r.path, "/api/") {
					ct = "application/json"
				}
				var n int
				st.QueryRow(t.Context(), "SELECT count(*) FROM audit_log WHERE outcome = 'denied'").Scan(&n)
				rec := c.DoBody(r.method, r.path, r.body, ct)
				if rec.Code != http.StatusNotFound {
					t.Errorf("%s %s as %s: %d, want 404", r.method, r.path, who, rec.Code)
				}
				if strings.Contains(rec.Body.String(), personName) {
					t.Errorf("%s %s as %s: the refusal shows the person", r.method, r.path, who)
				}
				var m int
				st.QueryRow(t.Context(), "SELECT count(*) FROM audit_log WHERE outcome = 'denied'").Scan(&m)
				if m != n+1 {
					t.Errorf("%s %s as %s: %d refusals audited, want 1", r.method, r.path, who, m-n)
				}
			}
		}
		after := storetest.Snapshot(t, st, skip...)
		for table, rows := range after {
			if !slices.Equal(rows, before[table]) {
				t.Errorf("table %s changed", table)
			}
		}
	})
}
