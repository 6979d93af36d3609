package publicsite_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/webtest"
	"github.com/finsam/finsam/web/publicsite"
	"github.com/finsam/finsam/website"
)

func TestMessagesComplete(t *testing.T) {
	webtest.MessagesComplete(t, ".", site.MustMerge(publicsite.Messages, site.Core))
}

const base = "/f/" + demo.OperatorOrg

// demoSite is a demo server with the association's data and its public
// site loaded.
func demoSite(t *testing.T, st *store.Store, opts ...func(*web.Config)) *webtest.Server {
	t.Helper()
	s := webtest.Demo(t, st)
	ctx := context.Background()
	if _, err := demo.LoadAssociation(ctx, st, demo.DefaultSeed, webtest.Start); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.LoadWebsite(ctx, st, webtest.Start); err != nil {
		t.Fatal(err)
	}
	if len(opts) > 0 {
		c := s.Clock
		s = webtest.Bare(t, st, append([]func(*web.Config){func(cfg *web.Config) { cfg.Demo, cfg.Now = true, c.Now }}, opts...)...)
		s.Clock = c
	}
	return s
}

func assocID(t *testing.T, st *store.Store) int64 {
	o, err := store.OrganisationBySlug(context.Background(), st, demo.OperatorOrg)
	if err != nil || o.Type != organisation.Association {
		t.Fatal(err)
	}
	return o.ID
}

func firstInsats(t *testing.T, st *store.Store, f store.CatalogueQuery) store.CatalogueItem {
	t.Helper()
	f.AssociationID = assocID(t, st)
	items, err := store.Catalogue(context.Background(), st, f)
	if err != nil || len(items) == 0 {
		t.Fatalf("catalogue: %v %d", err, len(items))
	}
	return items[0]
}

// TestEveryPublicPageIsAnonymousCacheableAndSetsNoCookie walks the site as
// a visitor: every page answers without a cookie, with an ETag that a
// second visit answers 304 to, and the association's name and menu.
func TestEveryPublicPageIsAnonymousCacheableAndSetsNoCookie(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := demoSite(t, st)
		in := firstInsats(t, st, store.CatalogueQuery{})
		evs, _ := store.Events(context.Background(), st, assocID(t, st), webtest.Start, 1)
		pages := []string{"/", "/aktivitetskatalogen", "/aktivitetskatalogen?kommun=0980&malgrupp=young&status=ongoing&vag=self",
			fmt.Sprintf("/aktivitetskatalogen/%d", in.Insats.ID), fmt.Sprintf("/aktivitetskatalogen/%d/utskrift", in.Insats.ID),
			"/projekt", "/natverket", "/moten", fmt.Sprintf("/moten/%d", evs[0].ID), "/nyheter", "/nyheter/nu-startar-unga-i-rorelse",
			"/sida/finsam-pa-gotland", "/sida/finsam-pa-gotland/lattlast", "/sok", "/sok?q=arbetstr%C3%A4ning", "/tillganglighet", "/integritet",
			"/rapportera", "/?lang=en"}
		for _, p := range pages {
			rec := s.Do("GET", base+p, nil)
			if rec.Code != http.StatusOK {
				t.Errorf("%s: %d", p, rec.Code)
				continue
			}
			body := rec.Body.String()
			if len(rec.Result().Cookies()) > 0 {
				t.Errorf("%s sets a cookie: %v", p, rec.Result().Cookies())
			}
			etag := rec.Header().Get("ETag")
			if etag == "" || !strings.HasPrefix(rec.Header().Get("Cache-Control"), "public") {
				t.Errorf("%s: ETag %q Cache-Control %q", p, etag, rec.Header().Get("Cache-Control"))
			}
			if again := s.Do("GET", base+p, nil, "If-None-Match", etag); again.Code != http.StatusNotModified {
				t.Errorf("%s with its ETag: %d", p, again.Code)
			}
			for _, want := range []string{"Samordningsförbundet Gotland", "/aktivitetskatalogen", "Finsam på Gotland", "/tillganglighet", "/rapportera", `property="og:title"`, "pub-print-url"} {
				if !strings.Contains(body, want) {
					t.Errorf("%s lacks %q", p, want)
				}
			}
		}
		for _, p := range []string{"/nyheter.xml", "/moten.ics", "/sitemap.xml", "/robots.txt", fmt.Sprintf("/moten/%d/ics", evs[0].ID)} {
			rec := s.Do("GET", base+p, nil)
			if rec.Code != http.StatusOK || len(rec.Result().Cookies()) > 0 || rec.Header().Get("ETag") == "" {
				t.Errorf("%s: %d %v", p, rec.Code, rec.Result().Cookies())
			}
		}
	})
}

