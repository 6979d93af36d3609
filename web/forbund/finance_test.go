package forbund_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/forbund"
	"github.com/finsam/finsam/web/internal/webtest"
)

const gotland = "/forbund/finsam-gotland"

// assocIDs are the demo association and its members.
type assocIDs struct {
	assoc, fk, af, region, muni int64
}

func demoAssoc(t *testing.T, st *store.Store) assocIDs {
	t.Helper()
	return assocIDs{assoc: webtest.OrgNamed(t, st, "finsam-gotland").ID, fk: webtest.OrgNamed(t, st, "fk").ID, af: webtest.OrgNamed(t, st, "af").ID,
		region: webtest.OrgNamed(t, st, "region-gotland").ID, muni: webtest.OrgNamed(t, st, "gotlands-kommun").ID}
}

func plannedOf(t *testing.T, st *store.Store, assoc int64, year int) map[int64]association.Ore {
	t.Helper()
	cs, err := store.Contributions(context.Background(), st, assoc, year, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]association.Ore{}
	for _, c := range cs {
		out[c.MemberID] = c.Planned
	}
	return out
}

// TestContributionSplitReconcilesAndMembersSeeOnlyTheirOwnRow sets a year's
// total, checks that the saved split sums to the total to the öre and
// follows 5 § (half to the state), and that a member organisation's manager
// sees FK's row and nothing of the others', on the page and in the API.
func TestContributionSplitReconcilesAndMembersSeeOnlyTheirOwnRow(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, _ := demoServer(t, st)
		ids := demoAssoc(t, st)
		staff := signedIn(t, s, "forbund", "demo")
		total := association.Ore(123456789) // 1 234 567,89 kr: odd öre to hand out

		rec := staff.Do("POST", gotland+"/finansiering", url.Values{"year": {"2026"}, "total": {"1 234 567,89"}})
		statusIs(t, "save split", rec.Code, http.StatusSeeOther)
		planned := plannedOf(t, st, ids.assoc, 2026)
		var sum association.Ore
		for _, p := range planned {
			sum += p
		}
		if sum != total {
			t.Errorf("planned contributions sum to %v, want %v", sum, total)
		}
		if d := planned[ids.fk]*2 - total; d < -1 || d > 1 {
			t.Errorf("FK pays %v of %v: not half", planned[ids.fk], total)
		}
		if planned[ids.region]+planned[ids.muni] != total-planned[ids.fk] || planned[ids.region] == 0 || planned[ids.muni] == 0 {
			t.Errorf("region %v and municipality %v do not share the other half", planned[ids.region], planned[ids.muni])
		}
		if n := countAudit(t, st, "assoc_split_save", "ok"); n != 1 {
			t.Errorf("%d audit events for the split, want 1", n)
		}

		page := staff.Do("GET", gotland+"/finansiering?year=2026", nil)
		statusIs(t, "staff finance page", page.Code, http.StatusOK)
		for _, want := range []string{total.Number(), planned[ids.fk].Number(), planned[ids.region].Number(), "Region Gotland"} {
			if !strings.Contains(page.Body.String(), want) {
				t.Errorf("staff page lacks %q", want)
			}
		}

		// FK's manager: FK's own row only.
		chef := signedIn(t, s, "chef", "demo")
		schedule, _ := association.Apportion(planned[ids.fk], forbund.Quarters)
		for _, target := range []string{gotland + "/finansiering?year=2026", gotland} {
			page = chef.Do("GET", target, nil)
			statusIs(t, "member "+target, page.Code, http.StatusOK)
			body := page.Body.String()
			if target != gotland {
				if !strings.Contains(body, planned[ids.fk].Number()) || !strings.Contains(body, schedule[0].Number()) {
					t.Errorf("%s: FK's manager does not see FK's own amount and schedule", target)
				}
			}
			for _, other := range []association.Ore{planned[ids.region], planned[ids.muni], total} {
				if strings.Contains(body, other.Number()) {
					t.Errorf("%s: FK's manager sees another member's amount or the total %s", target, other.Number())
				}
			}
		}
		api := chef.Do("GET", "/api/v1/associations/finsam-gotland/contributions?year=2026", nil)
		statusIs(t, "member API", api.Code, http.StatusOK)
		var got struct {
			Split   *json.RawMessage `json:"split"`
			Members []struct {
				MemberID int64 `json:"member_id"`
				Planned  struct {
					Ore int64 `json:"ore"`
				} `json:"planned"`
			} `json:"members"`
		}
		if err := json.Unmarshal(api.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if got.Split != nil || len(got.Members) != 1 || got.Members[0].MemberID != ids.fk || got.Members[0].Planned.Ore != int64(planned[ids.fk]) {
			t.Errorf("member API answer: %s", api.Body)
		}
		for _, other := range []association.Ore{planned[ids.region], total} {
			if strings.Contains(api.Body.String(), strconv.FormatInt(int64(other), 10)) {
				t.Errorf("member API shows %d", other)
			}
		}
	})
}

