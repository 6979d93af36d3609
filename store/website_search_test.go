package store_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

var searchDocs = []store.SearchDoc{
	{Kind: "insats", Path: "/aktivitetskatalogen/1", Title: "Arbetsträning på Skarphäll", Body: "Arbetsträningen sker i lag med djur, odling och snickeri för unga vuxna."},
	{Kind: "insats", Path: "/aktivitetskatalogen/2", Title: "Språk och arbete", Body: "Svenska för arbetslivet med praktik inom vård och omsorg."},
	{Kind: "page", Path: "/sida/tips", Title: "Tips och råd", Body: "Så hittar du rätt: fråga din handläggare om arbetsträning eller praktik."},
	{Kind: "news", Path: "/nyheter/ar", Title: "Nytt år för förbundet", Body: "Under året startar två nya insatser på södra Gotland."},
	{Kind: "news", Path: "/nyheter/ar2", Title: "Ar och ör", Body: "Ett dokument om ar, ör och or."},
	{Kind: "event", Path: "/moten/3", Title: "Föreläsning om psykisk hälsa", Body: "Föreläsningen handlar om psykisk ohälsa på arbetsplatsen."},
	{Kind: "network", Path: "/natverket#4", Title: "Föreningen Fontänhuset", Body: "Klubbhus för personer med psykisk ohälsa; arbetsträning i klubbhusets enheter."},
}

// indexedSite creates the association of siteFixture and indexes docs as
// its website under the fingerprint "f1".
func indexedSite(t *testing.T, s *store.Store, docs []store.SearchDoc) assocOrgs {
	t.Helper()
	o, _ := siteFixture(t, s)
	storetest.Write(t, s, func(tx *store.Tx) error { return store.IndexSite(context.Background(), tx, o.assoc, docs, "f1") })
	return o
}

// searchSummary is a result as the equality test compares it.
func searchSummary(r store.SearchResult) string {
	s := fmt.Sprint(r.Facets) + " "
	for _, h := range r.Hits {
		s += h.Path + " "
	}
	return s
}

// TestSearchGivesTheSameResultsOnBothDatabases indexes the same documents
// on SQLite and PostgreSQL and asks both the same questions: the same
// documents, in the same order, with the same facets. The expected
// answers are written out too, so that the test also holds when only
// SQLite runs.
func TestSearchGivesTheSameResultsOnBothDatabases(t *testing.T) {
	queries := []struct {
		q, kind string
		want    string
	}{
		{"arbetsträning", "", "map[insats:1 network:1 page:1] /aktivitetskatalogen/1 /natverket#4 /sida/tips "},
		{"Arbetsträningen", "insats", "map[insats:1 network:1 page:1] /aktivitetskatalogen/1 "},
		{"psykisk ohälsa", "", "map[event:1 network:1] /moten/3 /natverket#4 "},
		{"föreläsningar", "", "map[event:1] /moten/3 "},
		{"år", "", "map[news:1] /nyheter/ar "},
		{"ör", "", "map[news:1] /nyheter/ar2 "},
		{"och det att", "", "map[] "},
		{"cykelverkstad", "", "map[] "},
		{"praktik vård", "", "map[insats:1] /aktivitetskatalogen/2 "},
	}
	got := map[string][]string{}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := indexedSite(t, s, searchDocs)
		for _, q := range queries {
			r, err := store.SearchSite(ctx, s, o.assoc, q.q, q.kind, 20)
			if err != nil {
				t.Fatal(err)
			}
			sum := searchSummary(r)
			if sum != q.want {
				t.Errorf("%q (%s): %s, want %s", q.q, q.kind, sum, q.want)
			}
			got[q.q] = append(got[q.q], sum)
		}
		// Reindexing replaces the documents.
		storetest.Write(t, s, func(tx *store.Tx) error { return store.IndexSite(ctx, tx, o.assoc, searchDocs[:1], "f2") })
		if r, _ := store.SearchSite(ctx, s, o.assoc, "arbetsträning", "", 20); len(r.Hits) != 1 {
			t.Errorf("after reindexing: %d hits", len(r.Hits))
		}
		if f, _ := store.SearchFingerprint(ctx, s, o.assoc); f != "f2" {
			t.Errorf("fingerprint %q", f)
		}
	})
	for q, answers := range got {
		if len(answers) == 2 && !reflect.DeepEqual(answers[0], answers[1]) {
			t.Errorf("%q: SQLite %s, PostgreSQL %s", q, answers[0], answers[1])
		}
	}
}