func TestMenuFollowsFinsamGotlandsOrder(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s := demoSite(t, st)
	body := s.Do("GET", base+"/", nil).Body.String()
	want := []string{">Start<", ">Finsam på Gotland<", ">Projekt<", ">Paraply-nätverket<", ">Aktivitetskatalogen<", ">Möten och föreläsningar<",
		">Tips och råd<", ">På arbetsplatsen<", ">(H)järnkoll<", ">Almedalen<", ">Nyheter<", ">Sök<"}
	at := 0
	for _, w := range want {
		i := strings.Index(body[at:], w)
		if i < 0 {
			t.Fatalf("menu item %s missing or out of order", w)
		}
		at += i
	}
}

func TestDraftsScheduledAndMissingPagesAreHelpful404s(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s := demoSite(t, st)
	for _, p := range []string{"/nyheter/utkast-om-budget", "/nyheter/inbjudan-till-almedalen", "/sida/finns-inte", "/aktivitetskatalogen/999999",
		"/helt/okand/adress", "/sida/tips-och-rad/lattlast", "/moten/abc"} {
		rec := s.Do("GET", base+p, nil)
		if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), `action="`+base+`/sok"`) || !strings.Contains(rec.Body.String(), "Sidan finns inte") {
			t.Errorf("%s: %d, want a 404 with a search box", p, rec.Code)
		}
	}
	// A scheduled item appears at its time.
	s.Clock.Add(8 * 24 * 60 * 60 * 1e9)
	if rec := s.Do("GET", base+"/nyheter/inbjudan-till-almedalen", nil); rec.Code != http.StatusOK {
		t.Errorf("scheduled item after its time: %d", rec.Code)
	}
	if rec := s.Do("GET", "/f/inget-forbund/", nil); rec.Code != http.StatusNotFound {
		t.Errorf("unknown site: %d", rec.Code)
	}
}

func TestCatalogueFiltersAndShowsSuppressedResults(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s := demoSite(t, st)
	all := s.Do("GET", base+"/aktivitetskatalogen", nil).Body.String()
	young := s.Do("GET", base+"/aktivitetskatalogen?malgrupp=young", nil).Body.String()
	if !strings.Contains(young, "Ungdomsguiden") || strings.Contains(young, "Friskvård och arbete") {
		t.Error("the target-group filter does not filter")
	}
	if !strings.Contains(all, "nästa sida") && !strings.Contains(all, "Nästa sida") {
		t.Error("about thirty insatser and no second page")
	}
	self := s.Do("GET", base+"/aktivitetskatalogen?vag=self", nil).Body.String()
	if strings.Contains(self, "Jobbspåret Visby") || !strings.Contains(self, "Motivationsgrupp") {
		t.Error("the entry-route filter does not filter")
	}
	// Skarphäll has participants: its page shows results, small counts
	// as <5 and never a count from 1 to 4.
	sk := firstInsats(t, st, store.CatalogueQuery{Situation: website.SituationYoung})
	for _, it := range []store.CatalogueItem{sk} {
		body := s.Do("GET", fmt.Sprintf("%s/aktivitetskatalogen/%d", base, it.Insats.ID), nil).Body.String()
		if it.Insats.Name == "Skarphäll" && !strings.Contains(body, "Deltagare som har börjat") {
			t.Error("Skarphäll shows no results")
		}
		for _, n := range []string{">1<", ">2<", ">3<", ">4<"} {
			if strings.Contains(body, `class="num"`+n) {
				t.Errorf("a count %s is shown", n)
			}
		}
	}
}

