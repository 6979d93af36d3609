package publicsite

import (
	"context"
	"crypto/sha256"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/finsam/finsam/store"
)

// pageCache keeps the rendered public answers until the association's
// content changes (ADR 35). Every write that changes what a site shows
// raises the association's content version in the database, in its own
// transaction (store.BumpSiteContent); a server reads each site's version
// at most once per checkEvery and serves an answer kept at an older
// version never. An answer also ends at the site's next scheduled change
// (a page's publishing time, an event's start or end), so that what the
// clock changes appears on time, and after maxLife at most, the bound for
// what is shown but not versioned (a member organisation's name). Only
// 200 answers to GET are kept, never a cancellation page (its address
// holds a token), 64 MiB at most.
type pageCache struct {
	mu      sync.Mutex
	entries map[string]cachedPage
	bytes   int
	// rendering are the addresses being rendered now: who asks for one
	// meanwhile waits for that answer instead of rendering it again.
	rendering map[string]chan struct{}
	// sites are the content versions last read, by slug.
	sites map[string]*siteState
	// results are searches done, by site, stems and kind.
	results map[string]cachedResult
}

type cachedPage struct {
	ticket      ticket
	contentType string
	disposition string
	body        []byte
	etag        string
	maxAge      int
	// modified is the Last-Modified time (born, to the second) and header
	// the answer's header fields, both made by prepare.
	modified time.Time
	header   http.Header
}

// prepare makes the answer's Last-Modified time and header fields. The
// header's slices are shared by every response that serves the answer
// (writeAnswer) and never changed.
func (p *cachedPage) prepare() {
	p.modified = p.ticket.born.UTC().Truncate(time.Second)
	p.header = http.Header{
		"Content-Type":  {p.contentType},
		"Etag":          {p.etag},
		"Last-Modified": {p.modified.Format(http.TimeFormat)},
		"Cache-Control": {"public, max-age=" + strconv.Itoa(p.maxAge)},
	}
	if p.disposition != "" {
		p.header["Content-Disposition"] = []string{p.disposition}
	}
}

// siteState is a site's content version as last read from the database.
type siteState struct {
	content store.SiteContent
	checked time.Time
	err     error
	// base is what every page of the site at this version needs (loadSite).
	base *siteBase
}

// ticket says at which content a page is rendered and until when the
// answer may be served.
type ticket struct {
	key     string
	version int64
	// born is when it was rendered (Last-Modified), until the site's next
	// scheduled change (in the site's clock, Site.Now).
	born  time.Time
	until *time.Time
}

type cachedResult struct {
	ticket ticket
	result store.SearchResult
}

const (
	// checkEvery is how often a server reads a site's content version:
	// a change made through another server shows within this time.
	checkEvery = time.Second
	// maxLife bounds how long an answer is kept at all.
	maxLife = 5 * time.Minute
	// maxCacheBytes bounds what the cache holds: past it, it starts over
	// (a crawler asking for every address must not fill the memory).
	maxCacheBytes = 64 << 20
	// maxResults bounds the searches kept the same way.
	maxResults = 4096
)

// keepResults turns the keeping of search results on; the load test turns
// it off to measure a search that is answered from the index every time
// (neither kept nor read from what was kept before).
var keepResults = true

type ticketKeyType struct{}

var ticketKey ticketKeyType

func cacheKey(r *http.Request) string {
	if r.Method != http.MethodGet && r.Method != http.MethodHead || strings.Contains(r.URL.Path, "/avanmalan/") {
		return ""
	}
	own := "p"
	if onOwnHost(r.Context()) {
		own = "h"
	}
	return own + strings.ToLower(r.Host) + r.URL.RequestURI()
}

