package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// The safe actions: routes whose write cannot simply be taken back answer
// a valid form without confirm=1 with a confirmation page, under the
// route's own policy action. Each is sent, with a form that would be
// written if confirmed, by the role that may use it (the confirmation
// page, nothing written) and by roles that may not (the route's refusal,
// no confirmation page); then confirmed once, which writes.
func TestSafeActionsAskBeforeTheyWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s, f := matrixSetup(t, st)
		ctx := context.Background()
		assoc := f.assoc
		fk, err := store.OrganisationBySlug(ctx, st, "fk")
		if err != nil {
			t.Fatal(err)
		}
		c, err := store.CaseByID(ctx, st, f.caseID)
		if err != nil {
			t.Fatal(err)
		}
		offices, err := store.Offices(ctx, st, fk.ID)
		if err != nil {
			t.Fatal(err)
		}
		var otherOffice int64
		for _, o := range offices {
			if o.ID != c.OfficeID {
				otherOffice = o.ID
			}
		}
		gotlandOrg, err := store.OrganisationBySlug(ctx, st, "finsam-gotland")
		if err != nil {
			t.Fatal(err)
		}
		p, err := store.ParticipantByID(ctx, st, gotlandOrg.ID, assoc["participantID"])
		if err != nil {
			t.Fatal(err)
		}
		// A board seat and a budget line to end, remove and delete.
		var seatID, lineID int64
		lineYear := int64(2026)
		err = st.Tx(ctx, func(tx *store.Tx) error {
			if seatID, err = store.CreateBodyMember(ctx, tx, store.BodyMember{AssociationID: gotlandOrg.ID, Body: "board", MemberID: fk.ID,
				Name: "Sara Styrelse", Role: "ledamot", From: civil.MustParse("2026-01-01")}); err != nil {
				return err
			}
			ids, err := store.CreateBudgetLines(ctx, tx, []store.BudgetLine{{AssociationID: gotlandOrg.ID, Year: int(lineYear), Entry: store.EntryBudget,
				Kind: store.LineAdministration, Financier: association.FinancierState, Amount: 100_00}}, time.Now())
			if err == nil {
				lineID = ids[0]
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		caseForm := func(extra ...string) url.Values {
			v := url.Values{"version": {itoa(int64(caseVersionOf(t, st, f.caseID)))}}
			for i := 0; i+1 < len(extra); i += 2 {
				v.Set(extra[i], extra[i+1])
			}
			return v
		}
		gotland := "/forbund/finsam-gotland"
		participant := gotland + "/deltagare/" + itoa(assoc["participantID"])
		reason := association.MustDefaultCodeLists().List(association.ListEndReason).Codes[0].Code
		writes := []string{"set_case_status", "move_case", "assoc_seat_end", "assoc_seat_remove", "assoc_budget_line_delete", "end_participant",
			"withdraw_consent"}
		routes := []struct {
			path  string
			form  func() url.Values
			may   string
			audit string
		}{
			// Before the case moves away from the case worker's office.
			{"/samtycken/" + itoa(f.coord["consentID"]) + "/aterkalla", func() url.Values { return url.Values{"return": {"/samordning"}} },
				"handlaggare", "withdraw_consent"},
			{"/arenden/" + itoa(f.caseID) + "/status", func() url.Values { return caseForm("status", store.CaseClosed) }, "handlaggare", "set_case_status"},
			{"/arenden/" + itoa(f.caseID) + "/kontor", func() url.Values { return caseForm("office", itoa(otherOffice)) }, "chef", "move_case"},
			{gotland + "/styrelse/avsluta", func() url.Values { return url.Values{"seat": {itoa(seatID)}, "to": {"2026-11-01"}} }, "forbund", "assoc_seat_end"},
			{gotland + "/budget/ta-bort", func() url.Values { return url.Values{"line": {itoa(lineID)}, "year": {itoa(lineYear)}} }, "forbund", "assoc_budget_line_delete"},
			{participant + "/utskrivning", func() url.Values {
				return url.Values{"version": {itoa(int64(p.Version))}, "end": {"2026-11-20"}, "end_reason": {reason}}
			}, "forbund", "end_participant"},
			{gotland + "/styrelse/ta-bort", func() url.Values { return url.Values{"seat": {itoa(seatID)}} }, "forbund", "assoc_seat_remove"},
		}
		users := []string{"handlaggare", "chef", "samordnare-af", "forbund", "styrelse"}
		browsers := map[string]*browser{}
		for _, u := range users {
			browsers[u] = signedIn(t, s, u, "demo")
		}
		// The case is not the case worker's own: they say why they open it.
		for _, u := range []string{"handlaggare", "chef"} {
			if rec := browsers[u].Do("GET", "/arenden/"+itoa(f.caseID)+"?syfte=colleague", nil); rec.Code != http.StatusOK {
				t.Fatalf("%s opens the case: %d", u, rec.Code)
			}
		}
		writesSoFar := func() int {
			return count(t, st, "SELECT count(*) FROM audit_log WHERE outcome = 'ok' AND action IN ('"+strings.Join(writes, "','")+"')")
		}
		for _, r := range routes {
			for _, u := range users {
				rec := browsers[u].Do("POST", r.path, r.form())
				asked := strings.Contains(rec.Body.String(), `name="confirm" value="1"`)
				switch {
				case u == r.may && (rec.Code != http.StatusOK || !asked):
					t.Errorf("%s as %s without confirm: %d, want the confirmation page", r.path, u, rec.Code)
				case u != r.may && (rec.Code != http.StatusForbidden && rec.Code != http.StatusNotFound || asked):
					t.Errorf("%s as %s: %d, want the route's refusal", r.path, u, rec.Code)
				}
			}
		}
		if n := writesSoFar(); n != 0 {
			t.Fatalf("%d writes without confirm=1", n)
		}
		if got := caseVersionOf(t, st, f.caseID); got != c.Version {
			t.Fatalf("the case changed without confirm=1: v%d, was v%d", got, c.Version)
		}
		// Confirmed, each is written, once.
		for _, r := range routes {
			form := r.form()
			form.Set("confirm", "1")
			if rec := browsers[r.may].Do("POST", r.path, form); rec.Code != http.StatusSeeOther {
				t.Errorf("%s as %s, confirmed: %d, want 303", r.path, r.may, rec.Code)
			}
			if n := count(t, st, "SELECT count(*) FROM audit_log WHERE outcome = 'ok' AND action = $1", r.audit); n != 1 {
				t.Errorf("%s confirmed: %d %s entries, want 1", r.path, n, r.audit)
			}
		}
	})
}