func TestInterestBecomesPendingForTheStaffAndSpamIsDropped(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := demoSite(t, st)
		in := firstInsats(t, st, store.CatalogueQuery{})
		target := fmt.Sprintf("%s/aktivitetskatalogen/%d/intresse", base, in.Insats.ID)
		c := s.Client(t)
		rec := c.Do("POST", target, url.Values{"name": {"<script>alert(1)</script>Kim"}, "reach": {"0701234567"}, "municipality": {"0980"}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("interest: %d %s", rec.Code, rec.Body)
		}
		rec = c.Do("POST", target, url.Values{"name": {""}, "reach": {"x"}, "municipality": {"0180"}})
		body := rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "Fyll i fältet") || !strings.Contains(body, "Välj ett av alternativen") {
			t.Errorf("bad interest: %d", rec.Code)
		}
		c.Do("POST", target, url.Values{"name": {"Robot"}, "reach": {"r"}, "municipality": {"0980"}, "webbplats": {"http://spam"}})
		got, err := store.Interests(context.Background(), st, assocID(t, st))
		if err != nil || len(got) != 1 || got[0].Name != "<script>alert(1)</script>Kim" {
			t.Fatalf("interests: %+v %v", got, err)
		}
		// The staff page shows it escaped.
		staff := s.SignedIn(t, "forbund").Do("GET", "/forbund/"+demo.OperatorOrg+"/webb/intresse", nil)
		if staff.Code != http.StatusOK || strings.Contains(staff.Body.String(), "<script>alert") || !strings.Contains(staff.Body.String(), "&lt;script&gt;") {
			t.Errorf("staff list: %d", staff.Code)
		}
		// Flooding: after the limit nothing more is stored.
		for range 20 {
			c.Do("POST", target, url.Values{"name": {"Flood"}, "reach": {"f"}, "municipality": {"0980"}})
		}
		got, _ = store.Interests(context.Background(), st, assocID(t, st))
		if len(got) > 10 {
			t.Errorf("%d interests stored from one address", len(got))
		}
	})
}

func TestSearchFindsInflectedSwedishWordsWithHighlightsAndFacets(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := demoSite(t, st)
		body := s.Do("GET", base+"/sok?q=arbetstr%C3%A4ningen", nil).Body.String()
		for _, want := range []string{"</mark> i café</a>", "<mark>Arbetsträning</mark>", "Insats (", "Skarphäll"} {
			if !strings.Contains(body, want) {
				t.Errorf("search lacks %q", want)
			}
		}
		only := s.Do("GET", base+"/sok?q=arbetstr%C3%A4ning&typ=page", nil).Body.String()
		if strings.Contains(only, "i café</a>") || !strings.Contains(only, "Tips och råd") {
			t.Error("the page facet does not narrow")
		}
		none := s.Do("GET", base+"/sok?q=xyzzy", nil).Body.String()
		if !strings.Contains(none, "Inga träffar") {
			t.Error("no help when nothing is found")
		}
		script := s.Do("GET", base+"/sok?q=%3Cscript%3Ealert(1)%3C/script%3E", nil).Body.String()
		if strings.Contains(script, "<script>alert") {
			t.Error("the query is echoed unescaped")
		}
	})
}