// TestSearchRanksEveryMatchNotOnlyTheFirstHundred indexes 150 documents
// that each have the word once in a short body and one that has it three
// times and whose title sorts last: the best document is first although
// the others are more than a page of candidates, and those of equal score
// follow by title, the same on both databases, for one word and for two.
func TestSearchRanksEveryMatchNotOnlyTheFirstHundred(t *testing.T) {
	var docs []store.SearchDoc
	for i := range 150 {
		docs = append(docs, store.SearchDoc{Kind: "page", Path: fmt.Sprintf("/sida/dokument-%03d", 149-i),
			Title: fmt.Sprintf("Dokument %03d", 149-i), Body: "Text om stöd."})
	}
	docs = append(docs, store.SearchDoc{Kind: "news", Path: "/nyheter/oppet-hus", Title: "Öppet hus", Body: "Text: stöd, stöd och mer stöd."})
	want := "map[news:1 page:150] /nyheter/oppet-hus /sida/dokument-000 /sida/dokument-001 /sida/dokument-002 "
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := indexedSite(t, s, docs)
		for _, q := range []string{"stöd", "texter stöd"} {
			r, err := store.SearchSite(ctx, s, o.assoc, q, "", 4)
			if err != nil {
				t.Fatal(err)
			}
			if got := searchSummary(r); got != want {
				t.Errorf("%q: %s, want %s", q, got, want)
			}
			if len(r.Hits) > 1 && r.Hits[0].Score <= r.Hits[1].Score {
				t.Errorf("%q: scores %v, %v", q, r.Hits[0].Score, r.Hits[1].Score)
			}
			r, err = store.SearchSite(ctx, s, o.assoc, q, "page", 2)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := searchSummary(r), "map[news:1 page:150] /sida/dokument-000 /sida/dokument-001 "; got != want {
				t.Errorf("%q of pages: %s, want %s", q, got, want)
			}
		}
	})
}

// TestSearchOfOneKindReadsOnlyItsPage indexes a stem that 400 insatser
// and two events have, and asks for one kind: the hits are those of the
// stem's own order that are of the kind, and each database reads them as
// an index range in that order (no sort of the stem's rows, and the rare
// kind through its own index), with the freshly written rows unanalysed
// as after a rebuild and after ANALYZE.
func TestSearchOfOneKindReadsOnlyItsPage(t *testing.T) {
	var docs []store.SearchDoc
	for i := range 400 {
		docs = append(docs, store.SearchDoc{Kind: "insats", Path: fmt.Sprintf("/aktivitetskatalogen/%d", i),
			Title: fmt.Sprintf("Insats %03d", i), Body: strings.Repeat("Stöd och ", 1+i%3) + "vägledning."})
	}
	docs = append(docs,
		store.SearchDoc{Kind: "event", Path: "/moten/1", Title: "Stöd i vardagen", Body: "Ett möte om stöd."},
		store.SearchDoc{Kind: "event", Path: "/moten/2", Title: "Öppet hus", Body: "Stöd för unga."})
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := indexedSite(t, s, docs)
		all, err := store.SearchSite(ctx, s, o.assoc, "stöd", "", 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{"insats", "event"} {
			want := []string{"/moten/1", "/moten/2"}
			if kind == "insats" {
				want = nil
				for _, h := range all.Hits {
					if h.Kind == kind && len(want) < 30 {
						want = append(want, h.Path)
					}
				}
			}
			r, err := store.SearchSite(ctx, s, o.assoc, "stöd", kind, 30)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range r.Hits {
				got = append(got, h.Path)
			}
			if len(want) == 0 || !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %v, want %v", kind, got, want)
			}
		}
		explain, sorted := "EXPLAIN QUERY PLAN ", "TEMP B-TREE"
		if s.Dialect() == store.Postgres {
			explain, sorted = "EXPLAIN (COSTS OFF) ", "Sort"
		}
		for _, state := range []string{"unanalysed", "analysed"} {
			if state == "analysed" {
				if _, err := s.Exec(ctx, "ANALYZE"); err != nil {
					t.Fatal(err)
				}
			}
			for _, kind := range []string{"insats", "event"} {
				rows, err := s.Query(ctx, explain+store.OneTermHitsQuery(true, 30), o.assoc, "stöd", kind)
				if err != nil {
					t.Fatal(err)
				}
				cols, _ := rows.Columns()
				var plan []string
				for rows.Next() {
					line := make([]any, len(cols))
					for i := range line {
						line[i] = new(any)
					}
					if err := rows.Scan(line...); err != nil {
						t.Fatal(err)
					}
					plan = append(plan, fmt.Sprint(*line[len(line)-1].(*any)))
				}
				rows.Close()
				p := strings.Join(plan, "\n")
				// The common kind may be read through the primary key in
				// order too, but never sorted (that reads all its rows);
				// the rare kind must not walk the stem's other rows.
				if kind == "insats" && strings.Contains(p, sorted) || kind == "event" && !strings.Contains(p, "site_search_terms_kind") {
					t.Errorf("%s, %s: the plan does not read the kind's index range in order:\n%s", state, kind, p)
				}
			}
		}
	})
}