// TestContributionBadInputWritesNothing: a bad total or a paid amount over
// the invoiced one is a field error in Swedish, 422, and nothing written.
func TestContributionBadInputWritesNothing(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, _ := demoServer(t, st)
		ids := demoAssoc(t, st)
		staff := signedIn(t, s, "forbund", "demo")
		for _, c := range []struct {
			total, want string
		}{
			{"1.234,50", "inte ett belopp i kronor"},
			{"-100", "får inte vara negativt"},
			{"", "Fyll i fältet"},
		} {
			rec := staff.Do("POST", gotland+"/finansiering", url.Values{"year": {"2026"}, "total": {c.total}})
			statusIs(t, "total "+c.total, rec.Code, http.StatusUnprocessableEntity)
			if !strings.Contains(rec.Body.String(), c.want) || !strings.Contains(rec.Body.String(), `value="`+html.EscapeString(c.total)+`"`) {
				t.Errorf("total %q: no message %q or the value was not kept", c.total, c.want)
			}
		}
		rec := staff.Do("POST", gotland+"/finansiering/betalningar", url.Values{"year": {"2026"},
			"invoiced_" + itoa(ids.fk): {"100"}, "paid_" + itoa(ids.fk): {"200"}, "invoiced_" + itoa(ids.region): {"50"}, "paid_" + itoa(ids.region): {"0"}})
		statusIs(t, "paid over invoiced", rec.Code, http.StatusUnprocessableEntity)
		if !strings.Contains(rec.Body.String(), "Betalt är mer än fakturerat") {
			t.Error("no message for paid over invoiced")
		}
		if n := webtest.Count(t, st, "SELECT count(*) FROM association_contributions"); n != 0 {
			t.Errorf("%d contribution rows written by refused input", n)
		}
		if n := webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE action LIKE 'assoc_%'"); n != 0 {
			t.Errorf("%d audit events for refused input", n)
		}
		// Then a good one keeps the planned amount.
		staff.Do("POST", gotland+"/finansiering", url.Values{"year": {"2026"}, "total": {"1000"}})
		rec = staff.Do("POST", gotland+"/finansiering/betalningar", url.Values{"year": {"2026"},
			"invoiced_" + itoa(ids.fk): {"250"}, "paid_" + itoa(ids.fk): {"125,50"}})
		statusIs(t, "payments", rec.Code, http.StatusSeeOther)
		cs, _ := store.Contributions(context.Background(), st, ids.assoc, 2026, ids.fk)
		if len(cs) != 1 || cs[0].Planned != association.Kr(500) || cs[0].Invoiced != association.Kr(250) || cs[0].Paid != 12550 {
			t.Errorf("FK's contribution after payments: %+v", cs)
		}
	})
}

// addMunicipality makes Stockholm (0180) a second municipality member, so
// that the municipalities' quarter has two parties to divide between.
func addMunicipality(t *testing.T, st *store.Store, assoc int64) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	if err := st.QueryRow(ctx, "SELECT id FROM organisations WHERE type = 'municipality' AND code = '0180'").Scan(&id); err != nil {
		t.Fatal(err)
	}
	if err := st.Tx(ctx, func(tx *store.Tx) error { return store.AddAssociationMember(ctx, tx, assoc, id) }); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestSettingsAgreedSharesMustSumTo100 saves the statutes with agreed