func TestSignupFillsSeatsThenWaitingListAndMailsThroughTheOutbox(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := demoSite(t, st)
		ctx := context.Background()
		id := assocID(t, st)
		evs, _ := store.Events(ctx, st, id, webtest.Start, 0)
		var small, past website.Event
		for _, e := range evs {
			if e.Capacity == 2 {
				small = e
			}
		}
		all, _ := store.Events(ctx, st, id, webtest.Start.AddDate(0, -3, 0), 0)
		past = all[0]
		target := fmt.Sprintf("%s/moten/%d/anmalan", base, small.ID)
		statuses := []string{}
		for i, email := range []string{"a@example.se", "b@example.se", "c@example.se"} {
			c := s.Client(t)
			c.Addr = fmt.Sprintf("192.0.2.%d:1", 20+i)
			rec := c.Do("POST", target, url.Values{"name": {"Deltagare " + email}, "email": {email}, "attendance": {"site"}, "food": {"<b>vegetarisk</b>"}})
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("sign-up %s: %d %s", email, rec.Code, rec.Body)
			}
			loc := rec.Header().Get("Location")
			statuses = append(statuses, loc[strings.Index(loc, "anmald=")+7:])
			if len(rec.Result().Cookies()) > 0 {
				t.Error("a sign-up set a cookie")
			}
		}
		if strings.Join(statuses, ",") != "confirmed,confirmed,waiting" {
			t.Errorf("statuses %v", statuses)
		}
		again := s.Client(t).Do("POST", target, url.Values{"name": {"A"}, "email": {"A@example.se"}, "attendance": {"site"}})
		if again.Code != http.StatusUnprocessableEntity || !strings.Contains(again.Body.String(), "redan anmäld") {
			t.Errorf("the same address twice: %d", again.Code)
		}
		// Nobody else's sign-up shows on the page.
		page := s.Do("GET", fmt.Sprintf("%s/moten/%d", base, small.ID), nil).Body.String()
		if strings.Contains(page, "a@example.se") || strings.Contains(page, "Deltagare") && strings.Contains(page, "b@example.se") {
			t.Error("the event page shows someone's sign-up")
		}
		late := s.Client(t).Do("POST", fmt.Sprintf("%s/moten/%d/anmalan", base, past.ID), url.Values{"name": {"Sen"}, "email": {"sen@example.se"}, "attendance": {"site"}})
		if late.Code != http.StatusUnprocessableEntity || !strings.Contains(late.Body.String(), "Anmälan är stängd") {
			t.Errorf("sign-up to a past event: %d", late.Code)
		}
		due, err := store.DueMail(ctx, st, s.Clock.Now(), 10)
		if err != nil || len(due) != 3 {
			t.Fatalf("outbox: %d %v", len(due), err)
		}
		// The first cancels with the link from the mail; the waiting one
		// gets the seat and a mail.
		link := due[0].Body[strings.Index(due[0].Body, "/avanmalan/"):]
		link = base + link[:strings.IndexAny(link, "\n")]
		if rec := s.Do("GET", link, nil); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Avanmäl mig") {
			t.Fatalf("cancel form: %d", rec.Code)
		}
		if rec := s.Do("POST", link, nil); rec.Code != http.StatusOK {
			t.Fatalf("cancel: %d", rec.Code)
		}
		signups, _ := store.Signups(ctx, st, id, small.ID)
		got := map[string]website.SignupStatus{}
		for _, su := range signups {
			got[su.Email] = su.Status
		}
		if got["a@example.se"] != website.Cancelled || got["c@example.se"] != website.Confirmed {
			t.Errorf("after cancelling: %v", got)
		}
		if due, _ := store.DueMail(ctx, st, s.Clock.Now(), 10); len(due) != 4 || due[3].To != "c@example.se" {
			t.Errorf("no mail to the one promoted: %d", len(due))
		}
	})
}

