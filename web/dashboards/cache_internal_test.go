package dashboards

import (
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
