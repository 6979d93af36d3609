package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/coordination"
	"github.com/finsam/finsam/store"

	bt "github.com/finsam/finsam/internal/browsertest"
)

// assertCoordinationAccessible runs axe-core; a checked FKUI checkbox's
// label (see checkedRoleReview) and the timeline's SVG text are undecided
// for contrast, and are accepted; nothing else is.
func assertCoordinationAccessible(t *testing.T, ctx context.Context) {
	t.Helper()
	bt.AssertAccessibleReviewingContrast(t, ctx, func(target string) string {
		kind := bt.Eval[string](t, ctx, `(() => {
			const el = document.querySelector(`+strconv.Quote(target)+`);
			if (!el) return '';
			if (el.classList.contains('checkbox__label') || el.classList.contains('radio-button__label')) return 'checkbox';
			if (el.tagName.toLowerCase() === 'text' && el.closest('svg.finsam-timeline')) return 'svg';
			return '';
		})()`)
		switch kind {
		case "checkbox":
			return "FKUI checkbox or radio button: the mark is a pseudo-element beside the text, which is dark on the white page"
		case "svg":
			return "SVG text in the coordination timeline: dark ink (#1b1e23) on the white page"
		}
		return ""
	})
}

// coordinationFixture writes, into the running server's database, a case
// of the demo case worker's office with a sick-leave period, and returns
// the case's id and the organisations' ids by slug.
func coordinationFixture(t *testing.T, dataDir string) (int64, map[string]int64) {
	t.Helper()
	now := time.Now()
	var orgs map[string]int64
	var caseID int64
	withStore(t, dataDir, "coordination fixture", func(ctx context.Context, st *store.Store) error {
		return st.Tx(ctx, func(tx *store.Tx) error {
			var err error
			if orgs, err = orgIDs(ctx, tx, "fk", "af", "region-gotland", "gotlands-kommun"); err != nil {
				return err
			}
			hw, err := store.UserByName(ctx, tx, "handlaggare")
			if err != nil {
				return err
			}
			first := now.AddDate(0, 0, -60).UTC().Truncate(24 * time.Hour)
			last := now.AddDate(0, 0, 30).UTC().Truncate(24 * time.Hour)
			caseID, _, err = paperCase(ctx, tx, hw.OfficeID, hw.ID, "197308229808", "Sigrid Samverkan (e2e)", first, last, 75, now)
			return err
		})
	})
	return caseID, orgs
}

// pastMeeting writes a planned avstämningsmöte an hour ago into the
// coordination, as if planned last week: the server refuses to plan one in
// the past, and the test cannot wait for one to pass.
func pastMeeting(t *testing.T, dataDir string, coordinationID int64, orgs map[string]int64) {
	t.Helper()
	withStore(t, dataDir, "past meeting", func(ctx context.Context, st *store.Store) error {
		return st.Tx(ctx, func(tx *store.Tx) error {
			_, err := store.CreateMeeting(ctx, tx, coordination.Meeting{CoordinationID: coordinationID, Kind: coordination.Reconciliation,
				Status: coordination.Planned, Start: time.Now().Add(-time.Hour), LengthMinutes: 60, Place: "Försäkringskassan, Visby",
				ConvenedBy: orgs["fk"], Parties: []coordination.Party{{OrgID: orgs["fk"]}, {OrgID: orgs["af"]}}, PersonAttends: true}, 0, time.Now().AddDate(0, 0, -7))
			return err
		})
	})
}

func refusedAttempts(t *testing.T, dataDir, org string) []audit.Entry {
	t.Helper()
	var out []audit.Entry
	withStore(t, dataDir, "refused attempts", func(ctx context.Context, st *store.Store) error {
		es, err := store.SearchAudit(ctx, st, store.AuditQuery{ActorOrg: org, Limit: 200})
		for _, e := range es {
			if e.Outcome == audit.OutcomeDenied && strings.Contains(e.Purpose, ":withdrawn") {
				out = append(out, e)
			}
		}
		return err
	})
	return out
}

