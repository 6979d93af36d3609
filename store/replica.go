package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// Read replicas (PostgreSQL only). Work that only reads and may be a few
// seconds stale (reports, the quality board, exports, public pages) runs
// with a context from ReadOnly; its queries outside transactions go to a
// streaming replica that is healthy and has replayed the caller's own last
// write, and to the primary otherwise. Everything else — transactions,
// writes, and every query of an unmarked context — runs on the primary.
//
// A replica is healthy while a probe reaches it and it has replayed every
// write the primary had made MaxLag ago. A query that fails on a replica is
// run again on the primary, so a replica that stops between two probes
// costs time, not an error.

// Default bounds of replica reads.
const (
	// DefaultReplicaMaxLag is how far a replica may trail the primary and
	// still serve reads.
	DefaultReplicaMaxLag = 10 * time.Second
	// DefaultReplicaProbe is how often the replicas are probed.
	DefaultReplicaProbe = time.Second
)

// WritePosition is a position in the primary's write-ahead log (an LSN):
// a read that must see a write goes to a replica only once the replica has
// replayed past it. The zero value is "no write to wait for".
type WritePosition uint64

// ParseWritePosition reads an LSN in PostgreSQL's text form (16/B374D848).
func ParseWritePosition(s string) (WritePosition, error) {
	hi, lo, ok := strings.Cut(s, "/")
	if !ok {
		return 0, fmt.Errorf("write position %q: want HI/LO", s)
	}
	h, err1 := strconv.ParseUint(hi, 16, 32)
	l, err2 := strconv.ParseUint(lo, 16, 32)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("write position %q: want hexadecimal HI/LO", s)
	}
	return WritePosition(h<<32 | l), nil
}

// String gives the LSN in PostgreSQL's text form.
func (p WritePosition) String() string {
	return fmt.Sprintf("%X/%X", uint64(p)>>32, uint64(p)&0xffffffff)
}

// readRoute is what ReadOnly puts into a context.
type readRoute struct {
	// after is the caller's own last write: only a replica that has
	// replayed it may serve the read.
	after WritePosition
	// wrote is set when the request itself committed a write: from then on
	// its reads go to the primary, which has it.
	wrote atomic.Bool
}

type readRouteKey struct{}

// ReadOnly marks ctx as serving read-only work whose queries (outside
// transactions) may go to a read replica, provided it has replayed the
// caller's own write at after (zero: none known). Without replicas, and on
// SQLite, it changes nothing.
func ReadOnly(ctx context.Context, after WritePosition) context.Context {
	return context.WithValue(ctx, readRouteKey{}, &readRoute{after: after})
}

func routeOf(ctx context.Context) *readRoute {
	r, _ := ctx.Value(readRouteKey{}).(*readRoute)
	return r
}

// noteWrite tells a read-only context that its request wrote: its later
// reads go to the primary.
func noteWrite(ctx context.Context) {
	if r := routeOf(ctx); r != nil {
		r.wrote.Store(true)
	}
}

// HasReplicas says whether read-only work may go to replicas.
func (s *Store) HasReplicas() bool { return s != nil && s.replicas != nil }

// WritePosition is the primary's current write position: a caller that
// has just written keeps it and passes it to ReadOnly in its next requests
// so that they see the write. Without replicas it is zero.
func (s *Store) WritePosition(ctx context.Context) (WritePosition, error) {
	if s.replicas == nil {
		return 0, nil
	}
	return primaryPosition(ctx, s.write)
}

func primaryPosition(ctx context.Context, db *sql.DB) (WritePosition, error) {
	var lsn string
	if err := db.QueryRowContext(ctx, "SELECT pg_current_wal_lsn()::text").Scan(&lsn); err != nil {
		return 0, normalize(err)
	}
	return ParseWritePosition(lsn)
}

// replica is one read replica and what the probes know of it.
type replica struct {
	name string // host:port, for logs and metrics
	db   *sql.DB

	mu       sync.Mutex
	healthy  bool
	replayed WritePosition // the newest replay position a probe saw
	lagBytes uint64        // how far it trailed the primary at the last probe
	reason   string        // why it is unhealthy, for the log

	reads     atomic.Uint64 // queries it served
	fallbacks atomic.Uint64 // queries that failed on it and ran on the primary
}

func (r *replica) usable(after WritePosition) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.healthy && r.replayed >= after
}

// markDown takes the replica out of service until the next probe finds it
// well again.
func (r *replica) markDown(reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.healthy = false
	r.reason = reason
}