// shares, refuses shares that do not sum to 100 % (and a bad org number)
// without writing, and splits a total by the saved shares.
func TestSettingsAgreedSharesMustSumTo100(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, _ := demoServer(t, st)
		ids := demoAssoc(t, st)
		sthlm := addMunicipality(t, st, ids.assoc)
		staff := signedIn(t, s, "forbund", "demo")
		form := func(share1, share2, orgNumber string) url.Values {
			return url.Values{"org_number": {orgNumber}, "region_code": {"09"}, "cost_key": {"agreed"}, "area": {"0980 0180"},
				"budget_process": {"Budget i november."}, "statutes_note": {"Två ledamöter per part."},
				"share_" + itoa(ids.muni): {share1}, "share_" + itoa(sthlm): {share2}, "share_" + itoa(ids.region): {"100"},
				"population_" + itoa(ids.muni): {"61 000"}, "population_" + itoa(sthlm): {"984 748"}}
		}
		for _, c := range []struct {
			name string
			f    url.Values
			want string
		}{
			{"shares sum to 90 %", form("60", "30", ""), "måste summera till 100 %"},
			{"bad org number", form("66,67", "33,33", "222000-1769"), "Inte ett giltigt organisationsnummer"},
			{"bad share", form("abc", "33,33", ""), "Inte en andel"},
		} {
			rec := staff.Do("POST", gotland+"/installningar", c.f)
			statusIs(t, c.name, rec.Code, http.StatusUnprocessableEntity)
			if !strings.Contains(rec.Body.String(), c.want) {
				t.Errorf("%s: no %q on the page", c.name, c.want)
			}
		}
		if n := webtest.Count(t, st, "SELECT count(*) FROM association_settings") + webtest.Count(t, st, "SELECT count(*) FROM association_cost_shares") +
			webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE action = 'assoc_settings_update'"); n != 0 {
			t.Errorf("%d rows written by refused settings", n)
		}
		rec := staff.Do("POST", gotland+"/installningar", form("66,67", "33,33", "222000-1768"))
		statusIs(t, "good settings", rec.Code, http.StatusSeeOther)
		set, err := store.AssociationSettingsOf(context.Background(), st, ids.assoc)
		if err != nil || set.CostKey != association.KeyAgreed || set.OrgNumber != "222000-1768" || len(set.Area) != 2 {
			t.Errorf("saved settings %+v %v", set, err)
		}
		page := staff.Do("GET", gotland+"/installningar", nil)
		if !strings.Contains(page.Body.String(), "66,67 %") || !strings.Contains(page.Body.String(), "Budget i november.") {
			t.Error("the settings page does not show the saved values")
		}
		rec = staff.Do("POST", gotland+"/finansiering", url.Values{"year": {"2027"}, "total": {"400 000"}})
		statusIs(t, "split by agreed shares", rec.Code, http.StatusSeeOther)
		planned := plannedOf(t, st, ids.assoc, 2027)
		quarter := planned[ids.muni] + planned[sthlm]
		if quarter != association.Kr(100_000) || planned[ids.muni] != association.Kr(66_670) {
			t.Errorf("municipalities' quarter %v split %v / %v, want 66,67 %% to Gotland", quarter, planned[ids.muni], planned[sthlm])
		}
	})
}

