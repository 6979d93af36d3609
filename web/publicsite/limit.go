package publicsite

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// limiter counts the forms each address sends in a window and refuses
// more than max: enough for a person, too few for a spam robot. It is
// per server instance, which is what a stop to flooding needs.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	seen   map[string][]time.Time
}

func newLimiter(max, windowSeconds int) *limiter {
	return &limiter{max: max, window: time.Duration(windowSeconds) * time.Second, seen: map[string][]time.Time{}}
}

// allow records a form from r's address at now and says whether it is
// within the limit.
func (l *limiter) allow(r *http.Request, now time.Time) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.seen) > 10000 { // forget everyone rather than grow without bound
		l.seen = map[string][]time.Time{}
	}
	kept := l.seen[host][:0]
	for _, t := range l.seen[host] {
		if now.Sub(t) < l.window {
			kept = append(kept, t)
		}
	}
	if len(kept) >= l.max {
		l.seen[host] = kept
		return false
	}
	l.seen[host] = append(kept, now)
	return true
}
