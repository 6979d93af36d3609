package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/finsam/finsam/audit"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Config says which database to open. It is the same for every command, so
// that `finsam <cmd> --data DIR` always means the same database.
type Config struct {
	// DataDir is finsam's data folder. The embedded database lives there as
	// finsam.db unless DatabaseURL names another.
	DataDir string
	// DatabaseURL selects the database: empty for the embedded SQLite file,
	// postgres:// or postgresql:// for PostgreSQL, sqlite:PATH for a SQLite
	// file elsewhere.
	DatabaseURL string
	// ReplicaURLs are PostgreSQL streaming replicas of DatabaseURL for
	// read-only work (see ReadOnly); empty for none. SQLite has none.
	ReplicaURLs []string
	// Replicas tunes the replicas' lag bound and probes.
	Replicas ReplicaConfig
}

// Target is a resolved Config: the dialect and where the database is.
type Target struct {
	Dialect Dialect
	// Path is the SQLite file (empty for PostgreSQL).
	Path string
	// URL is the PostgreSQL connection string (empty for SQLite).
	URL string
}

// Resolve turns a Config into a Target without touching the disk or network.
func (c Config) Resolve() (Target, error) {
	raw := strings.TrimSpace(c.DatabaseURL)
	if raw == "" {
		dir := c.DataDir
		if dir == "" {
			dir = "data"
		}
		return Target{Dialect: SQLite, Path: filepath.Join(dir, "finsam.db")}, nil
	}
	scheme, rest, ok := strings.Cut(raw, ":")
	if !ok {
		return Target{}, fmt.Errorf("database URL %q has no scheme: use postgres://… or leave it empty for the embedded SQLite file", redact(raw))
	}
	switch strings.ToLower(scheme) {
	case "postgres", "postgresql":
		return Target{Dialect: Postgres, URL: raw}, nil
	case "sqlite", "file":
		p := strings.TrimPrefix(rest, "//")
		if p == "" {
			return Target{}, fmt.Errorf("database URL %q names no file", raw)
		}
		return Target{Dialect: SQLite, Path: p}, nil
	default:
		return Target{}, fmt.Errorf("unknown database URL scheme %q: use postgres://… for PostgreSQL or leave the URL empty for the embedded SQLite file", scheme)
	}
}

// String describes the target for logs, without a password.
func (t Target) String() string {
	if t.Dialect == Postgres {
		return "postgres " + redact(t.URL)
	}
	return "sqlite " + t.Path
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Store is finsam's handle on its database. It is safe for concurrent use.
type Store struct {
	target Target
	// read serves queries; for SQLite it is a pool of read-only connections.
	read *sql.DB
	// write serves transactions; for SQLite it holds a single connection so
	// that writers queue in Go instead of failing with SQLITE_BUSY. For
	// PostgreSQL it is the same pool as read.
	write *sql.DB
	// lock is held shared while a SQLite database is open (see lockFile).
	lock *fileLock

	closeOnce sync.Once
	closeErr  error

	// stmts caches statements prepared on the SQLite writer (see prepared).
	stmts sync.Map

	// anchor receives the audit log's checkpoints once committed (see
	// SetAuditAnchor); nil for none.
	anchor        audit.Anchor
	anchorFailed  func(error)
	anchorMu      sync.Mutex
	anchorPending *audit.Checkpoint // the newest checkpoint the anchor refused
	anchoredSeq   int64             // the newest checkpoint the anchor took

	// replicas serve read-only work (PostgreSQL only); nil for none.
	replicas *replicaSet

	// reruns counts the transactions run again after the database aborted
	// them (see Reruns).
	reruns atomic.Uint64
}

// Reruns is how many times a transaction was run again because the
// database aborted it for a concurrent one (a serialization failure, a
// deadlock, SQLite busy), since the store was opened: writers that keep
// conflicting show here before any gives up.
func (s *Store) Reruns() uint64 { return s.reruns.Load() }

// Open connects to the database the config names. It does not migrate; call
// Migrate for that. A SQLite data folder is created if missing.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	t, err := cfg.Resolve()
	if err != nil {
		return nil, err
	}
	hasReplicas := slices.ContainsFunc(cfg.ReplicaURLs, func(u string) bool { return strings.TrimSpace(u) != "" })
	switch {
	case t.Dialect == Postgres:
		st, err := openPostgres(ctx, t)
		if err != nil || !hasReplicas {
			return st, err
		}
		st.replicas, err = openReplicas(ctx, st.write, cfg.ReplicaURLs, cfg.Replicas)
		if err != nil {
			st.Close()
			return nil, err
		}
		return st, nil
	case hasReplicas:
		return nil, errors.New("read replicas need PostgreSQL: the embedded SQLite database has none")
	default:
		return openSQLite(ctx, t)
	}
}

