package publicsite

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// pageCache keeps the public answers for a short while (micro-caching): a
// site read by many at once is rendered about once per address and
// cacheFor, not once per visitor (16 MiB at most). Answers depend only on the address and
// the data, so what is kept is what would be rendered again, at most
// cacheFor old; a write through this package (a sign-up, a cancellation,
// an edit by the staff) empties it at once. Only 200 answers to GET are
// kept, never a cancellation page (its address holds a token).
type pageCache struct {
	mu      sync.Mutex
	entries map[string]cachedPage
	bytes   int
	// rendering are the addresses being rendered now: who asks for one
	// meanwhile waits for that answer instead of rendering it again.
	rendering map[string]chan struct{}
}

type cachedPage struct {
	at          time.Time
	contentType string
	disposition string
	body        []byte
	maxAge      int
}

const (
	cacheFor = 2 * time.Second
	// maxCacheBytes bounds what the cache holds: past it, it starts over
	// (a crawler asking for every address must not fill the memory).
	maxCacheBytes = 16 << 20
)

func cacheKey(r *http.Request) string {
	if r.Method != http.MethodGet || strings.Contains(r.URL.Path, "/avanmalan/") {
		return ""
	}
	own := "p"
	if onOwnHost(r.Context()) {
		own = "h"
	}
	return own + strings.ToLower(r.Host) + r.URL.RequestURI()
}

func (c *pageCache) get(r *http.Request) (cachedPage, bool) {
	key := cacheKey(r)
	if key == "" {
		return cachedPage{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.entries[key]
	if !ok || time.Since(p.at) > cacheFor {
		return cachedPage{}, false
	}
	return p, true
}

func (c *pageCache) put(r *http.Request, p cachedPage) {
	key := cacheKey(r)
	if key == "" {
		return
	}
	p.at = time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || c.bytes+len(p.body) > maxCacheBytes {
		c.entries, c.bytes = map[string]cachedPage{}, 0
	}
	c.entries[key] = p
	c.bytes += len(p.body)
}

// clear forgets everything, after a write.
func (c *pageCache) clear() {
	c.mu.Lock()
	c.entries, c.bytes = nil, 0
	c.mu.Unlock()
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