func TestOwnHostNameServesTheSiteWithoutPrefix(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s := demoSite(t, st, func(cfg *web.Config) {
		cfg.PublicSiteHosts = publicsite.ParseHosts("www.finsam-gotland.example=" + demo.OperatorOrg)
	})
	rec := s.Do("GET", "http://www.finsam-gotland.example/aktivitetskatalogen", nil)
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `href="/f/`) {
		t.Errorf("own host: %d, links with the prefix: %v", rec.Code, strings.Contains(rec.Body.String(), `href="/f/`))
	}
	if rec := s.Do("GET", "http://www.finsam-gotland.example:8080/robots.txt", nil); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Sitemap: http://www.finsam-gotland.example:8080/sitemap.xml") {
		t.Errorf("robots on own host: %d %s", rec.Code, rec.Body)
	}
	if rec := s.Do("GET", "/aktivitetskatalogen", nil); rec.Code != http.StatusNotFound {
		t.Errorf("another host: %d", rec.Code)
	}
}

func TestStaffWritePagesInMarkdownThatNeverRunScript(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := demoSite(t, st)
		staff := s.SignedIn(t, "forbund")
		const edit = "/forbund/" + demo.OperatorOrg + "/webb"
		if rec := staff.Do("GET", edit, nil); rec.Code != http.StatusOK {
			t.Fatalf("overview: %d", rec.Code)
		}
		form := url.Values{"kind": {"page"}, "title": {"Möten på Fårö"}, "menu_order": {"65"}, "publish_at": {"2026-11-01T08:00"},
			"body": {"# Rubrik\n\n<script>alert('x')</script>\n\n[klicka](javascript:alert(1)) <img src=x onerror=alert(1)> **fet**"}}
		prev := url.Values{}
		for k, v := range form {
			prev[k] = v
		}
		prev.Set("preview", "1")
		rec := staff.Do("POST", edit+"/sidor/ny", prev)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "<strong>fet</strong>") {
			t.Fatalf("preview: %d", rec.Code)
		}
		if n, _ := store.Pages(context.Background(), st, store.PageQuery{AssociationID: assocID(t, st)}); len(n) != 11 {
			t.Errorf("the preview saved: %d pages", len(n))
		}
		rec = staff.Do("POST", edit+"/sidor/ny", form)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("save: %d %s", rec.Code, rec.Body)
		}
		body := s.Do("GET", base+"/sida/moten-pa-faro", nil).Body.String()
		for _, bad := range []string{"<script", "javascript:", "onerror", "alert('x')</script>"} {
			if strings.Contains(body, bad) {
				t.Errorf("the page carries %q", bad)
			}
		}
		if !strings.Contains(body, ">Rubrik</h1>") {
			t.Error("the Markdown heading is missing")
		}
		if !strings.Contains(s.Do("GET", base+"/", nil).Body.String(), ">Möten på Fårö<") {
			t.Error("the page is not in the menu")
		}
		// Renamed: the old address redirects; the old text is a revision
		// that can be restored.
		p, err := store.PageBySlug(context.Background(), st, assocID(t, st), website.KindPage, "moten-pa-faro")
		if err != nil {
			t.Fatal(err)
		}
		form.Set("title", "Träffar på Fårö")
		form.Set("slug", "")
		form.Set("body", "Ny text")
		form.Set("version", fmt.Sprint(p.Version))
		if rec := staff.Do("POST", fmt.Sprintf("%s/sidor/%d", edit, p.ID), form); rec.Code != http.StatusSeeOther {
			t.Fatalf("rename: %d", rec.Code)
		}
		if rec := s.Do("GET", base+"/sida/moten-pa-faro", nil); rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != base+"/sida/traffar-pa-faro" {
			t.Errorf("old address: %d %s", rec.Code, rec.Header().Get("Location"))
		}
		// A stale form is refused without writing.
		if rec := staff.Do("POST", fmt.Sprintf("%s/sidor/%d", edit, p.ID), form); rec.Code != http.StatusConflict {
			t.Errorf("stale save: %d", rec.Code)
		}
		revs, _ := store.PageRevisions(context.Background(), st, assocID(t, st), p.ID)
		if rec := staff.Do("POST", fmt.Sprintf("%s/sidor/%d/aterstall", edit, p.ID), url.Values{"revision": {fmt.Sprint(revs[0].ID)}, "version": {fmt.Sprint(p.Version + 1)}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("restore: %d", rec.Code)
		}
		if body := s.Do("GET", base+"/sida/traffar-pa-faro", nil).Body.String(); !strings.Contains(body, "Rubrik") {
			t.Error("the restored text is not shown")
		}
		// A bad form: Swedish messages at the fields, nothing saved.
		rec = staff.Do("POST", edit+"/sidor/ny", url.Values{"kind": {"page"}, "title": {""}, "publish_at": {"igår"}})
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Värdet är inte giltigt") {
			t.Errorf("bad page form: %d", rec.Code)
		}
		// The sign-ups' export is CSV with a visitor's formula neutralised.
		evs, _ := store.Events(context.Background(), st, assocID(t, st), webtest.Start, 1)
		s.Client(t).Do("POST", fmt.Sprintf("%s/moten/%d/anmalan", base, evs[0].ID), url.Values{"name": {"=HYPERLINK(\"x\")"}, "email": {"f@example.se"}, "attendance": {"site"}})
		csv := staff.Do("GET", fmt.Sprintf("%s/moten/%d/anmalningar.csv", edit, evs[0].ID), nil)
		if csv.Code != http.StatusOK || !strings.Contains(csv.Body.String(), "'=HYPERLINK") || !strings.Contains(csv.Header().Get("Content-Type"), "text/csv") {
			t.Errorf("CSV: %d %q", csv.Code, csv.Body.String())
		}
	})
}

