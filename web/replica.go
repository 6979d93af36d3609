package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// Read replicas (see store.ReadOnly). A route whose handler only reads and
// may be a few seconds stale is registered with reads(handler): its queries
// may then run on a PostgreSQL streaming replica. So that whoever has just
// written sees the write on the next page, the answer to every unsafe
// request carries the primary's write position in a cookie, and reads()
// passes it on: a replica serves the reads of that browser only once it has
// replayed past it. The cookie lives for writeWindow, long after any replica
// that still serves has caught up (a replica trailing by more than its
// bound serves no one). It tells nothing about the user and a forged one
// harms only its own browser's reads, so it is not signed. Clients without
// cookies (API tokens) see their writes once the replica has replayed them,
// within the lag bound.

// writeCookie holds the write position of the browser's last write.
const writeCookie = "finsam_wrote"

// writeWindow is how long a write position is kept.
const writeWindow = time.Minute

// readsRoute marks h as read-only work whose queries may run on a read
// replica. Without replicas it changes nothing.
func (s *Server) readsRoute(h site.HandlerFunc) site.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, a *site.Actor) error { return h(w, s.readOnly(r), a) }
}

// readOnly marks r's context as read-only work, after the browser's last
// write (the write cookie); r itself when there are no replicas.
func (s *Server) readOnly(r *http.Request) *http.Request {
	if !s.store.HasReplicas() {
		return r
	}
	var after store.WritePosition
	if c, err := r.Cookie(writeCookie); err == nil {
		after, _ = store.ParseWritePosition(c.Value)
	}
	return r.WithContext(store.ReadOnly(r.Context(), after))
}

// rememberWrites sets the write cookie on the answer to every unsafe
// request, when the store has replicas.
func (s *Server) rememberWrites(next http.Handler) http.Handler {
	if s.store == nil || !s.store.HasReplicas() {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodGet, r.Method == http.MethodHead, r.Method == http.MethodOptions,
			strings.HasPrefix(r.URL.Path, "/f/"): // the public sites set no cookie (ADR 23)
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(&writeMarker{ResponseWriter: w, r: r, s: s}, r)
	})
}

// writeMarker adds the write cookie just before the header is sent: by
// then the handler has committed what it wrote.
type writeMarker struct {
	http.ResponseWriter
	r    *http.Request
	s    *Server
	done bool
}

func (m *writeMarker) mark() {
	if m.done {
		return
	}
	m.done = true
	pos, err := m.s.store.WritePosition(m.r.Context())
	if err != nil {
		m.s.log.WarnContext(m.r.Context(), "write position for the read-your-writes cookie", "err", err)
		return
	}
	http.SetCookie(m.ResponseWriter, &http.Cookie{
		Name: writeCookie, Value: pos.String(), Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: secureRequest(m.r), MaxAge: int(writeWindow.Seconds()),
	})
}

func (m *writeMarker) WriteHeader(code int) {
	m.mark()
	m.ResponseWriter.WriteHeader(code)
}

func (m *writeMarker) Write(b []byte) (int, error) {
	m.mark()
	return m.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (m *writeMarker) Unwrap() http.ResponseWriter { return m.ResponseWriter }

// replicaCollector reports the read replicas' health and use.
type replicaCollector struct{ store *store.Store }

var (
	replicaUp = prometheus.NewDesc("finsam_db_replica_up",
		"1 while the read replica serves reads, 0 while it is out of service (unreachable or lagging past the bound).", []string{"replica"}, nil)
	replicaLag = prometheus.NewDesc("finsam_db_replica_lag_bytes",
		"How far the read replica trailed the primary's write-ahead log at the last probe.", []string{"replica"}, nil)
	replicaReads = prometheus.NewDesc("finsam_db_replica_reads_total",
		"Read-only queries the replica served.", []string{"replica"}, nil)
	replicaFallbacks = prometheus.NewDesc("finsam_db_replica_fallbacks_total",
		"Read-only queries that failed on the replica and ran again on the primary.", []string{"replica"}, nil)
	replicaPrimaryReads = prometheus.NewDesc("finsam_db_replica_primary_reads_total",
		"Read-only queries that ran on the primary: no replica in service had replayed the reader's own write, or one failed.", nil, nil)
)

func (c *replicaCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{replicaUp, replicaLag, replicaReads, replicaFallbacks, replicaPrimaryReads} {
		ch <- d
	}
}

func (c *replicaCollector) Collect(ch chan<- prometheus.Metric) {
	replicas, primary := c.store.ReplicaStatus()
	for _, r := range replicas {
		up := 0.0
		if r.Healthy {
			up = 1
		}
		ch <- prometheus.MustNewConstMetric(replicaUp, prometheus.GaugeValue, up, r.Name)
		ch <- prometheus.MustNewConstMetric(replicaLag, prometheus.GaugeValue, float64(r.LagBytes), r.Name)
		ch <- prometheus.MustNewConstMetric(replicaReads, prometheus.CounterValue, float64(r.Reads), r.Name)
		ch <- prometheus.MustNewConstMetric(replicaFallbacks, prometheus.CounterValue, float64(r.Fallbacks), r.Name)
	}
	ch <- prometheus.MustNewConstMetric(replicaPrimaryReads, prometheus.CounterValue, float64(primary))
}
