package dashboards

import (
	"html/template"
	"sync"
	"time"

	"github.com/finsam/finsam/store"
)

// The dashboard's summary is cached per scope (the filter and today): it
// is fresh for summaryTTL, and for summaryStale after that it is still
// shown while one computation in the background replaces it. A manager
// who filters, opens a list and comes back, or a whole office opening the
// same dashboard at nine, costs the database one computation, and only
// the first reader of a scope waits for it. The lists are never cached: a
// list is what the database holds now, and a figure at most summaryStale
// older (the page says when it was computed). See
// docs/adr/0025-caseload-figures.md.
const (
	summaryTTL     = time.Minute
	summaryStale   = 10 * time.Minute
	summaryEntries = 256
)

type summaryEntry struct {
	sum  store.CaseloadSummary
	prev store.CaseloadFlow // the same period a year before
	at   time.Time
	// views are the dashboards built from the summary, kept as long as
	// it is: at national scale building one (a linked figure for each
	// of some four thousand offices' and case workers' counts) and
	// drawing its charts cost more than the rest of the request.
	views *builtViews
}

// viewKey is what a dashboard built from a summary depends on besides
// the summary: the language, and the office of an office-bound reader
// (whose choices name only their own office's case workers).
type viewKey struct {
	lang   string
	office int64
}

// builtView is a built dashboard and, once a page has shown it, its
// charts. Neither is changed once kept.
type builtView struct {
	dash   Dashboard
	charts map[string]template.HTML
}

// builtViews are the views of one summary.
type builtViews struct {
	mu    sync.Mutex
	views map[viewKey]*builtView
}

// view is the view of k, built by build the first time it is asked for.
// A summaryEntry made without views (a test's) builds every time.
func (e summaryEntry) view(k viewKey, build func() Dashboard) *builtView {
	if e.views == nil {
		return &builtView{dash: build()}
	}
	e.views.mu.Lock()
	defer e.views.mu.Unlock()
	if v := e.views.views[k]; v != nil {
		return v
	}
	v := &builtView{dash: build()}
	e.views.views[k] = v
	return v
}

// chartsOf are the charts of v, drawn the first time they are asked for.
func (e summaryEntry) chartsOf(v *builtView, draw func(Dashboard) map[string]template.HTML) map[string]template.HTML {
	if e.views == nil {
		return draw(v.dash)
	}
	e.views.mu.Lock()
	defer e.views.mu.Unlock()
	if v.charts == nil {
		v.charts = draw(v.dash)
	}
	return v.charts
}

// summaryCache is a small map of summaries by scope, each fresh for ttl
// and usable, while refreshed, for stale more.
type summaryCache struct {
	mu         sync.Mutex
	ttl, stale time.Duration
	max        int
	entries    map[store.CaseloadScope]summaryEntry
	refreshing map[store.CaseloadScope]bool
}

func newSummaryCache(ttl, stale time.Duration, max int) *summaryCache {
	return &summaryCache{ttl: ttl, stale: stale, max: max, entries: map[store.CaseloadScope]summaryEntry{},
		refreshing: map[store.CaseloadScope]bool{}}
}

// get is the summary of scope computed at most ttl+stale before now, if
// any; refresh is true when it is older than ttl and nobody is computing
// its successor yet: the caller is to compute it (and call put or, on
// failure, done).
func (c *summaryCache) get(scope store.CaseloadScope, now time.Time) (e summaryEntry, ok, refresh bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok = c.entries[scope]
	age := now.Sub(e.at)
	if !ok || age >= c.ttl+c.stale || now.Before(e.at) {
		return summaryEntry{}, false, false
	}
	if age >= c.ttl && !c.refreshing[scope] {
		c.refreshing[scope] = true
		refresh = true
	}
	return e, true, refresh
}

// done says a refresh of scope is over (put says so too).
func (c *summaryCache) done(scope store.CaseloadScope) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.refreshing, scope)
}

// put keeps a summary, dropping the expired ones (or, when none has
// expired and the cache is full, all of them: a burst of distinct filters
// is rare and recomputing is correct).
func (c *summaryCache) put(scope store.CaseloadScope, e summaryEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.refreshing, scope)
	if len(c.entries) >= c.max {
		for k, old := range c.entries {
			if e.at.Sub(old.at) >= c.ttl+c.stale {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= c.max {
			clear(c.entries)
		}
	}
	c.entries[scope] = e
}