// TestResultsPerInsatsShowNoCountFromOneToFour reads every insats page of
// the demo: the results show counts of at least 5, "<5" or "..", and
// never a count that the others give away.
func TestResultsPerInsatsShowNoCountFromOneToFour(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s := demoSite(t, st)
	items, _ := store.Catalogue(context.Background(), st, store.CatalogueQuery{AssociationID: assocID(t, st)})
	withResults := 0
	cell := regexp.MustCompile(`<td class="num">([^<]*)</td>`)
	for _, it := range items {
		body := s.Do("GET", fmt.Sprintf("%s/aktivitetskatalogen/%d", base, it.Insats.ID), nil).Body.String()
		if !strings.Contains(body, "Deltagare som har börjat") {
			continue
		}
		withResults++
		for _, m := range cell.FindAllStringSubmatch(body, -1) {
			v := html.UnescapeString(m[1])
			if n, err := strconv.Atoi(v); err == nil && n > 0 && n < 5 || err != nil && v != "<5" && v != ".." {
				t.Errorf("%s: a result %q", it.Insats.Name, v)
			}
		}
	}
	if withResults < 5 {
		t.Errorf("only %d insatser show results", withResults)
	}
}

func TestFailuresAreAnsweredInTheSitesOwnLayout(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s := demoSite(t, st)
	in := firstInsats(t, st, store.CatalogueQuery{})
	target := fmt.Sprintf("%s/aktivitetskatalogen/%d/intresse", base, in.Insats.ID)
	for _, c := range []struct {
		body string
		want int
	}{
		{"name=%zz", http.StatusBadRequest},
		{"name=" + strings.Repeat("x", 20<<10), http.StatusRequestEntityTooLarge},
	} {
		rec := s.Do("POST", target, strings.NewReader(c.body), "Content-Type", "application/x-www-form-urlencoded")
		body := rec.Body.String()
		if rec.Code != c.want || !strings.Contains(body, "Något gick fel") || !strings.Contains(body, "pub-nav") || len(rec.Result().Cookies()) > 0 {
			t.Errorf("%d, want %d in the site's layout", rec.Code, c.want)
		}
	}
}