// state is the content of the request's site, read again when older than
// checkEvery or past its next scheduled change. A site that does not exist
// gives store.ErrNotFound.
func (s *Handlers) state(r *http.Request) (*siteState, error) {
	slug := r.PathValue("site")
	now := s.Now()
	s.cache.mu.Lock()
	st := s.cache.sites[slug]
	s.cache.mu.Unlock()
	if st != nil && time.Since(st.checked) < checkEvery && (st.content.NextChange == nil || now.Before(*st.content.NextChange)) {
		return st, st.err
	}
	c, err := store.SiteContentState(r.Context(), s.Store, slug, now)
	if err != nil && err != store.ErrNotFound {
		return nil, err
	}
	fresh := &siteState{content: c, checked: time.Now(), err: err}
	s.cache.mu.Lock()
	defer s.cache.mu.Unlock()
	if s.cache.sites == nil || len(s.cache.sites) > 10000 {
		s.cache.sites = map[string]*siteState{}
	}
	if old := s.cache.sites[slug]; old != nil && old.content.Version == c.Version && sameTime(old.content.NextChange, c.NextChange) {
		// Unchanged: keep what was loaded for this version.
		old.checked, old.err = fresh.checked, err
		return old, err
	}
	s.cache.sites[slug] = fresh
	return fresh, err
}

func sameTime(a, b *time.Time) bool {
	return a == nil && b == nil || a != nil && b != nil && a.Equal(*b)
}

// recheck makes the next request of every site read its version again:
// after a write through this server, so that its own visitors see it at
// once.
func (c *pageCache) recheck() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.sites {
		st.checked = time.Time{}
	}
}

// ticketFor is the ticket of a page of the site at st rendered now.
func ticketFor(key string, st *siteState) ticket {
	return ticket{key: key, version: st.content.Version, born: time.Now(), until: st.content.NextChange}
}

// valid reports whether an answer kept under t may be served for the site
// at st (now in the site's clock).
func (t ticket) valid(st *siteState, now time.Time) bool {
	return t.version == st.content.Version && time.Since(t.born) < maxLife && (t.until == nil || now.Before(*t.until))
}

func (s *Handlers) cached(key string, st *siteState) (cachedPage, bool) {
	s.cache.mu.Lock()
	defer s.cache.mu.Unlock()
	p, ok := s.cache.entries[key]
	if !ok || !p.ticket.valid(st, s.Now()) {
		return cachedPage{}, false
	}
	return p, true
}

// keep stores an answer rendered under the request's ticket, if it has one.
func (c *pageCache) keep(r *http.Request, p cachedPage) {
	t, ok := r.Context().Value(ticketKey).(ticket)
	if !ok {
		return
	}
	p.ticket = t
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || c.bytes+len(p.body) > maxCacheBytes {
		c.entries, c.bytes = map[string]cachedPage{}, 0
	}
	c.entries[t.key] = p
	c.bytes += len(p.body)
}

// withTicket is r carrying the ticket its answer is kept under.
func withTicket(r *http.Request, t ticket) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), ticketKey, t))
}

// begin is called on a miss: leader is true for the first asker of key,
// who renders and must call end; the others get a channel that closes when
// the leader is done (and then look in the cache again).
func (c *pageCache) begin(key string) (wait <-chan struct{}, leader bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ch, ok := c.rendering[key]; ok {
		return ch, false
	}
	if c.rendering == nil {
		c.rendering = map[string]chan struct{}{}
	}
	c.rendering[key] = make(chan struct{})
	return nil, true
}

func (c *pageCache) end(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ch, ok := c.rendering[key]; ok {
		close(ch)
		delete(c.rendering, key)
	}
}

// result is a search kept for the site at st under key.
func (s *Handlers) result(key string, st *siteState) (store.SearchResult, bool) {
	if !keepResults {
		return store.SearchResult{}, false
	}
	s.cache.mu.Lock()
	defer s.cache.mu.Unlock()
	res, ok := s.cache.results[key]
	if !ok || !res.ticket.valid(st, s.Now()) {
		return store.SearchResult{}, false
	}
	return res.result, true
}

func (c *pageCache) keepResult(key string, st *siteState, res store.SearchResult) {
	if !keepResults {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.results == nil || len(c.results) >= maxResults {
		c.results = map[string]cachedResult{}
	}
	c.results[key] = cachedResult{ticket: ticketFor(key, st), result: res}
}

// etagOf is the entity tag of an answer's bytes.
func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + strings.ToLower(etagEncoding.EncodeToString(sum[:12])) + `"`
}
