package dashboards

import (
	"sync"
	"time"

	"github.com/finsam/finsam/store"
)

// The dashboard's summary is cached per scope (the filter and today) for
// summaryTTL: a manager who filters, opens a list and comes back, or a
// whole office opening the same dashboard at nine, costs the database one
// computation. The lists are never cached: a list is what the database
// holds now, and a figure at most summaryTTL older (the page says when it
// was computed). See docs/adr/0025-caseload-figures.md.
const (
	summaryTTL     = time.Minute
	summaryEntries = 256
)

type summaryEntry struct {
	sum  store.CaseloadSummary
	prev store.CaseloadFlow // the same period a year before
	at   time.Time
}

// summaryCache is a small map of summaries by scope, each kept for ttl.
type summaryCache struct {
	mu      sync.Mutex
	ttl     time.Duration
	max     int
	entries map[store.CaseloadScope]summaryEntry
}

func newSummaryCache(ttl time.Duration, max int) *summaryCache {
	return &summaryCache{ttl: ttl, max: max, entries: map[store.CaseloadScope]summaryEntry{}}
}

// get is the summary of scope computed at most ttl before now, if any.
func (c *summaryCache) get(scope store.CaseloadScope, now time.Time) (summaryEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[scope]
	if !ok || now.Sub(e.at) >= c.ttl || now.Before(e.at) {
		return summaryEntry{}, false
	}
	return e, true
}

// put keeps a summary, dropping the expired ones (or, when all are
// current and the cache is full, all of them: a burst of distinct filters
// is rare and recomputing is correct).
func (c *summaryCache) put(scope store.CaseloadScope, e summaryEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.max {
		for k, old := range c.entries {
			if e.at.Sub(old.at) >= c.ttl {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= c.max {
			clear(c.entries)
		}
	}
	c.entries[scope] = e
}