// TestBoardSeats adds, refuses, ends and removes seats; a seat linked to a
// user is a board seat that lets them read every member's contributions.
func TestBoardSeats(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, _ := demoServer(t, st)
		ids := demoAssoc(t, st)
		staff := signedIn(t, s, "forbund", "demo")
		chefUser := webtest.UserNamed(t, st, "chef")
		seat := func(member int64, role, from, to string, user int64) url.Values {
			f := url.Values{"body": {"board"}, "member": {itoa(member)}, "role": {role}, "from": {from}, "to": {to}}
			if user != 0 {
				f.Set("user", itoa(user))
			} else {
				f.Set("name", "Lena Ledamot")
			}
			return f
		}
		rec := staff.Do("POST", gotland+"/styrelse", seat(ids.fk, "ledamot", "2026-01-01", "2026-12-31", chefUser.ID))
		statusIs(t, "add seat", rec.Code, http.StatusSeeOther)
		seats := func() int { return webtest.Count(t, st, "SELECT count(*) FROM association_body_members") }
		if seats() != 1 || webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE action = 'assoc_seat_add'") != 1 {
			t.Fatalf("seat or its audit event not written")
		}
		for _, c := range []struct {
			name string
			f    url.Values
			want string
		}{
			{"second ledamot for FK in an overlapping term", seat(ids.fk, "ledamot", "2026-06-01", "", 0), "har redan en ledamot"},
			{"term ends before it starts", seat(ids.region, "ledamot", "2026-06-01", "2026-05-01", 0), "före startdagen"},
			{"not a member", seat(webtest.OrgNamed(t, st, "region-skane").ID, "ledamot", "2026-06-01", "", 0), "inte medlem"},
			{"no name", url.Values{"body": {"board"}, "member": {itoa(ids.region)}, "role": {"ledamot"}, "from": {"2026-01-01"}}, "Fyll i fältet"},
		} {
			rec := staff.Do("POST", gotland+"/styrelse", c.f)
			statusIs(t, c.name, rec.Code, http.StatusUnprocessableEntity)
			if !strings.Contains(rec.Body.String(), c.want) {
				t.Errorf("%s: no %q", c.name, c.want)
			}
		}
		if seats() != 1 {
			t.Errorf("%d seats after refused input, want 1", seats())
		}
		// An ersättare for FK and a ledamot for FK in a later term are fine.
		statusIs(t, "ersättare", staff.Do("POST", gotland+"/styrelse", seat(ids.fk, "ersattare", "2026-01-01", "", 0)).Code, http.StatusSeeOther)
		statusIs(t, "next term", staff.Do("POST", gotland+"/styrelse", seat(ids.fk, "ledamot", "2027-01-01", "", 0)).Code, http.StatusSeeOther)

		// FK's manager now holds a board seat: every member's row.
		staff.Do("POST", gotland+"/finansiering", url.Values{"year": {"2026"}, "total": {"1 000 001"}})
		regionAmount := plannedOf(t, st, ids.assoc, 2026)[ids.region].Number()
		chef := signedIn(t, s, "chef", "demo")
		if body := chef.Do("GET", gotland+"/finansiering?year=2026", nil).Body.String(); !strings.Contains(body, regionAmount) {
			t.Error("a board member does not see every member's contribution")
		}
		var seatID int64
		if err := st.QueryRow(context.Background(), "SELECT id FROM association_body_members WHERE user_id = $1", chefUser.ID).Scan(&seatID); err != nil {
			t.Fatal(err)
		}
		rec = staff.Do("POST", gotland+"/styrelse/avsluta", url.Values{"seat": {itoa(seatID)}, "to": {"2025-12-01"}})
		statusIs(t, "end before start", rec.Code, http.StatusUnprocessableEntity)
		ended := func() bool {
			m, err := store.BodyMemberByID(context.Background(), st, ids.assoc, seatID)
			return err != nil || m.To.String() == "2026-01-31"
		}
		rec = webtest.ConfirmThen(t, staff, gotland+"/styrelse/avsluta", url.Values{"seat": {itoa(seatID)}, "to": {"2026-01-31"}}, "Avsluta uppdraget?", ended)
		statusIs(t, "end seat", rec.Code, http.StatusSeeOther)
		if body := staff.Do("GET", gotland+"/styrelse", nil).Body.String(); !strings.Contains(body, "Uppdraget är avslutat.") {
			t.Error("the board page says nothing after the seat ended")
		}
		if body := chef.Do("GET", gotland+"/finansiering?year=2026", nil).Body.String(); strings.Contains(body, regionAmount) {
			t.Error("after the seat ended FK's manager still sees other members' rows")
		}
		rec = webtest.ConfirmThen(t, staff, gotland+"/styrelse/ta-bort", url.Values{"seat": {itoa(seatID)}}, "Ta bort uppdraget?",
			func() bool { return seats() != 3 })
		statusIs(t, "remove seat", rec.Code, http.StatusSeeOther)
		if seats() != 2 {
			t.Errorf("%d seats after removing one of 3", seats())
		}
		if n := webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE action IN ('assoc_seat_end', 'assoc_seat_remove')"); n != 2 {
			t.Errorf("%d audit events for end and remove, want 2", n)
		}
	})
}

