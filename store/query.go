package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/finsam/finsam/audit"
)

// Querier runs SQL. Both *Store (outside a transaction, on the read pool) and
// *Tx implement it, so read helpers work inside and outside transactions.
// Every error it returns is normalised.
type Querier interface {
	Exec(ctx context.Context, query string, args ...any) (sql.Result, error)
	Query(ctx context.Context, query string, args ...any) (*Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) *Row
}

// Rows wraps sql.Rows so that iteration errors are normalised too.
type Rows struct{ rows *sql.Rows }

// Next prepares the next row; see sql.Rows.Next.
func (r *Rows) Next() bool { return r.rows.Next() }

// Scan copies the current row into dest.
func (r *Rows) Scan(dest ...any) error { return normalize(r.rows.Scan(dest...)) }

// Err reports an error met during iteration.
func (r *Rows) Err() error { return normalize(r.rows.Err()) }

// Columns names the result's columns.
func (r *Rows) Columns() ([]string, error) {
	cols, err := r.rows.Columns()
	return cols, normalize(err)
}

// Close releases the rows. It is safe to call more than once.
func (r *Rows) Close() error { return normalize(r.rows.Close()) }

// Row wraps sql.Row; Scan reports ErrNotFound when there was no row.
type Row struct {
	row *sql.Row
	// fallback, for a row read on a replica, runs the query again on the
	// primary when the error calls for it (nil: it does not).
	fallback func(err error) *sql.Row
}

// Scan copies the row into dest, or returns ErrNotFound.
func (r *Row) Scan(dest ...any) error {
	err := r.row.Scan(dest...)
	if err != nil && r.fallback != nil {
		if row := r.fallback(err); row != nil {
			err = row.Scan(dest...)
		}
	}
	return normalize(err)
}

// queryList runs a query and reads each row with scan, which gets the
// row's Scan. The package's list reads share it.
func queryList[T any](ctx context.Context, q Querier, scan func(func(...any) error) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.Query(ctx, query, args...)
	return collect(rows, err, func(rows *Rows) (T, error) { return scan(rows.Scan) })
}

// queryRows is queryList for a row read straight into a T: dest gives
// the T's fields in the order of the query's columns.
func queryRows[T any](ctx context.Context, q Querier, dest func(*T) []any, query string, args ...any) ([]T, error) {
	return queryList(ctx, q, func(scan func(...any) error) (T, error) {
		var v T
		err := scan(dest(&v)...)
		return v, err
	}, query, args...)
}

// queryRowsUTC is queryRows for a T with times among its fields, which
// it hands out in UTC as scanUTC does.
func queryRowsUTC[T any](ctx context.Context, q Querier, dest func(*T) []any, query string, args ...any) ([]T, error) {
	return queryList(ctx, q, func(scan func(...any) error) (T, error) {
		var v T
		err := scanUTC(scan, dest(&v)...)
		return v, err
	}, query, args...)
}

// scanUTC reads a row into dest with scan and turns each time.Time among
// dest to UTC: the package hands out every time it reads in UTC, whatever
// zone the driver gave it in.
func scanUTC(scan func(...any) error, dest ...any) error {
	err := scan(dest...)
	for _, d := range dest {
		if t, ok := d.(*time.Time); ok {
			*t = t.UTC()
		}
	}
	return err
}

type sqlRunner interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func execOn(ctx context.Context, r sqlRunner, query string, args []any) (sql.Result, error) {
	res, err := r.ExecContext(ctx, query, args...)
	return res, normalize(err)
}

func queryOn(ctx context.Context, r sqlRunner, query string, args []any) (*Rows, error) {
	rows, err := r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, normalize(err)
	}
	return &Rows{rows: rows}, nil
}

// Exec runs a statement outside a transaction on the writer. Prefer Tx for
// anything that writes more than one row.
func (s *Store) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	noteWrite(ctx)
	return execOn(ctx, s.write, query, args)
}

// Query runs a read-only query on the read pool, or on a replica when ctx
// is read-only (see ReadOnly).
func (s *Store) Query(ctx context.Context, query string, args ...any) (*Rows, error) {
	if r := s.reader(ctx); r != nil {
		rows, err := r.db.QueryContext(ctx, query, args...)
		if err == nil {
			r.reads.Add(1)
			return &Rows{rows: rows}, nil
		}
		if !s.replicaFailed(ctx, r, err) {
			return nil, normalize(err)
		}
	}
	return queryOn(ctx, s.read, query, args)
}