// replicaSet is the store's replicas and the probe that watches them.
type replicaSet struct {
	replicas []*replica
	maxLag   time.Duration
	next     atomic.Uint64 // round robin
	primary  atomic.Uint64 // read-only queries that ran on the primary
	log      *slog.Logger

	// history holds the primary's write position at each probe, oldest
	// first, going back a little more than maxLag.
	history []positionAt

	stop chan struct{}
	done chan struct{}
}

type positionAt struct {
	at  time.Time
	pos WritePosition
}

// ReplicaConfig tunes read replicas; zero values take the defaults.
type ReplicaConfig struct {
	// MaxLag is how far a replica may trail the primary and still serve.
	MaxLag time.Duration
	// Probe is how often the replicas are probed.
	Probe time.Duration
	// Logger receives a line when a replica goes out of or back into
	// service (nil: none).
	Logger *slog.Logger
}

func openReplicas(ctx context.Context, primary *sql.DB, urls []string, cfg ReplicaConfig) (*replicaSet, error) {
	if cfg.MaxLag <= 0 {
		cfg.MaxLag = DefaultReplicaMaxLag
	}
	if cfg.Probe <= 0 {
		cfg.Probe = DefaultReplicaProbe
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	rs := &replicaSet{maxLag: cfg.MaxLag, log: cfg.Logger, stop: make(chan struct{}), done: make(chan struct{})}
	for _, raw := range urls {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		if !strings.HasPrefix(raw, "postgres://") && !strings.HasPrefix(raw, "postgresql://") {
			rs.closeAll()
			return nil, fmt.Errorf("replica URL %q: want postgres://…", redact(raw))
		}
		db, err := sql.Open("pgx", withConnectTimeout(raw))
		if err != nil {
			rs.closeAll()
			return nil, fmt.Errorf("bad replica URL %s: %w", redact(raw), err)
		}
		db.SetMaxOpenConns(32)
		db.SetMaxIdleConns(32)
		db.SetConnMaxIdleTime(5 * time.Minute)
		db.SetConnMaxLifetime(time.Hour)
		rs.replicas = append(rs.replicas, &replica{name: replicaName(raw), db: db, reason: "not probed yet"})
	}
	if len(rs.replicas) == 0 {
		return nil, nil
	}
	// One probe before serving: a replica that is down at start is known
	// to be, and one that is well serves from the first request.
	rs.probe(ctx, primary)
	go rs.watch(primary, cfg.Probe)
	return rs, nil
}

// withConnectTimeout bounds connecting to a replica (unless the URL does):
// a replica whose host is gone must cost a read seconds, not the minutes
// of the system's TCP timeout, before it runs on the primary.
func withConnectTimeout(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	if q.Get("connect_timeout") != "" {
		return raw
	}
	q.Set("connect_timeout", "2")
	u.RawQuery = q.Encode()
	return u.String()
}

func replicaName(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "replica"
	}
	return u.Host
}

func (rs *replicaSet) watch(primary *sql.DB, every time.Duration) {
	defer close(rs.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-rs.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), every+time.Second)
			rs.probe(ctx, primary)
			cancel()
		}
	}
}

// probe reads the primary's write position and each replica's replay
// position, and puts into service the replicas that have replayed what
// the primary had written maxLag ago.
func (rs *replicaSet) probe(ctx context.Context, primary *sql.DB) {
	now := time.Now()
	if pos, err := primaryPosition(ctx, primary); err == nil {
		rs.history = append(rs.history, positionAt{at: now, pos: pos})
	}
	// The bound: the newest position at least maxLag old, or, early on,
	// the oldest known.
	var bound, current WritePosition
	keepFrom := 0
	for i, h := range rs.history {
		if now.Sub(h.at) >= rs.maxLag || i == 0 {
			bound = h.pos
			keepFrom = max(0, i-1)
		}
		current = h.pos
	}
	rs.history = rs.history[keepFrom:]
	for _, r := range rs.replicas {
		replayed, err := replayPosition(ctx, r.db)
		r.mu.Lock()
		was := r.healthy
		switch {
		case err != nil:
			r.healthy, r.reason = false, err.Error()
		case len(rs.history) == 0:
			r.healthy, r.reason = false, "the primary's write position is unknown"
		case replayed < bound:
			r.healthy, r.reason = false, fmt.Sprintf("lags more than %s behind the primary", rs.maxLag)
		default:
			r.healthy, r.reason = true, ""
		}
		if err == nil {
			r.replayed = replayed
			r.lagBytes = 0
			if current > replayed {
				r.lagBytes = uint64(current - replayed)
			}
		}
		now, reason := r.healthy, r.reason
		r.mu.Unlock()
		if was != now {
			if now {
				rs.log.Info("read replica in service", "replica", r.name)
			} else {
				rs.log.Warn("read replica out of service: reads go to the primary", "replica", r.name, "reason", reason)
			}
		}
	}
}