// TestSearchOfSeveralWordsOrdersEqualScoresByTitleAndPath ranks documents
// of equal score by title and then path when several words are asked for
// (ranked from the stems' rows and the documents' places in title order)
// exactly as when one word is (ranked when indexed), narrowed to a kind
// or not, on both databases.
func TestSearchOfSeveralWordsOrdersEqualScoresByTitleAndPath(t *testing.T) {
	docs := []store.SearchDoc{
		{Kind: "page", Path: "/sida/b", Title: "Råd", Body: "Stöd och råd."},
		{Kind: "news", Path: "/nyheter/a", Title: "Råd", Body: "Stöd och råd."},
		{Kind: "page", Path: "/sida/a", Title: "Råd", Body: "Stöd och råd."},
		{Kind: "insats", Path: "/aktivitetskatalogen/1", Title: "Ärenden", Body: "Stöd och råd."},
		{Kind: "insats", Path: "/aktivitetskatalogen/2", Title: "Arbete", Body: "Stöd och råd."},
		{Kind: "page", Path: "/sida/c", Title: "Bättre", Body: "Stöd, stöd och råd, om råd."},
		{Kind: "page", Path: "/sida/d", Title: "Annat", Body: "Bara stöd."},
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := indexedSite(t, s, docs)
		for _, c := range []struct{ q, kind, want string }{
			// The titles "Råd" first (five times a word of the body), by
			// path; then two of a word in the body; then "Arbete" before
			// "Ärenden" (bytes, as Go and both databases compare them).
			{"råd", "", "map[insats:2 news:1 page:3] /nyheter/a /sida/a /sida/b /sida/c /aktivitetskatalogen/2 /aktivitetskatalogen/1 "},
			{"stöd råd", "", "map[insats:2 news:1 page:3] /nyheter/a /sida/a /sida/b /sida/c /aktivitetskatalogen/2 /aktivitetskatalogen/1 "},
			{"råd stöd", "page", "map[insats:2 news:1 page:3] /sida/a /sida/b /sida/c "},
			{"stöd råd", "", "map[insats:2 news:1 page:3] /nyheter/a /sida/a "},
		} {
			limit := 20
			if strings.Count(c.want, "/") == 4 {
				limit = 2
			}
			r, err := store.SearchSite(ctx, s, o.assoc, c.q, c.kind, limit)
			if err != nil {
				t.Fatal(err)
			}
			if got := searchSummary(r); got != c.want {
				t.Errorf("%q (%s): %s, want %s", c.q, c.kind, got, c.want)
			}
		}
	})
}