func fillIn(t *testing.T, ctx context.Context, pairs ...string) {
	t.Helper()
	var actions []chromedp.Action[chromedp.Void]
	for i := 0; i+1 < len(pairs); i += 2 {
		actions = append(actions, chromedp.SetValue(chromedp.CSS(pairs[i]), pairs[i+1]))
	}
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("fill in %v: %v", pairs, err)
	}
}

// inviteParties invites the organisations orgs (by id) on the
// coordination page open in ctx, and checks that its parties then include
// each of names.
func inviteParties(t *testing.T, ctx context.Context, orgs []string, names ...string) {
	t.Helper()
	for _, org := range orgs {
		fillIn(t, ctx, "#invite-org", org)
		bt.ClickAndLoad(t, ctx, `form[action$="/parter"] button`)
	}
	got := bt.Text(t, ctx, "#parter ~ ul")
	for _, name := range names {
		if !strings.Contains(got, name) {
			t.Fatalf("parties %q", got)
		}
	}
}

func check(t *testing.T, ctx context.Context, ids ...string) {
	t.Helper()
	for _, id := range ids {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`label[for="`+id+`"]`))); err != nil {
			t.Fatalf("check %s: %v", id, err)
		}
	}
}

func openDetails(t *testing.T, ctx context.Context, summary, visible string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(summary)), chromedp.WaitVisible(chromedp.CSS(visible))); err != nil {
		t.Fatalf("open %s: %v", summary, err)
	}
}