// replayPosition asks a replica how far it has replayed. A server that is
// not in recovery is no replica (or was promoted): it must not serve as
// one, since it no longer follows the primary.
func replayPosition(ctx context.Context, db *sql.DB) (WritePosition, error) {
	var recovering bool
	var lsn sql.NullString
	err := db.QueryRowContext(ctx, "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text").Scan(&recovering, &lsn)
	if err != nil {
		return 0, normalize(err)
	}
	if !recovering || !lsn.Valid {
		return 0, errors.New("not a streaming replica (not in recovery)")
	}
	return ParseWritePosition(lsn.String)
}

// pick chooses a replica for a read that must see after, or nil for the
// primary.
func (rs *replicaSet) pick(after WritePosition) *replica {
	n := len(rs.replicas)
	start := int(rs.next.Add(1))
	for i := range n {
		if r := rs.replicas[(start+i)%n]; r.usable(after) {
			return r
		}
	}
	return nil
}

func (rs *replicaSet) close() error {
	close(rs.stop)
	<-rs.done
	return rs.closeAll()
}

func (rs *replicaSet) closeAll() error {
	var errs []error
	for _, r := range rs.replicas {
		errs = append(errs, r.db.Close())
	}
	return errors.Join(errs...)
}

// reader picks where a query of ctx outside a transaction runs: a replica
// when ctx is read-only and one can serve it, the primary pool otherwise.
func (s *Store) reader(ctx context.Context) *replica {
	if s.replicas == nil {
		return nil
	}
	route := routeOf(ctx)
	if route == nil {
		return nil
	}
	if !route.wrote.Load() {
		if r := s.replicas.pick(route.after); r != nil {
			return r
		}
	}
	s.replicas.primary.Add(1)
	return nil
}

// replicaFailed decides what an error of a query on a replica means: true
// when the query is to be run again on the primary, which is every error but
// a missing row and the caller's own cancellation. An error that says the
// replica cannot serve (unreachable, shutting down) takes it out of service
// until a probe finds it well; a SQL error, or a query cancelled because of
// a conflict with recovery, does not.
func (s *Store) replicaFailed(ctx context.Context, r *replica, err error) bool {
	if err == nil || errors.Is(err, sql.ErrNoRows) || errors.Is(err, ErrNotFound) || ctx.Err() != nil {
		return false
	}
	r.fallbacks.Add(1)
	s.replicas.primary.Add(1)
	if replicaDown(err) {
		r.markDown(err.Error())
		s.replicas.log.Warn("read replica failed: reads go to the primary", "replica", r.name, "err", err)
	}
	return true
}

// replicaDown says whether err means the server cannot serve queries.
func replicaDown(err error) bool {
	code := ""
	var pgErr *pgconn.PgError
	var coded *codedError
	switch {
	case errors.As(err, &pgErr):
		code = pgErr.Code
	case errors.As(err, &coded):
		code = coded.code
	case errors.Is(err, ErrRetryable), errors.Is(err, ErrConflict), errors.Is(err, ErrForeignKey), errors.Is(err, ErrCheck):
		return false
	default:
		return true // not an answer from the server: connection trouble
	}
	// Class 57: operator intervention (shutdown, crash); class 08:
	// connection exception.
	return strings.HasPrefix(code, "57") || strings.HasPrefix(code, "08")
}

// ReplicaStatus is what the probes know of one replica, for metrics.
type ReplicaStatus struct {
	// Name is the replica's host:port.
	Name string
	// Healthy says whether it serves reads now.
	Healthy bool
	// LagBytes is how far it trailed the primary at the last probe.
	LagBytes uint64
	// Reads counts the queries it served; Fallbacks those that failed on
	// it and ran on the primary.
	Reads, Fallbacks uint64
}

// ReplicaStatus describes each replica (none without replicas) and counts
// the read-only queries that ran on the primary instead.
func (s *Store) ReplicaStatus() (replicas []ReplicaStatus, primaryReads uint64) {
	if s.replicas == nil {
		return nil, 0
	}
	for _, r := range s.replicas.replicas {
		r.mu.Lock()
		st := ReplicaStatus{Name: r.name, Healthy: r.healthy, LagBytes: r.lagBytes}
		r.mu.Unlock()
		st.Reads, st.Fallbacks = r.reads.Load(), r.fallbacks.Load()
		replicas = append(replicas, st)
	}
	return replicas, s.replicas.primary.Load()
}
