package dashboards

import (
	"html/template"
	"testing"
	"time"

	"github.com/finsam/finsam/store"
)

// TestSummaryCacheRefreshesOnceWhileServingStale: a summary is fresh for
// the TTL; after it, it is still served and exactly one reader is told to
// refresh it until the new one is put; past TTL+stale it is gone.
func TestSummaryCacheRefreshesOnceWhileServingStale(t *testing.T) {
	c := newSummaryCache(time.Minute, 10*time.Minute, 4)
	scope := store.CaseloadScope{OfficeID: 7}
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	if _, ok, refresh := c.get(scope, t0); ok || refresh {
		t.Fatal("an empty cache answered")
	}
	c.put(scope, summaryEntry{at: t0, sum: store.CaseloadSummary{SupplementCases: 1}})
	if e, ok, refresh := c.get(scope, t0.Add(59*time.Second)); !ok || refresh || e.sum.SupplementCases != 1 {
		t.Errorf("fresh: ok %v refresh %v", ok, refresh)
	}
	late := t0.Add(2 * time.Minute)
	if _, ok, refresh := c.get(scope, late); !ok || !refresh {
		t.Errorf("stale: ok %v refresh %v, want the old summary and one refresh", ok, refresh)
	}
	if _, ok, refresh := c.get(scope, late); !ok || refresh {
		t.Errorf("stale again: ok %v refresh %v, want no second refresh", ok, refresh)
	}
	c.done(scope) // the refresh failed: the next reader tries again
	if _, _, refresh := c.get(scope, late); !refresh {
		t.Error("after a failed refresh nobody refreshes")
	}
	c.put(scope, summaryEntry{at: late, sum: store.CaseloadSummary{SupplementCases: 2}})
	if e, ok, refresh := c.get(scope, late.Add(time.Second)); !ok || refresh || e.sum.SupplementCases != 2 {
		t.Errorf("refreshed: ok %v refresh %v, %d", ok, refresh, e.sum.SupplementCases)
	}
	if _, ok, _ := c.get(scope, late.Add(11*time.Minute)); ok {
		t.Error("a summary older than TTL and stale is still served")
	}
}

// TestBuiltViewsAreKeptWithTheirSummary: a summary's dashboard is built
// once per language and reader's office, and its charts drawn once, for
// as long as the summary is cached; a new summary builds anew.
func TestBuiltViewsAreKeptWithTheirSummary(t *testing.T) {
	c := newSummaryCache(time.Minute, 10*time.Minute, 4)
	scope := store.CaseloadScope{OfficeID: 7}
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	fresh := func(at time.Time) summaryEntry {
		return summaryEntry{at: at, views: &builtViews{views: map[viewKey]*builtView{}}}
	}
	c.put(scope, fresh(t0))
	builds, draws := 0, 0
	build := func() Dashboard { builds++; return Dashboard{From: "2026-06-01"} }
	draw := func(Dashboard) map[string]template.HTML { draws++; return map[string]template.HTML{"x": "<svg></svg>"} }
	for range 3 {
		e, ok, _ := c.get(scope, t0.Add(30*time.Second))
		if !ok {
			t.Fatal("no summary")
		}
		v := e.view(viewKey{lang: "sv"}, build)
		e.chartsOf(v, draw)
	}
	e, _, _ := c.get(scope, t0)
	e.view(viewKey{lang: "en"}, build)
	e.view(viewKey{lang: "sv", office: 3}, build)
	if builds != 3 || draws != 1 {
		t.Errorf("%d builds and %d drawings, want 3 (sv, en, sv for office 3) and 1", builds, draws)
	}
	c.put(scope, fresh(t0.Add(time.Minute)))
	e, _, _ = c.get(scope, t0.Add(time.Minute))
	if e.view(viewKey{lang: "sv"}, build); builds != 4 {
		t.Errorf("a new summary reused the old one's view (%d builds)", builds)
	}
}
