package coordination_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/coordination"
	"github.com/finsam/finsam/web/internal/webtest"
)

const (
	personName = "Samira Samordnad"
	personPnr  = "197106139806"
)

// fixture is a case of FK's Visby insurance centre (the demo case
// worker's office) with a sick-leave period and FK's decision.
type fixture struct {
	caseID                 int64
	fk, af, region, kommun int64
}

func setup(t *testing.T, st *store.Store, now time.Time) fixture {
	t.Helper()
	ctx := context.Background()
	var f fixture
	err := st.Tx(ctx, func(tx *store.Tx) error {
		for slug, dst := range map[string]*int64{"fk": &f.fk, "af": &f.af, "region-gotland": &f.region, "gotlands-kommun": &f.kommun} {
			o, err := store.OrganisationBySlug(ctx, tx, slug)
			if err != nil {
				return err
			}
			*dst = o.ID
		}
		offices, err := store.Offices(ctx, tx, f.fk)
		if err != nil {
			return err
		}
		var visby int64
		for _, o := range offices {
			if o.Slug == "lfc-visby" {
				visby = o.ID
			}
		}
		person, err := store.SavePerson(ctx, tx, store.Person{Personnummer: personPnr, Name: personName, MunicipalityCode: "0980"}, now)
		if err != nil {
			return err
		}
		first, last := now.AddDate(0, 0, -50).Truncate(24*time.Hour), now.AddDate(0, 0, 40).Truncate(24*time.Hour)
		if f.caseID, err = store.InsertCase(ctx, tx, person, first, last, now); err != nil {
			return err
		}
		if err := store.SetCaseOwner(ctx, tx, f.caseID, visby, 0, 0); err != nil {
			return err
		}
		if err := store.InsertPeriods(ctx, tx, person, 0, []store.Period{{From: first, To: last, Degree: 50}}, "test", now); err != nil {
			return err
		}
		_, err = store.AddDecision(ctx, tx, f.caseID, 1, store.CaseDecision{Outcome: store.DecisionGranted, DecidedOn: first.AddDate(0, 0, 20),
			Paragraph: "SFB 27 kap. 2 §", Justification: "Nedsatt arbetsförmåga."}, 0, now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// begin opens the demo site on st with the fixture's case: the site, the
// fixture, today's date as the forms take it, and FK's case worker signed
// in.
func begin(t *testing.T, st *store.Store) (*webtest.Server, fixture, string, *webtest.Client) {
	t.Helper()
	s := webtest.Demo(t, st)
	f := setup(t, st, s.Clock.Now())
	return s, f, s.Clock.Now().Format("2006-01-02"), s.SignedIn(t, webtest.CaseWorker)
}

// start has FK's case worker fk record a written consent for purpose,
// valid today only, that gives party the person's basic facts and the
// plan, and start the case's coordination; it is the coordination's page.
func (f fixture) start(t *testing.T, fk *webtest.Client, today, purpose string, party int64) string {
	t.Helper()
	caseURL := fmt.Sprintf("/arenden/%d/samordning", f.caseID)
	rec := fk.Do("POST", caseURL+"/samtycken", url.Values{"purpose": {purpose}, "valid_from": {today}, "valid_until": {today},
		"method": {"written"}, "document_ref": {"Samtycke " + today}, "parts_" + strconv.FormatInt(party, 10): {"basic", "plan"}})
	expect(t, "record the consent", rec.Code, http.StatusSeeOther, rec.Body.String())
	rec = fk.Do("POST", caseURL, nil)
	expect(t, "start the coordination", rec.Code, http.StatusSeeOther, rec.Body.String())
	return rec.Header().Get("Location")
}

// invite has c invite the organisation org to the coordination whose
// page is page, as its form does.
func invite(c *webtest.Client, page string, org int64) *httptest.ResponseRecorder {
	return c.Do("POST", page+"/parter", url.Values{"org": {strconv.FormatInt(org, 10)}})
}

// startInviting is start, then fk invites party to the coordination.
func (f fixture) startInviting(t *testing.T, fk *webtest.Client, today, purpose string, party int64) string {
	t.Helper()
	page := f.start(t, fk, today, purpose, party)
	rec := invite(fk, page, party)
	expect(t, "invite", rec.Code, http.StatusSeeOther, rec.Body.String())
	return page
}

// apiOf is the API address of the coordination whose page is page.
func apiOf(page string) string {
	return "/api/v1/coordinations/" + strings.TrimPrefix(page, "/samordning/")
}

func count(t *testing.T, st *store.Store, table string) int {
	t.Helper()
	var n int
	if err := st.QueryRow(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// denials are the refusals of a user's organisation in the audit log.
func denials(t *testing.T, st *store.Store, org string) []audit.Entry {
	t.Helper()
	es, err := store.SearchAudit(context.Background(), st, store.AuditQuery{ActorOrg: org, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var out []audit.Entry
	for _, e := range es {
		if e.Outcome == audit.OutcomeDenied {
			out = append(out, e)
		}
	}
	return out
}

func reads(t *testing.T, st *store.Store, org, action string) []audit.Entry {
	t.Helper()
	es, err := store.SearchAudit(context.Background(), st, store.AuditQuery{ActorOrg: org, Action: action, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func expect(t *testing.T, what string, code, want int, body string) {
	t.Helper()
	if code != want {
		t.Fatalf("%s: %d, want %d\n%s", what, code, want, body)
	}
}

// showsPerson fails t unless rec, the answer to what, is 200 with the
// person on it.
func showsPerson(t *testing.T, what string, rec *httptest.ResponseRecorder) {
	t.Helper()
	expect(t, what, rec.Code, 200, rec.Body.String())
	if !strings.Contains(rec.Body.String(), personName) {
		t.Fatalf("%s does not show the person", what)
	}
}

var idInLocation = regexp.MustCompile(`^/samordning/(\d+)`)

// TestCoordinationAcrossAgencies: FK records the person's consent and
// starts the coordination, invites AF and the region; AF sees the person
// and adds its own action; the region sees diagnoses only because the
// consent covers them for it; a meeting's minutes put the agreed actions
// in the plan; after the person withdraws the consent both get 404 and the
// audit log shows their refused attempts. Bad input on the way is refused
// with a Swedish message and nothing written.
func TestCoordinationAcrossAgencies(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, f, today, fk := begin(t, st)
		in180 := s.Clock.Now().AddDate(0, 0, 180).Format("2006-01-02")
		af := s.SignedIn(t, "samordnare-af")
		region := s.SignedIn(t, "samordnare-region")
		caseURL := fmt.Sprintf("/arenden/%d/samordning", f.caseID)

		showsPerson(t, "the case entry", fk.Do("GET", caseURL, nil))
		// No coordination without a consent.
		rec := fk.Do("POST", caseURL, url.Values{})
		expect(t, "start without consent", rec.Code, 422, "")
		if !strings.Contains(rec.Body.String(), "inget gällande samtycke") || count(t, st, "coordinations") != 0 {
			t.Fatal("started without a consent, or without saying why")
		}
		consent := url.Values{"purpose": {"avstamningsmote"}, "valid_from": {today}, "valid_until": {in180}, "method": {"written"}, "document_ref": {"Samtycke 2026-11-23"},
			"parts_" + strconv.FormatInt(f.af, 10):     {"basic", "plan"},
			"parts_" + strconv.FormatInt(f.region, 10): {"basic", "plan", "sick_leave", "diagnoses"}}
		// Diagnoses to AF: refused, nothing written.
		bad := url.Values{}
		for k, v := range consent {
			bad[k] = v
		}
		bad["parts_"+strconv.FormatInt(f.af, 10)] = []string{"basic", "diagnoses"}
		rec = fk.Do("POST", caseURL+"/samtycken", bad)
		expect(t, "diagnoses to AF", rec.Code, 422, "")
		if !strings.Contains(rec.Body.String(), "Diagnoser och medicinsk text kan bara delas") || count(t, st, "consents") != 0 {
			t.Fatal("a consent giving AF diagnoses was not refused in Swedish, or was written")
		}
		rec = fk.Do("POST", caseURL+"/samtycken", consent)
		expect(t, "record consent", rec.Code, http.StatusSeeOther, rec.Body.String())
		rec = fk.Do("POST", caseURL, url.Values{})
		expect(t, "start", rec.Code, http.StatusSeeOther, rec.Body.String())
		m := idInLocation.FindStringSubmatch(rec.Header().Get("Location"))
		if m == nil {
			t.Fatalf("start went to %q", rec.Header().Get("Location"))
		}
		page := "/samordning/" + m[1]

		// AF is not invited yet: 404, audited.
		rec = af.Do("GET", page, nil)
		expect(t, "AF before the invitation", rec.Code, 404, "")
		// The municipality is not covered: refused, nothing written.
		parties := count(t, st, "coordination_parties")
		rec = invite(fk, page, f.kommun)
		expect(t, "invite the municipality", rec.Code, 422, "")
		if !strings.Contains(rec.Body.String(), "samtycke omfattar inte den organisationen") || count(t, st, "coordination_parties") != parties {
			t.Fatal("an organisation the consent does not cover was invited")
		}
		for _, org := range []int64{f.af, f.region} {
			rec = invite(fk, page, org)
			expect(t, "invite", rec.Code, http.StatusSeeOther, rec.Body.String())
		}

		// AF sees the person in its list and on the page, without
		// diagnoses or sick-leave periods.
		showsPerson(t, "AF's list", af.Do("GET", "/samordning", nil))
		rec = af.Do("GET", page, nil)
		expect(t, "AF's page", rec.Code, 200, "")
		body := rec.Body.String()
		if strings.Contains(body, `id="diagnoser"`) || strings.Contains(body, `id="sjukskrivning"`) || strings.Contains(body, `id="beslut"`) {
			t.Fatal("AF sees parts the consent does not give it")
		}
		if !strings.Contains(body, `id="plan"`) {
			t.Fatal("AF does not see the plan")
		}
		// The timeline leaves out what the consent does not give AF.
		if strings.Contains(body, "Sjukskriven 50 %") || strings.Contains(body, "Beviljad") {
			t.Fatal("AF's timeline shows sick leave or FK's decisions")
		}
		// AF adds its own action; one without an owner is refused.
		actions := count(t, st, "plan_actions")
		rec = af.Do("POST", page+"/atgarder", url.Values{"title": {"Arbetsträning"}, "due": {in180}, "source": {"kartlaggning"}})
		expect(t, "action without owner", rec.Code, 422, "")
		if !strings.Contains(rec.Body.String(), "Ange vem som äger åtgärden") || count(t, st, "plan_actions") != actions {
			t.Fatal("an action without an owner was written, or refused without saying why")
		}
		rec = af.Do("POST", page+"/atgarder", url.Values{"title": {"Arbetsträning 25 %"}, "owner_org": {strconv.FormatInt(f.af, 10)},
			"owner_person": {"Adam Arbetsförmedlare"}, "due": {in180}, "source": {"kartlaggning"}})
		expect(t, "AF's action", rec.Code, http.StatusSeeOther, rec.Body.String())

		// The region sees diagnoses and sick leave; its read is audited
		// with the consent.
		rec = region.Do("GET", page, nil)
		expect(t, "region's page", rec.Code, 200, "")
		body = rec.Body.String()
		if !strings.Contains(body, `id="diagnoser"`) || !strings.Contains(body, `id="sjukskrivning"`) || strings.Contains(body, `id="beslut"`) {
			t.Fatal("the region does not see exactly what the consent gives it")
		}
		if !strings.Contains(body, `class="finsam-timeline"`) || !strings.Contains(body, "Sjukskriven 50 %") || strings.Contains(body, "Beviljad") {
			t.Fatal("the region's timeline does not show its sick leave, or shows FK's decisions")
		}
		if es := reads(t, st, "region-gotland", "read_diagnoses"); len(es) != 1 || !strings.HasPrefix(es[0].Purpose, "consent=") {
			t.Fatalf("the region's reading of diagnoses is not audited with the consent: %+v", es)
		}
		if es := reads(t, st, "af", "read_diagnoses"); len(es) != 0 {
			t.Fatal("AF read diagnoses")
		}

		// FK edits AF's action: 403, audited, nothing written.
		items, _ := store.PlanItems(context.Background(), st, f.caseID)
		var afAction int64
		for _, it := range items {
			if it.OwnerOrgID == f.af {
				afAction = it.ID
			}
		}
		before := len(denials(t, st, "fk"))
		rec = fk.Do("POST", fmt.Sprintf("%s/atgarder/%d", page, afAction), url.Values{"status": {"done"}, "due": {in180}, "owner_person": {"Hanna"}})
		expect(t, "FK edits AF's action", rec.Code, 403, "")
		if len(denials(t, st, "fk")) != before+1 {
			t.Fatal("the refused edit is not audited")
		}
		if it, _ := store.PlanItemByID(context.Background(), st, f.caseID, afAction); it.Status != "planned" {
			t.Fatal("FK changed AF's action")
		}

		// Meetings: one planned in the past is refused, and one with the
		// municipality, which the consent does not cover.
		meetings := count(t, st, "meetings")
		past := s.Clock.Now().Add(-48 * time.Hour).In(time.Local)
		meeting := url.Values{"kind": {"avstamningsmote"}, "date": {past.Format("2006-01-02")}, "time": {"10:00"}, "length": {"90"}, "video": {"on"},
			"parties": {strconv.FormatInt(f.fk, 10), strconv.FormatInt(f.af, 10)}, "person_attends": {"on"}, "agenda": {"Arbetsförmåga och plan"}}
		rec = fk.Do("POST", page+"/moten", meeting)
		expect(t, "meeting in the past", rec.Code, 422, "")
		if !strings.Contains(rec.Body.String(), "kan inte ligga bakåt i tiden") {
			t.Fatal("the past meeting is refused without saying why")
		}
		soon := s.Clock.Now().Add(72 * time.Hour)
		meeting.Set("date", soon.Format("2006-01-02"))
		meeting["parties"] = append(meeting["parties"], strconv.FormatInt(f.kommun, 10))
		rec = fk.Do("POST", page+"/moten", meeting)
		expect(t, "meeting with the municipality", rec.Code, 422, "")
		if !strings.Contains(rec.Body.String(), "omfattas inte av personens samtycke") || count(t, st, "meetings") != meetings {
			t.Fatal("a meeting with an organisation the consent does not cover was written")
		}
		meeting["parties"] = meeting["parties"][:2]
		rec = fk.Do("POST", page+"/moten", meeting)
		expect(t, "meeting", rec.Code, http.StatusSeeOther, rec.Body.String())
		ms, _ := store.Meetings(context.Background(), st, mustID(t, m[1]))
		if len(ms) != 1 {
			t.Fatalf("meetings: %+v", ms)
		}
		// After the meeting FK records its minutes with an agreed action
		// for AF: it lands in the plan, and the doctor's fee is shown.
		s.Clock.Add(96 * time.Hour)
		// Sessions end after 30 idle minutes: sign in again.
		fk, af, region = s.SignedIn(t, webtest.CaseWorker), s.SignedIn(t, "samordnare-af"), s.SignedIn(t, "samordnare-region")
		rec = fk.Do("POST", fmt.Sprintf("%s/moten/%d", page, ms[0].ID), url.Values{"minutes": {"Överens om arbetsträning och ny kontakt med arbetsgivaren."},
			"length": {"90"}, "doctor": {"on"}, "title1": {"Kontakta arbetsgivaren om anpassning"}, "owner_org1": {strconv.FormatInt(f.af, 10)},
			"owner_person1": {"Adam"}, "due1": {in180}})
		expect(t, "minutes", rec.Code, http.StatusSeeOther, rec.Body.String())
		rec = af.Do("GET", page, nil)
		body = rec.Body.String()
		if !strings.Contains(body, "Kontakta arbetsgivaren om anpassning") || !strings.Contains(body, "Överenskommet på möte") {
			t.Fatal("the agreed action is not in the plan AF sees")
		}
		if !strings.Contains(body, "högst 1125 kr") {
			t.Fatal("the doctor's fee for 90 minutes (750 + 375 kr) is not shown")
		}

		// The person withdraws the consent: at the next request both get
		// 404, and the refusals are audited with the withdrawn consent.
		c, _ := store.PersonConsents(context.Background(), st, ms[0].CoordinationID*0+personID(t, st))
		rec = fk.Do("POST", fmt.Sprintf("/samtycken/%d/aterkalla", c[0].ID), url.Values{"return": {page}, "confirm": {"1"}})
		expect(t, "withdraw", rec.Code, http.StatusSeeOther, rec.Body.String())
		for _, who := range []struct {
			c   *webtest.Client
			org string
		}{{af, "af"}, {region, "region-gotland"}} {
			before := len(denials(t, st, who.org))
			rec = who.c.Do("GET", page, nil)
			expect(t, who.org+" after withdrawal", rec.Code, 404, "")
			if strings.Contains(rec.Body.String(), personName) {
				t.Fatal("the refusal shows the person")
			}
			ds := denials(t, st, who.org)
			if len(ds) != before+1 || !strings.Contains(ds[0].Purpose, ":withdrawn") {
				t.Fatalf("%s's refused attempt is not audited with the withdrawn consent: %+v", who.org, ds)
			}
			rec = who.c.Do("GET", "/samordning", nil)
			if strings.Contains(rec.Body.String(), personName) {
				t.Fatalf("%s's list still shows the person", who.org)
			}
			rec = who.c.Do("POST", page+"/atgarder", url.Values{"title": {"x"}})
			expect(t, who.org+" writes after withdrawal", rec.Code, 404, "")
		}
		// FK, which leads, still sees its own case.
		rec = fk.Do("GET", page, nil)
		expect(t, "FK after withdrawal", rec.Code, 200, "")
	})
}

func mustID(t *testing.T, s string) int64 {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func personID(t *testing.T, st *store.Store) int64 {
	p, err := store.PersonByNumber(context.Background(), st, personPnr)
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}

// TestConsentEnds: the day after a consent's last day, the other
// organisation gets 404, audited as ended.
func TestConsentEnds(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s, f, today, fk := begin(t, st)
	af := s.SignedIn(t, "samordnare-af")
	caseURL := fmt.Sprintf("/arenden/%d/samordning", f.caseID)
	rec := fk.Do("POST", caseURL+"/samtycken", url.Values{"purpose": {"kartlaggning"}, "valid_from": {today}, "valid_until": {today},
		"method": {"oral"}, "oral_recorded_by": {"Hanna Handläggare"}, "oral_recorded_on": {today}, "parts_" + strconv.FormatInt(f.af, 10): {"basic", "plan"}})
	expect(t, "consent", rec.Code, http.StatusSeeOther, rec.Body.String())
	rec = fk.Do("POST", caseURL, nil)
	page := rec.Header().Get("Location")
	rec = invite(fk, page, f.af)
	expect(t, "invite", rec.Code, http.StatusSeeOther, rec.Body.String())
	rec = af.Do("GET", page, nil)
	expect(t, "on the last day", rec.Code, 200, "")
	s.Clock.Add(24 * time.Hour)
	af = s.SignedIn(t, "samordnare-af")
	rec = af.Do("GET", page, nil)
	expect(t, "the day after", rec.Code, 404, "")
	if ds := denials(t, st, "af"); len(ds) == 0 || !strings.Contains(ds[0].Purpose, ":ended") {
		t.Fatalf("the refusal after the end is not audited as ended: %+v", ds)
	}
}

// Every field a form can name in its error summary has a name for people,
// in both languages: no code reaches a page.
func TestFieldLabels(t *testing.T) {
	for _, lang := range []string{"sv", "en"} {
		for _, field := range []string{"purpose", "parties", "parts_12", "valid_from", "valid_until", "method", "document_ref", "oral_recorded_by",
			"oral_recorded_on", "org", "kind", "date", "time", "start", "length", "place", "video", "person_attends", "agenda", "minutes", "doctor",
			"title", "title2", "owner_org", "owner_org3", "owner_person1", "due", "due2", "source", "source_ref", "status", "body", "shared", "unknown"} {
			if l := coordination.FieldLabel(lang, field); l == "" || strings.Contains(l, ".") || strings.Contains(l, "_") {
				t.Errorf("%s %s: %q", lang, field, l)
			}
		}
	}
}