func openSQLite(ctx context.Context, t Target) (*Store, error) {
	dir := filepath.Dir(t.Path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("cannot create data folder %s: %w; choose another with --data", dir, errors.Unwrap(err))
	}
	probe, err := os.CreateTemp(dir, ".finsam-write-test-*")
	if err != nil {
		return nil, fmt.Errorf("data folder %s is not writable; choose another with --data or fix its permissions", dir)
	}
	probe.Close()
	os.Remove(probe.Name())
	lock, err := lockFile(t.Path, false)
	if err != nil {
		return nil, err
	}
	st, err := openSQLiteFile(ctx, t)
	if err != nil {
		lock.release()
		return nil, err
	}
	st.lock = lock
	return st, nil
}

func openSQLiteFile(ctx context.Context, t Target) (*Store, error) {
	// busy_timeout first: the pragmas after it may need to wait for a lock.
	// (modernc.org/sqlite runs busy_timeout before the other _pragma values.)
	base := "file:" + (&url.URL{Path: t.Path}).EscapedPath() + "?" +
		"_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
		"&_pragma=foreign_keys(ON)&_time_format=sqlite"
	// The one writer gets a 64 MiB page cache (the default is 2 MiB): the
	// nightly recompute rewrites rows and indexes all over the file.
	write, err := sql.Open("sqlite", base+"&_pragma=cache_size(-65536)&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, sqliteOpenError(t.Path, err)
	}
	// Touch the schema: a file that is not a database fails here, not later.
	if _, err := write.ExecContext(ctx, "SELECT count(*) FROM sqlite_master"); err != nil {
		write.Close()
		return nil, sqliteOpenError(t.Path, err)
	}
	read, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, err
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	read.SetConnMaxIdleTime(5 * time.Minute)
	return &Store{target: t, read: read, write: write}, nil
}

func sqliteOpenError(path string, err error) error {
	err = normalize(err)
	if errors.Is(err, ErrCorrupt) {
		return fmt.Errorf("%s is not a valid finsam database (%w): restore it from a backup with `finsam restore FILE`", path, ErrCorrupt)
	}
	return fmt.Errorf("cannot open %s: %w", path, err)
}

func openPostgres(ctx context.Context, t Target) (*Store, error) {
	db, err := sql.Open("pgx", t.URL)
	if err != nil {
		return nil, fmt.Errorf("bad PostgreSQL URL %s: %w", redact(t.URL), err)
	}
	db.SetMaxOpenConns(32)
	// As many idle as open: requests that wait for their audit batch hand
	// their connections back in bursts, and closing the ones beyond a
	// smaller idle limit made PostgreSQL start a new backend for each
	// (ADR 8: the parallel audited benchmark went from +52–179 % to −23–+19 %).
	db.SetMaxIdleConns(32)
	db.SetConnMaxIdleTime(5 * time.Minute)
	db.SetConnMaxLifetime(time.Hour)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot reach PostgreSQL at %s: %w", redact(t.URL), normalize(err))
	}
	return &Store{target: t, read: db, write: db}, nil
}

var _ = stdlib.GetDefaultDriver // the pgx driver is registered by importing stdlib

// Dialect says which database this is.
func (s *Store) Dialect() Dialect { return s.target.Dialect }

// Target says where the database is.
func (s *Store) Target() Target { return s.target }

// Close closes all connections. For SQLite it also checkpoints the WAL so
// that the database file is complete on its own. Closing twice is harmless.
func (s *Store) Close() error {
	s.closeOnce.Do(func() { s.closeErr = s.close() })
	return s.closeErr
}

func (s *Store) close() error {
	var errs []error
	s.stmts.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
	if s.target.Dialect == SQLite {
		if _, err := s.write.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			errs = append(errs, normalize(err))
		}
		errs = append(errs, s.read.Close())
	}
	errs = append(errs, s.write.Close())
	s.lock.release()
	if s.replicas != nil {
		errs = append(errs, s.replicas.close())
	}
	if s.anchor != nil {
		errs = append(errs, s.anchor.Close())
	}
	return errors.Join(errs...)
}

// Ping checks that the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return normalize(err)
	}
	return nil
}

// PoolStats returns the connection pool statistics by pool name ("read" and
// "write" for SQLite, "main" for PostgreSQL), for metrics.
func (s *Store) PoolStats() map[string]sql.DBStats {
	if s.read == s.write {
		return map[string]sql.DBStats{"main": s.read.Stats()}
	}
	return map[string]sql.DBStats{"read": s.read.Stats(), "write": s.write.Stats()}
}