// TestCoordinationInBrowser: FK's case worker records the person's consent
// and invites AF and the region; AF's coordinator finds the person in Mina
// samordningsärenden and adds an action; the region's coordinator sees
// diagnoses because the consent covers them for the region (AF does not);
// the minutes of a meeting put the agreed action into the plan; after the
// person withdraws the consent both get 404 and the audit log holds their
// refused attempts. axe-core checks every page.
func TestCoordinationInBrowser(t *testing.T) {
	srv := bt.StartServer(t)
	caseID, orgs := coordinationFixture(t, srv.DataDir)
	fk := demoBrowser(t, srv, "handlaggare")
	bt.Navigate(t, fk, fmt.Sprintf("%s/arenden/%d/samordning", srv.URL, caseID))
	if h1 := bt.Text(t, fk, "h1"); !strings.Contains(h1, "Sigrid Samverkan") {
		t.Fatalf("heading %q", h1)
	}
	assertCoordinationAccessible(t, fk)

	// The consent: first with diagnoses for AF (refused), then right.
	today := time.Now().Format(time.DateOnly)
	until := time.Now().AddDate(0, 0, 120).Format(time.DateOnly)
	af, region := strconv.FormatInt(orgs["af"], 10), strconv.FormatInt(orgs["region-gotland"], 10)
	openDetails(t, fk, "#samtycken ~ details summary", "#consent-purpose")
	fillIn(t, fk, "#consent-purpose", "avstamningsmote", "#consent-valid_from", today, "#consent-valid_until", until, "#consent-document_ref", "Samtycke e2e")
	check(t, fk, "method-written", "parts-"+af+"-basic", "parts-"+af+"-plan", "parts-"+af+"-diagnoses",
		"parts-"+region+"-basic", "parts-"+region+"-plan", "parts-"+region+"-sick_leave", "parts-"+region+"-diagnoses")
	submitWithError(t, fk, `form[action$="/samtycken"] button[type="submit"]`)
	if got := bt.Text(t, fk, ".message-box--error"); !strings.Contains(got, "Diagnoser och medicinsk text kan bara delas") {
		t.Errorf("error summary %q", got)
	}
	assertCoordinationAccessible(t, fk)
	check(t, fk, "parts-"+af+"-diagnoses") // off again
	bt.ClickAndLoad(t, fk, `form[action$="/samtycken"] button[type="submit"]`)
	if got := bt.Text(t, fk, "#samtycken ~ .finsam-table-scroll table"); !strings.Contains(got, "Gäller") {
		t.Fatalf("the consent table reads %q", got)
	}
	bt.ClickAndLoad(t, fk, fmt.Sprintf(`form[action="/arenden/%d/samordning"] button`, caseID))
	page := bt.Eval[string](t, fk, `location.pathname`)
	coordinationID, err := strconv.ParseInt(strings.TrimPrefix(page, "/samordning/"), 10, 64)
	if err != nil {
		t.Fatalf("after starting: %s", page)
	}
	inviteParties(t, fk, []string{af, region}, "Arbetsförmedlingen", "Region Gotland")
	assertCoordinationAccessible(t, fk)
	bt.AssertNoConsoleErrors(t, fk)

	// AF: Mina samordningsärenden, the page without diagnoses, an action.
	afc := demoBrowser(t, srv, "samordnare-af")
	bt.ClickAndLoad(t, afc, `nav.finsam-nav a[href="/samordning"]`)
	assertCoordinationAccessible(t, afc)
	bt.ClickAndLoad(t, afc, fmt.Sprintf(`a[href="%s"]`, page))
	if n := bt.Eval[int](t, afc, `document.querySelectorAll('#diagnoser, #sjukskrivning').length`); n != 0 {
		t.Error("AF sees diagnoses or sick leave")
	}
	assertCoordinationAccessible(t, afc)
	openDetails(t, afc, "#plan ~ details.finsam-details summary", "#action-title")
	fillIn(t, afc, "#action-title", "Arbetsträning 25 %", "#action-owner_org", af, "#action-owner_person", "Adam Arbetsförmedlare",
		"#action-due", until, "#action-source", "kartlaggning")
	bt.ClickAndLoad(t, afc, `form[action$="/atgarder"] button[type="submit"]`)
	if got := bt.Text(t, afc, "#plan ~ .finsam-table-scroll table"); !strings.Contains(got, "Arbetsträning 25 %") {
		t.Errorf("AF's plan reads %q", got)
	}
	assertCoordinationAccessible(t, afc)

	// The region sees diagnoses.
	rc := demoBrowser(t, srv, "samordnare-region")
	bt.Navigate(t, rc, srv.URL+page)
	bt.AssertVisible(t, rc, "#diagnoser")
	bt.AssertVisible(t, rc, "#sjukskrivning")
	assertCoordinationAccessible(t, rc)
	// In English too, and the region's view of its care units' patients.
	bt.Navigate(t, rc, srv.URL+page+"?lang=en")
	if h1 := bt.Text(t, rc, "h1"); !strings.HasPrefix(h1, "Coordination") {
		t.Errorf("English heading %q", h1)
	}
	assertCoordinationAccessible(t, rc)
	bt.Navigate(t, rc, srv.URL+"/samordning/vardenheter?lang=sv")
	if n := bt.Eval[int](t, rc, `document.querySelectorAll('main tbody tr').length`); n == 0 {
		t.Error("the region's care units have no patients on sick leave in the demo")
	}
	assertCoordinationAccessible(t, rc)

	// The meeting's minutes put the agreed action into the plan.
	pastMeeting(t, srv.DataDir, coordinationID, orgs)
	bt.Navigate(t, fk, srv.URL+page)
	openDetails(t, fk, "#moten ~ section details summary", "#moten ~ section textarea[name=minutes]")
	mid := bt.Eval[string](t, fk, `document.querySelector('#moten ~ section form').getAttribute('action').split('/').pop()`)
	fillIn(t, fk, "#held-"+mid+"-minutes", "Överens om kontakt med arbetsgivaren.", "#held-"+mid+"-length", "90",
		"#held-"+mid+"-title1", "Kontakta arbetsgivaren om anpassning", "#held-"+mid+"-owner_org1", af,
		"#held-"+mid+"-owner_person1", "Adam", "#held-"+mid+"-due1", until)
	bt.ClickAndLoad(t, fk, "#moten ~ section form button[type=submit]")
	if got := bt.Text(t, fk, "#plan ~ .finsam-table-scroll table"); !strings.Contains(got, "Kontakta arbetsgivaren om anpassning") || !strings.Contains(got, "Överenskommet på möte") {
		t.Errorf("the plan reads %q", got)
	}
	assertCoordinationAccessible(t, fk)

	// The person withdraws the consent: both get 404, audited.
	bt.ClickAndLoad(t, fk, `form[action$="/aterkalla"] button`)
	if h1 := bt.Text(t, fk, "h1"); h1 != "Återkalla samtycket?" {
		t.Fatalf("withdrawing: heading %q, want the confirmation", h1)
	}
	bt.AssertAccessible(t, fk)
	bt.ClickAndLoad(t, fk, `main form[action$="/aterkalla"] button[type="submit"]`)
	if got := bt.Text(t, fk, ".message-box"); !strings.Contains(got, "Samtycket är återkallat.") {
		t.Errorf("after withdrawing: %q", got)
	}
	for _, c := range []struct {
		ctx context.Context
		org string
	}{{afc, "af"}, {rc, "region-gotland"}} {
		// 404 now: chromedp's own navigation, which does not treat it as
		// a failure.
		if _, err := chromedp.RunResponse(c.ctx, chromedp.Navigate(srv.URL+page)); err != nil {
			t.Fatal(err)
		}
		if main := bt.Text(t, c.ctx, "main"); strings.Contains(main, "Sigrid") || !strings.Contains(main, "Sidan finns inte") {
			t.Errorf("%s after withdrawal: %q", c.org, main)
		}
		assertCoordinationAccessible(t, c.ctx)
		if n := len(refusedAttempts(t, srv.DataDir, c.org)); n == 0 {
			t.Errorf("%s's refused attempt is not in the audit log", c.org)
		}
	}
}

