package publicsite_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/internal/loadgen"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/webtest"
	"github.com/finsam/finsam/web/publicsite"
	"github.com/finsam/finsam/website"
)

// words of the synthetic insatser and pages of the load test.
var loadWords = []string{"arbetsträning", "praktik", "studier", "vägledning", "hälsa", "språk", "unga", "samverkan", "kartläggning", "stöd"}

// bigSite fills the demo association's site with n insatser (all public,
// with catalogue details) and pages pages, synthetic.
func bigSite(t testing.TB, st *store.Store, n, pages int) {
	t.Helper()
	ctx := context.Background()
	if _, err := demo.LoadIfEmpty(ctx, st, demo.DefaultSeed, webtest.DemoPassword); err != nil {
		t.Fatal(err)
	}
	id := func() int64 {
		o, err := store.OrganisationBySlug(ctx, st, demo.OperatorOrg)
		if err != nil {
			t.Fatal(err)
		}
		return o.ID
	}()
	members, err := store.AssociationMembers(ctx, st, id)
	if err != nil || len(members) < 2 {
		t.Fatal(err)
	}
	now := webtest.Start
	err = st.Tx(ctx, func(tx *store.Tx) error {
		set := website.DefaultSettings()
		set.Enabled, set.ContactEmail = true, "kansli@example.se"
		if _, err := tx.Exec(ctx, "INSERT INTO association_area (association_id, municipality_code) VALUES ($1, '0980') ON CONFLICT DO NOTHING", id); err != nil {
			return err
		}
		return store.SaveSiteSettings(ctx, tx, id, set, now)
	})
	if err != nil {
		t.Fatal(err)
	}
	for batch := 0; batch < n; batch += 500 {
		err := st.Tx(ctx, func(tx *store.Tx) error {
			for i := batch; i < min(batch+500, n); i++ {
				w1, w2 := loadWords[i%len(loadWords)], loadWords[(i/10)%len(loadWords)]
				in, err := store.CreateInsats(ctx, tx, association.Insats{AssociationID: id, Name: fmt.Sprintf("Insats %05d: %s och %s", i, w1, w2),
					Description: fmt.Sprintf("En insats med %s och %s för personer som behöver stöd från flera håll. Deltagarna träffas varje vecka.", w1, w2),
					TargetGroup: "Personer 18–64 år", Kind: association.Individual, ResponsibleOrgID: members[i%2].ID,
					PartyOrgIDs: []int64{members[0].ID, members[1].ID}, Start: civil.MustParse("2025-01-01"),
					FollowUp: association.FollowUpCounts, Status: association.InsatsOngoing, Public: true}, now)
				if err != nil {
					return err
				}
				e := website.NewEntry(in.ID)
				e.MunicipalityCode, e.Situation = "0980", website.Situations[i%len(website.Situations)]
				if err := store.SaveCatalogueEntry(ctx, tx, id, e, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	err = st.Tx(ctx, func(tx *store.Tx) error {
		at := now.Add(-time.Hour)
		for i := range pages {
			kind := website.KindPage
			if i%2 == 1 {
				kind = website.KindNews
			}
			if _, err := store.SavePage(ctx, tx, id, website.Page{Kind: kind, Title: fmt.Sprintf("Sida %04d om %s", i, loadWords[i%len(loadWords)]),
				Body: fmt.Sprintf("Text om %s och %s.", loadWords[i%len(loadWords)], loadWords[(i+3)%len(loadWords)]), PublishAt: &at, MenuOrder: map[bool]int{true: 60}[i < 3]}, "last", now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPublicSiteUnderLoad serves a site with 10,000 insatser and 1,000
// pages over loopback HTTP to 100 concurrent visitors, beside a static
// file measured the same way in the same run: public pages (catalogue
// pages, insatser, a page, the start page) and searches. It reports the
// percentiles and fails only on errors. Set FINSAM_LOAD=1 to run it;
// FINSAM_LOAD_DURATION sets each run's length, FINSAM_LOAD_THINK the
// clients' mean pauses ("0,1s" unless set).
func TestPublicSiteUnderLoad(t *testing.T) {
	if os.Getenv("FINSAM_LOAD") == "" {
		t.Skip("set FINSAM_LOAD=1 to run the load test")
	}
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		start := time.Now()
		bigSite(t, st, 10000, 1000)
		t.Logf("setup: 10,000 insatser and 1,000 pages in %v", time.Since(start).Round(time.Second))
		s := webtest.Bare(t, st, nil...)
		srv := httptest.NewServer(s.Handler())
		defer srv.Close()
		ctx := context.Background()
		// The first search builds the index.
		start = time.Now()
		if rec := s.Do("GET", base+"/sok?q=arbetstr%C3%A4ning", nil); rec.Code != http.StatusOK {
			t.Fatalf("first search: %d", rec.Code)
		}
		t.Logf("search index of 11,000 documents built in %v", time.Since(start).Round(time.Millisecond))
		items, _ := store.Catalogue(ctx, st, store.CatalogueQuery{AssociationID: assocID(t, st), Limit: 200})
		pages := []string{"/", "/aktivitetskatalogen", "/aktivitetskatalogen?sida=3", "/aktivitetskatalogen?malgrupp=young", "/sida/sida-0000-om-arbetstraning"}
		for _, it := range items {
			pages = append(pages, fmt.Sprintf("/aktivitetskatalogen/%d", it.Insats.ID))
		}
		searches := []string{}
		for _, w := range loadWords {
			searches = append(searches, "/sok?q="+url.QueryEscape(w), "/sok?q="+url.QueryEscape(w+"en")+"&typ=insats")
		}
		duration := 10 * time.Second
		if v, err := time.ParseDuration(os.Getenv("FINSAM_LOAD_DURATION")); err == nil {
			duration = v
		}
		mk := func(next func(i int) string, think time.Duration) loadgen.User {
			tr := &http.Transport{MaxIdleConnsPerHost: 4}
			t.Cleanup(tr.CloseIdleConnections)
			return loadgen.User{Client: &http.Client{Transport: tr, Timeout: 10 * time.Second}, Next: next, Think: think}
		}
		// FINSAM_LOAD_THINK lists the mean pauses of the runs (each pause
		// is drawn from 0.5–1.5× the mean): without a pause 100 clients
		// saturate the two cores they share with the server.
		thinks := []time.Duration{0, time.Second}
		if v := os.Getenv("FINSAM_LOAD_THINK"); v != "" {
			thinks = nil
			for _, f := range strings.Split(v, ",") {
				d, err := time.ParseDuration(strings.TrimSpace(f))
				if err != nil {
					t.Fatalf("FINSAM_LOAD_THINK: %v", err)
				}
				thinks = append(thinks, d)
			}
		}
		var run, searchRun int
		for _, think := range thinks {
			// The uncached runs add a query parameter that no handler
			// reads, so that every request misses the micro-cache and is
			// rendered: what a page costs.
			// The parameter names the run too: loadgen counts each user's
			// requests from 0 in every run, and an address asked for in an
			// earlier run (or round) would be kept already.
			run++
			uncached := func(u, i int) string {
				if strings.Contains(pages[(u*7+i)%len(pages)], "?") {
					return fmt.Sprintf("&n=%d-%d-%d", run, u, i)
				}
				return fmt.Sprintf("?n=%d-%d-%d", run, u, i)
			}
			var static, public, fresh, search, freshSearch []loadgen.User
			for u := range 100 {
				static = append(static, mk(func(int) string { return srv.URL + "/static/finsam.css" }, think))
				public = append(public, mk(func(i int) string { return srv.URL + base + pages[(u*7+i)%len(pages)] }, think))
				fresh = append(fresh, mk(func(i int) string { return srv.URL + base + pages[(u*7+i)%len(pages)] + uncached(u, i) }, think))
				search = append(search, mk(func(i int) string { return srv.URL + base + searches[(u+i)%len(searches)] }, think))
				freshSearch = append(freshSearch, mk(func(i int) string {
					return srv.URL + base + searches[(u+i)%len(searches)] + fmt.Sprintf("&n=%d-%d-%d", searchRun, u, i)
				}, think))
			}
			// The kept runs measure pages already rendered: each is asked
			// for once first (what the warm-up of a minute of real traffic
			// does).
			for _, p := range append(append([]string{}, pages...), searches...) {
				res, err := http.Get(srv.URL + base + p)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					t.Fatalf("%s: %d", p, res.StatusCode)
				}
			}
			rs := loadgen.Run(ctx, static, time.Second, duration/2)
			rp := loadgen.Run(ctx, public, time.Second, duration)
			rf := loadgen.Run(ctx, fresh, time.Second, duration)
			rq := loadgen.Run(ctx, search, time.Second, duration)
			searchRun = 2*run - 1
			rqk := loadgen.Run(ctx, freshSearch, time.Second, duration)
			publicsite.KeepResults(false)
			searchRun = 2 * run
			rqf := loadgen.Run(ctx, freshSearch, time.Second, duration)
			publicsite.KeepResults(true)
			t.Logf("think %v, 100 users: static                      %v", think, rs)
			t.Logf("think %v, 100 users: public page, kept           %v (%.2f× static)", think, rp, rp.Throughput()/rs.Throughput())
			t.Logf("think %v, 100 users: public page, rendered       %v (%.2f× static)", think, rf, rf.Throughput()/rs.Throughput())
			t.Logf("think %v, 100 users: search page, kept           %v (%.2f× static)", think, rq, rq.Throughput()/rs.Throughput())
			t.Logf("think %v, 100 users: search, results kept        %v (%.2f× static)", think, rqk, rqk.Throughput()/rs.Throughput())
			t.Logf("think %v, 100 users: search, from the index      %v (%.2f× static)", think, rqf, rqf.Throughput()/rs.Throughput())
			for name, r := range map[string]loadgen.Result{"public": rp, "public uncached": rf, "search": rq, "search results kept": rqk, "search uncached": rqf} {
				if r.Errors > 0 {
					t.Errorf("%s: %d errors, first: %s", name, r.Errors, r.FirstFail)
				}
			}
		}
	})
}

// BenchmarkPublicSite measures one request at a time, on a site of 10,000
// insatser and 1,000 pages, on both databases: the static stylesheet (the
// baseline), a page kept in memory, a page rendered, a search whose page
// is rendered from kept results, and searches from the index (a word, a
// word of one kind, two words). Each is what
// a request costs without queueing behind others.
func BenchmarkPublicSite(b *testing.B) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		b.Run(string(d), func(b *testing.B) {
			if d == store.Postgres && os.Getenv("FINSAM_TEST_POSTGRES") == "" {
				b.Skip("FINSAM_TEST_POSTGRES is not set")
			}
			st := webtest.Open(b, d)
			bigSite(b, st, 10000, 1000)
			s := webtest.Bare(b, st)
			h := s.Handler()
			item := firstInsatsOf(b, st)
			// The requests are numbered across the rounds of a benchmark
			// (b.N grows from 1), so that a later round does not ask again
			// for an address rendered and kept in an earlier one.
			var seq int
			run := func(name string, target func(i int) string) {
				b.Run(name, func(b *testing.B) {
					for range b.N {
						seq++
						if rec := webtest.Do(h, "GET", target(seq), nil); rec.Code != http.StatusOK {
							b.Fatalf("%s: %d", target(seq), rec.Code)
						}
					}
				})
			}
			page := fmt.Sprintf("%s/aktivitetskatalogen/%d", base, item)
			webtest.Do(h, "GET", base+"/sok?q=praktik", nil) // builds the index
			run("static", func(int) string { return "/static/finsam.css" })
			run("page-kept", func(int) string { return page })
			run("page-rendered", func(i int) string { return fmt.Sprintf("%s?n=%d", page, i) })
			run("search-kept-results", func(i int) string { return fmt.Sprintf("%s/sok?q=praktik&n=%d", base, i) })
			publicsite.KeepResults(false)
			run("search-index", func(i int) string {
				return fmt.Sprintf("%s/sok?q=%s&n=%d", base, url.QueryEscape(loadWords[i%len(loadWords)]), i)
			})
			// The load test's other half: a word in another form, of one
			// kind (what the facets' links ask).
			run("search-index-kind", func(i int) string {
				return fmt.Sprintf("%s/sok?q=%s&typ=insats&n=%d", base, url.QueryEscape(loadWords[i%len(loadWords)]+"en"), i)
			})
			// Two words: the documents that have both ranked (about 100
			// for most pairs, all 10,000 insatser when one is "stöd").
			run("search-index-words", func(i int) string {
				w := loadWords[i%len(loadWords)] + " " + loadWords[(i+1+(i/len(loadWords))%(len(loadWords)-1))%len(loadWords)]
				return fmt.Sprintf("%s/sok?q=%s&n=%d", base, url.QueryEscape(w), i)
			})
			publicsite.KeepResults(true)
		})
	}
}

func firstInsatsOf(tb testing.TB, st *store.Store) int64 {
	o, err := store.OrganisationBySlug(context.Background(), st, demo.OperatorOrg)
	if err != nil {
		tb.Fatal(err)
	}
	items, err := store.Catalogue(context.Background(), st, store.CatalogueQuery{AssociationID: o.ID, Limit: 1})
	if err != nil || len(items) == 0 {
		tb.Fatal(err)
	}
	return items[0].Insats.ID
}