// QueryRow runs a read-only single-row query on the read pool, or on a
// replica when ctx is read-only (see ReadOnly).
func (s *Store) QueryRow(ctx context.Context, query string, args ...any) *Row {
	if r := s.reader(ctx); r != nil {
		r.reads.Add(1)
		return &Row{row: r.db.QueryRowContext(ctx, query, args...), fallback: func(err error) *sql.Row {
			if !s.replicaFailed(ctx, r, err) {
				return nil
			}
			return s.read.QueryRowContext(ctx, query, args...)
		}}
	}
	return &Row{row: s.read.QueryRowContext(ctx, query, args...)}
}

// Tx is a database transaction handed to the function given to Store.Tx.
type Tx struct {
	tx      *sql.Tx
	dialect Dialect
	store   *Store
	// sealed are the audit checkpoints the transaction wrote, for the
	// anchor once it has committed.
	sealed []audit.Checkpoint
}

// execPrepared runs a hot write statement. On SQLite it reuses a statement
// prepared once on the single writer connection (preparing costs about as
// much as running a small statement), when Prepare has made one; otherwise,
// and on PostgreSQL (pgx caches statements by itself), it runs the query.
func (t *Tx) execPrepared(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if stmt := t.preparedStmt(query); stmt != nil {
		res, err := t.tx.StmtContext(ctx, stmt).ExecContext(ctx, args...)
		return res, normalize(err)
	}
	return t.Exec(ctx, query, args...)
}

// queryRowPrepared is execPrepared for a single-row query.
func (t *Tx) queryRowPrepared(ctx context.Context, query string, args ...any) *Row {
	if stmt := t.preparedStmt(query); stmt != nil {
		return &Row{row: t.tx.StmtContext(ctx, stmt).QueryRowContext(ctx, args...)}
	}
	return t.QueryRow(ctx, query, args...)
}

func (t *Tx) preparedStmt(query string) *sql.Stmt {
	if t.dialect != SQLite || t.store == nil {
		return nil
	}
	if st, ok := t.store.stmts.Load(query); ok {
		return st.(*sql.Stmt)
	}
	return nil
}

// Prepare prepares hot statements on the SQLite writer connection for
// execPrepared. It must not be called inside a transaction: the writer has
// one connection, which the transaction holds.
func (s *Store) Prepare(ctx context.Context, queries ...string) error {
	if s.target.Dialect != SQLite {
		return nil
	}
	for _, q := range queries {
		if _, ok := s.stmts.Load(q); ok {
			continue
		}
		st, err := s.write.PrepareContext(ctx, q)
		if err != nil {
			return normalize(err)
		}
		if _, loaded := s.stmts.LoadOrStore(q, st); loaded {
			st.Close()
		}
	}
	return nil
}

// Dialect says which database the transaction runs on.
func (t *Tx) Dialect() Dialect { return t.dialect }

// Exec runs a statement in the transaction.
func (t *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return execOn(ctx, t.tx, query, args)
}

// Query runs a query in the transaction.
func (t *Tx) Query(ctx context.Context, query string, args ...any) (*Rows, error) {
	return queryOn(ctx, t.tx, query, args)
}

// QueryRow runs a single-row query in the transaction.
func (t *Tx) QueryRow(ctx context.Context, query string, args ...any) *Row {
	return &Row{row: t.tx.QueryRowContext(ctx, query, args...)}
}

// InsertID runs an INSERT that must end in "RETURNING id" and returns the new
// id. Both PostgreSQL and SQLite (3.35+) support RETURNING.
func (t *Tx) InsertID(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := t.QueryRow(ctx, query, args...).Scan(&id)
	return id, err
}

// scanAll runs a query and hands each row to scan, stopping at the first
// error. It closes the rows.
func scanAll(ctx context.Context, q Querier, query string, args []any, scan func(r *Rows) error) error {
	r, err := q.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer r.Close()
	for r.Next() {
		if err := scan(r); err != nil {
			return err
		}
	}
	return r.Err()
}

// collect reads every row of a query into a slice: rows and err are what
// Query returned, scan reads one row. It closes the rows.
func collect[T any](rows *Rows, err error, scan func(rows *Rows) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