// TestRegionLedCoordinationInBrowser: the region's coordinator goes from
// the care units' patients to a patient's case, records the consent the
// region obtained (orally), starts the coordination as its lead and
// invites FK, which the consent covers. axe-core checks every page.
func TestRegionLedCoordinationInBrowser(t *testing.T) {
	srv := bt.StartServer(t)
	_, orgs := coordinationFixture(t, srv.DataDir)
	fk := strconv.FormatInt(orgs["fk"], 10)
	rc := demoBrowser(t, srv, "samordnare-region")
	bt.Navigate(t, rc, srv.URL+"/samordning/vardenheter?lang=sv")
	bt.ClickAndLoad(t, rc, `main a[href^="/samordning/vardenheter/arenden/"]`)
	if h1 := bt.Text(t, rc, "h1"); !strings.HasPrefix(h1, "Samtycken och samordning") {
		t.Fatalf("heading %q", h1)
	}
	assertCoordinationAccessible(t, rc)

	today := time.Now().Format(time.DateOnly)
	until := time.Now().AddDate(0, 0, 90).Format(time.DateOnly)
	openDetails(t, rc, "#samtycken ~ details summary", "#consent-purpose")
	fillIn(t, rc, "#consent-purpose", "koordinering", "#consent-valid_from", today, "#consent-valid_until", until)
	check(t, rc, "method-oral")
	fillIn(t, rc, "#consent-oral_recorded_by", "Rut Rehabkoordinator", "#consent-oral_recorded_on", today)
	check(t, rc, "parts-"+fk+"-basic", "parts-"+fk+"-plan")
	bt.ClickAndLoad(t, rc, `form[action$="/samtycken"] button[type="submit"]`)
	if got := bt.Text(t, rc, "#samtycken ~ .finsam-table-scroll table"); !strings.Contains(got, "Gäller") {
		t.Fatalf("the consent table reads %q", got)
	}
	assertCoordinationAccessible(t, rc)
	bt.ClickAndLoad(t, rc, `form[action^="/samordning/vardenheter/arenden/"]:not([action$="/samtycken"]) button`)
	if page := bt.Eval[string](t, rc, `location.pathname`); !regexp.MustCompile(`^/samordning/\d+$`).MatchString(page) {
		t.Fatalf("after starting: %s", page)
	}
	inviteParties(t, rc, []string{fk}, "Försäkringskassan", "Region Gotland")
	assertCoordinationAccessible(t, rc)
	bt.AssertNoConsoleErrors(t, rc)
}
