package store

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Sentinel errors. Callers test them with errors.Is; the wrapped message may
// add detail (which constraint, which table) but the driver error itself never
// escapes.
var (
	// ErrNotFound is returned when a row that was asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict is a unique or primary-key violation.
	ErrConflict = errors.New("already exists")
	// ErrForeignKey is a foreign-key violation: a referenced row is missing,
	// or a row that others refer to was deleted.
	ErrForeignKey = errors.New("referenced row missing or still referenced")
	// ErrCheck is a CHECK or NOT NULL constraint violation.
	ErrCheck = errors.New("value not allowed")
	// ErrRetryable marks a transaction the database aborted because of a
	// concurrent one (SQLITE_BUSY, serialization failure, deadlock). Tx retries
	// these; it is returned only when the retries ran out.
	ErrRetryable = errors.New("concurrent update, try again")
	// ErrCorrupt means the database file is not a (valid) SQLite database.
	ErrCorrupt = errors.New("database file is corrupt or not a database")
	// ErrUnavailable means the database server could not be reached.
	ErrUnavailable = errors.New("database unavailable")
)

// normalize maps a driver error onto the package's sentinel errors. Errors
// that match none are wrapped so that the driver type is no longer reachable
// through errors.As by accident of the caller.
func normalize(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	var sqliteErr *sqlite.Error
	if errors.As(err, &sqliteErr) {
		code := sqliteErr.Code()
		switch code {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %s", ErrConflict, sqliteErr.Error())
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return fmt.Errorf("%w: %s", ErrForeignKey, sqliteErr.Error())
		case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return fmt.Errorf("%w: %s", ErrCheck, sqliteErr.Error())
		}
		switch code & 0xff { // primary result code
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return fmt.Errorf("%w: %s", ErrRetryable, sqliteErr.Error())
		case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
			return fmt.Errorf("%w: %s", ErrCorrupt, sqliteErr.Error())
		}
		return fmt.Errorf("sqlite: %s", sqliteErr.Error())
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return fmt.Errorf("%w: %s", ErrConflict, pgErr.ConstraintName)
		case "23503":
			return fmt.Errorf("%w: %s", ErrForeignKey, pgErr.ConstraintName)
		case "23514", "23502":
			return fmt.Errorf("%w: %s %s", ErrCheck, pgErr.ConstraintName, pgErr.ColumnName)
		case "40001", "40P01":
			return fmt.Errorf("%w: %s", ErrRetryable, pgErr.Message)
		}
		return &codedError{code: pgErr.Code, msg: pgErr.Message}
	}
	var connErr *pgconn.ConnectError
	if errors.As(err, &connErr) {
		return fmt.Errorf("%w: %s", ErrUnavailable, connErr.Error())
	}
	return err
}

// codedError is a PostgreSQL error that maps onto no sentinel. It keeps the
// SQLSTATE for this package (see replicaDown) without exposing the driver's
// type.
type codedError struct{ code, msg string }

func (e *codedError) Error() string { return "postgres " + e.code + ": " + e.msg }
