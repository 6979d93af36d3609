package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// maxAttempts bounds how often Tx runs a transaction that keeps being aborted
// by concurrent ones. With the backoff below the last attempt starts about
// seven seconds after the first: writers that all append to the audit
// chain's one head row can abort each other many times in a row when the
// machine is short of CPU, and a write given up is a user's work lost.
const maxAttempts = 20

// Tx runs fn in a read-write transaction and commits it if fn returns nil.
// When the database aborts the transaction because of a concurrent one
// (SQLITE_BUSY/LOCKED, PostgreSQL serialization failure 40001 or deadlock
// 40P01) the whole function is run again in a new transaction, so fn must not
// have effects outside the database. PostgreSQL transactions run at
// SERIALIZABLE isolation; SQLite transactions are serialized by the single
// writer connection and BEGIN IMMEDIATE, so both dialects give the same
// guarantee.
func (s *Store) Tx(ctx context.Context, fn func(tx *Tx) error) error {
	var opts *sql.TxOptions
	if s.target.Dialect == Postgres {
		opts = &sql.TxOptions{Isolation: sql.LevelSerializable}
	}
	return s.runTx(ctx, opts, fn)
}

// LockedTx runs fn at READ COMMITTED on PostgreSQL, for transactions that
// serialise themselves with row locks (SELECT … FOR UPDATE, as LockPersons
// and AppendAudit take) and need none of SERIALIZABLE's bookkeeping; on
// SQLite it is Tx. Under SERIALIZABLE every two writers that append to
// the audit chain at once conflict on its head, and one of them runs
// again; here the second waits for the first's head and goes on. fn must
// lock what its reads decide on before it reads it: nothing else orders it
// against a concurrent writer. Like Tx, it runs fn again when the database
// aborts it (a deadlock, a unique key taken meanwhile).
func (s *Store) LockedTx(ctx context.Context, fn func(tx *Tx) error) error {
	var opts *sql.TxOptions
	if s.target.Dialect == Postgres {
		opts = &sql.TxOptions{Isolation: sql.LevelReadCommitted}
	}
	return s.runTx(ctx, opts, fn)
}

// ReadTx runs fn in a read-only transaction: every query in it sees the same
// snapshot of the database. When ctx is read-only (see ReadOnly) it runs on
// a replica if one can serve, and again on the primary if it fails there,
// so fn must not have effects outside the database.
func (s *Store) ReadTx(ctx context.Context, fn func(tx *Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.target.Dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	if r := s.reader(ctx); r != nil {
		err := s.attemptTx(ctx, r.db, opts, fn)
		if err == nil {
			r.reads.Add(1)
		}
		if !s.replicaFailed(ctx, r, err) {
			return err
		}
	}
	return s.runTx(ctx, opts, fn)
}

func (s *Store) runTx(ctx context.Context, opts *sql.TxOptions, fn func(tx *Tx) error) error {
	db := s.write
	if opts != nil && opts.ReadOnly && s.target.Dialect == SQLite {
		db = s.read
		opts = nil // the read pool is query_only; modernc rejects the ReadOnly option
	}
	backoff := 2 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := s.attemptTx(ctx, db, opts, fn)
		if err == nil || !errors.Is(err, ErrRetryable) {
			return err
		}
		if attempt == maxAttempts {
			return fmt.Errorf("gave up after %d attempts: %w", attempt, err)
		}
		s.reruns.Add(1)
		// Full jitter keeps competing writers from retrying in lockstep.
		sleep := time.Duration(rand.Int64N(int64(backoff))) + backoff/2
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(sleep):
		}
		backoff = min(2*backoff, 500*time.Millisecond)
	}
}

func (s *Store) attemptTx(ctx context.Context, db *sql.DB, opts *sql.TxOptions, fn func(tx *Tx) error) (err error) {
	sqlTx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return normalize(err)
	}
	tx := &Tx{tx: sqlTx, dialect: s.target.Dialect, store: s}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = sqlTx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return normalize(err)
	}
	if err = normalize(sqlTx.Commit()); err != nil {
		return err
	}
	if opts == nil || !opts.ReadOnly {
		noteWrite(ctx)
	}
	// Only now: an anchor must never hold a checkpoint the database lacks.
	s.anchorCheckpoints(context.WithoutCancel(ctx), tx.sealed)
	return nil
}