func demoInsats(t *testing.T, st *store.Store, ids assocIDs) int64 {
	t.Helper()
	ctx := context.Background()
	var out association.Insats
	err := st.Tx(ctx, func(tx *store.Tx) error {
		var err error
		out, err = store.CreateInsats(ctx, tx, association.Insats{AssociationID: ids.assoc, Name: "Skarphäll", Kind: association.Individual,
			ResponsibleOrgID: ids.muni, PartyOrgIDs: []int64{ids.muni, ids.af, ids.fk}, Start: civil.MustParse("2026-01-01"),
			Planned: 10, FollowUp: association.FollowUpIndividual, Status: association.InsatsOngoing}, time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out.ID
}

// TestBudgetLinesSumsAndEquity books budget and outcome lines on the
// administration and an insats, checks the sums per financier, refuses bad
// lines without writing, deletes a line and records equity.
func TestBudgetLinesSumsAndEquity(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, _ := demoServer(t, st)
		ids := demoAssoc(t, st)
		insats := demoInsats(t, st, ids)
		staff := signedIn(t, s, "forbund", "demo")
		line := func(entry, what, financier, amount string) url.Values {
			return url.Values{"year": {"2026"}, "entry": {entry}, "insats": {what}, "financier": {financier}, "amount": {amount}, "note": {"test"}}
		}
		for _, l := range []url.Values{
			line("budget", "administration", "state", "1 000 000"),
			line("budget", itoa(insats), "state", "250 000,50"),
			line("outcome", itoa(insats), "state", "100 000,25"),
			line("outcome", "administration", "municipality", "-1 500"), // a correction
		} {
			rec := staff.Do("POST", gotland+"/budget", l)
			statusIs(t, "add line "+l.Get("amount"), rec.Code, http.StatusSeeOther)
		}
		lines := func() int { return webtest.Count(t, st, "SELECT count(*) FROM association_budget_lines") }
		if lines() != 4 {
			t.Fatalf("%d lines, want 4", lines())
		}
		for _, c := range []struct {
			name string
			f    url.Values
			want string
		}{
			{"negative budget", line("budget", "administration", "region", "-5"), `<a href="#amount">Belopp, kr: Beloppet får inte vara negativt`},
			{"amount in parts of an öre", line("budget", "administration", "region", "1,005"), "inte ett belopp"},
			{"unknown insats", line("outcome", "999999", "state", "5"), `<a href="#insats">Avser: `},
			{"unknown financier", line("outcome", "administration", "bank", "5"), `<a href="#financier">Finansiär: Okänd kod`},
			{"second budget of the insats from the state", line("budget", itoa(insats), "state", "1"), "finns redan en budgetrad"},
		} {
			rec := staff.Do("POST", gotland+"/budget", c.f)
			statusIs(t, c.name, rec.Code, http.StatusUnprocessableEntity)
			if !strings.Contains(rec.Body.String(), c.want) {
				t.Errorf("%s: no %q", c.name, c.want)
			}
		}
		if lines() != 4 || webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE action = 'assoc_budget_line_add'") != 4 {
			t.Errorf("refused lines wrote something: %d lines", lines())
		}
		page := staff.Do("GET", gotland+"/budget?year=2026", nil).Body.String()
		stateBudget, stateOutcome := association.Kr(1_250_000)+50, association.Kr(100_000)+25
		for _, want := range []string{stateBudget.Number(), stateOutcome.Number(), (stateBudget - stateOutcome).Number(), association.Kr(-1500).Number(), "Skarphäll"} {
			if !strings.Contains(page, want) {
				t.Errorf("budget page lacks %q", want)
			}
		}
		var lineID int64
		if err := st.QueryRow(context.Background(), "SELECT id FROM association_budget_lines WHERE amount_ore = -150000").Scan(&lineID); err != nil {
			t.Fatal(err)
		}
		del := url.Values{"line": {itoa(lineID)}, "year": {"2026"}}
		if body := staff.Do("POST", gotland+"/budget/ta-bort", del).Body.String(); !strings.Contains(body, "Raden tas bort: Utfall, Administration, Kommun, -1 500,00 kr, år 2026.") {
			t.Error("the confirmation does not name the line")
		}
		rec := webtest.ConfirmThen(t, staff, gotland+"/budget/ta-bort", del, "Ta bort raden?", func() bool { return lines() != 4 })
		statusIs(t, "delete line", rec.Code, http.StatusSeeOther)
		if loc := rec.Header().Get("Location"); loc != gotland+"/budget?year=2026" {
			t.Errorf("after delete: to %q", loc)
		}
		if body := staff.Do("GET", gotland+"/budget?year=2026", nil).Body.String(); !strings.Contains(body, "Raden är borttagen.") {
			t.Error("the budget page says nothing after the delete")
		}
		statusIs(t, "delete it again", staff.Do("POST", gotland+"/budget/ta-bort", url.Values{"line": {itoa(lineID)}, "year": {"2026"}, "confirm": {"1"}}).Code, http.StatusNotFound)
		statusIs(t, "ask about it again", staff.Do("POST", gotland+"/budget/ta-bort", del).Code, http.StatusNotFound)
		if lines() != 3 {
			t.Errorf("%d lines after delete", lines())
		}
		statusIs(t, "bad equity", staff.Do("POST", gotland+"/budget/eget-kapital", url.Values{"year": {"2026"}, "equity": {"x"}}).Code, http.StatusUnprocessableEntity)
		statusIs(t, "equity", staff.Do("POST", gotland+"/budget/eget-kapital", url.Values{"year": {"2026"}, "equity": {"-12 345,67"}}).Code, http.StatusSeeOther)
		eq, _ := store.Equity(context.Background(), st, ids.assoc)
		if eq[2026] != -1234567 || len(eq) != 1 {
			t.Errorf("equity %v", eq)
		}

		// The API: lines, sums, equity; a bad line is 422 with field codes.
		rec = staff.DoBody("POST", "/api/v1/associations/finsam-gotland/budget-lines",
			`{"year":2026,"entry":"outcome","insats_id":`+itoa(insats)+`,"financier":"esf","amount":"12,5"}`, "application/json")
		statusIs(t, "API line", rec.Code, http.StatusCreated)
		rec = staff.DoBody("POST", "/api/v1/associations/finsam-gotland/budget-lines",
			`{"year":2026,"entry":"budget","financier":"nobody","amount":"-1"}`, "application/json")
		statusIs(t, "API bad line", rec.Code, http.StatusUnprocessableEntity)
		for _, want := range []string{`"validation_failed"`, `"field":"financier","code":"unknown_code"`, `"field":"amount","code":"negative"`} {
			if !strings.Contains(rec.Body.String(), want) {
				t.Errorf("API bad line: no %s in %s", want, rec.Body)
			}
		}
		rec = staff.Do("GET", "/api/v1/associations/finsam-gotland/budget-lines?year=2026", nil)
		var got struct {
			Lines []json.RawMessage `json:"lines"`
			Sums  []struct {
				Financier string `json:"financier"`
				Budget    struct {
					Ore int64 `json:"ore"`
				} `json:"budget"`
			} `json:"sums"`
			Equity struct {
				Ore int64 `json:"ore"`
			} `json:"equity"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || len(got.Lines) != 4 || got.Sums[0].Budget.Ore != int64(stateBudget) || got.Equity.Ore != -1234567 {
			t.Errorf("API budget lines: %v %s", err, rec.Body)
		}
	})
}

const allocationTable = "namn;organisationsnummer;försörjningsmått;befolkning_16_64\n" +
	"Samordningsförbundet Gotland;222000-1768;1 234,5;38 000\n" +
	"Samordningsförbundet Norr;222000-1776;2 000;50 000\n" +
	"Samordningsförbundet Syd;222000-1784;777;21 000\n"

func multipartTable(t *testing.T, total, table, format string) (string, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("total", total)
	mw.WriteField("format", format)
	fw, err := mw.CreateFormFile("table", "tabell.csv")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte(table))
	mw.Close()
	return b.String(), mw.FormDataContentType()
}

// TestAllocationModel runs the calculator on a table: the parts sum to the
// total; a table with bad rows shows each row's line and computes nothing;
// the CSV download and the API give the same amounts.
func TestAllocationModel(t *testing.T) {
	s, _ := demoServer(t, webtest.Open(t, store.SQLite))
	staff := signedIn(t, s, "forbund", "demo")
	body, ct := multipartTable(t, "10 000 000", allocationTable, "html")
	rec := staff.DoBody("POST", gotland+"/fordelning", body, ct)
	statusIs(t, "allocate", rec.Code, http.StatusOK)
	rows, _ := association.ParseAllocationCSV(strings.NewReader(allocationTable))
	want, err := association.Allocate(association.Kr(10_000_000), rows, association.DefaultAllocationParams())
	if err != nil {
		t.Fatal(err)
	}
	page := rec.Body.String()
	var sum association.Ore
	for _, a := range want {
		sum += a.Total
		if !strings.Contains(page, a.Total.Number()) {
			t.Errorf("page lacks %s's %s", a.Name, a.Total.Number())
		}
	}
	if sum != association.Kr(10_000_000) || !strings.Contains(page, `id="allocation-sum">`+sum.Number()) {
		t.Errorf("the allocations do not reconcile to the total: %v", sum)
	}

	body, ct = multipartTable(t, "10 000 000", allocationTable, "csv")
	rec = staff.DoBody("POST", gotland+"/fordelning", body, ct)
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") || !strings.Contains(rec.Body.String(), want[0].Total.Number()) {
		t.Errorf("CSV download: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}

	bad := allocationTable + "Samordningsförbundet Fel;123;abc;-5\n"
	body, ct = multipartTable(t, "10 000 000", bad, "html")
	rec = staff.DoBody("POST", gotland+"/fordelning", body, ct)
	statusIs(t, "bad table", rec.Code, http.StatusUnprocessableEntity)
	if !strings.Contains(rec.Body.String(), "Rad 5") || strings.Contains(rec.Body.String(), "allocation-sum") {
		t.Errorf("bad table: no line number shown, or a result computed")
	}

	body, ct = multipartTable(t, "10 000 000", allocationTable+strings.Repeat("x", forbund.MaxAllocationBytes), "html")
	statusIs(t, "table too large", staff.DoBody("POST", gotland+"/fordelning", body, ct).Code, http.StatusRequestEntityTooLarge)

	rec = staff.DoBody("POST", "/api/v1/associations/finsam-gotland/allocation?total=10000000", allocationTable, "text/csv")
	statusIs(t, "API allocation", rec.Code, http.StatusOK)
	var got struct {
		Allocations []struct {
			Total struct {
				Ore int64 `json:"ore"`
			} `json:"total"`
		} `json:"allocations"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || len(got.Allocations) != len(want) || got.Allocations[0].Total.Ore != int64(want[0].Total) {
		t.Errorf("API allocation: %v %s", err, rec.Body)
	}
	rec = staff.DoBody("POST", "/api/v1/associations/finsam-gotland/allocation?total=10000000", bad, "text/csv")
	statusIs(t, "API bad table", rec.Code, http.StatusUnprocessableEntity)
	if !strings.Contains(rec.Body.String(), "[line 5]") {
		t.Errorf("API bad table: no line: %s", rec.Body)
	}
}

// TestContributionsAPI saves a split through the API and refuses bad input
// with field codes, writing nothing.
func TestContributionsAPI(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, _ := demoServer(t, st)
		ids := demoAssoc(t, st)
		staff := signedIn(t, s, "forbund", "demo")
		rec := staff.DoBody("POST", "/api/v1/associations/finsam-gotland/contributions", `{"year":1900,"total":"12,345"}`, "application/json")
		statusIs(t, "bad split", rec.Code, http.StatusUnprocessableEntity)
		for _, want := range []string{`"field":"year","code":"invalid_year"`, `"field":"total","code":"invalid_amount"`} {
			if !strings.Contains(rec.Body.String(), want) {
				t.Errorf("no %s in %s", want, rec.Body)
			}
		}
		if n := webtest.Count(t, st, "SELECT count(*) FROM association_contributions"); n != 0 {
			t.Errorf("%d rows written", n)
		}
		rec = staff.DoBody("POST", "/api/v1/associations/finsam-gotland/contributions", `{"year":2026,"total":"3 000 000,03"}`, "application/json")
		statusIs(t, "split", rec.Code, http.StatusOK)
		var got struct {
			Split struct {
				Total, State struct {
					Ore int64 `json:"ore"`
				}
			} `json:"split"`
			Members []struct {
				Planned struct {
					Ore int64 `json:"ore"`
				} `json:"planned"`
				Schedule []struct {
					Ore int64 `json:"ore"`
				} `json:"schedule"`
			} `json:"members"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		var sum int64
		for _, m := range got.Members {
			sum += m.Planned.Ore
			var q int64
			for _, x := range m.Schedule {
				q += x.Ore
			}
			if q != m.Planned.Ore {
				t.Errorf("schedule %v does not sum to %d", m.Schedule, m.Planned.Ore)
			}
		}
		if got.Split.Total.Ore != 300000003 || sum != 300000003 || got.Split.State.Ore != int64(plannedOf(t, st, ids.assoc, 2026)[ids.fk]) {
			t.Errorf("API split %s", rec.Body)
		}
		rec = staff.Do("GET", "/api/v1/associations/finsam-gotland", nil)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"slug":"finsam-gotland"`) {
			t.Errorf("overview API: %d %s", rec.Code, rec.Body)
		}
	})
}

// TestAssociationListAndPagesRender: the list shows the association to
// those who may open it, not to a member's case worker, and each page
// renders for staff.
func TestAssociationListAndPagesRender(t *testing.T) {
	s := webtest.DemoOn(t, store.SQLite)
	s.ShownTo(t, "/forbund", `href="/forbund/finsam-gotland"`, map[string]bool{"forbund": true, "styrelse": true, "chef": true, "handlaggare": false})
	staff := signedIn(t, s, "forbund", "demo")
	for _, p := range []string{"", "/installningar", "/styrelse", "/finansiering", "/budget", "/fordelning", "/finansiering?year=2030", "?lang=en"} {
		rec := staff.Do("GET", gotland+p, nil)
		statusIs(t, p, rec.Code, http.StatusOK)
	}
	statusIs(t, "bad year", staff.Do("GET", gotland+"/budget?year=abc", nil).Code, http.StatusBadRequest)
	statusIs(t, "no such association", staff.Do("GET", "/forbund/fk", nil).Code, http.StatusNotFound)
}

// TestNavigationOffersAssociations: the nav item goes to those who read
// some association's contributions, not to the association's own
// administrator nor to case workers.
func TestNavigationOffersAssociations(t *testing.T) {
	webtest.DemoOn(t, store.SQLite).ShownTo(t, "/", `href="/forbund"`,
		map[string]bool{"forbund": true, "styrelse": true, "chef": true, "handlaggare": false, "samordnare-af": false, "admin": false})
}
