package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ErrNotBackup means a file offered to Restore is not a finsam backup.
var ErrNotBackup = errors.New("not a finsam backup")

// Backup writes a consistent copy of a SQLite database to path while the
// database stays in use (VACUUM INTO reads one snapshot). The file must not
// exist yet. PostgreSQL databases are backed up with pg_dump instead.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.target.Dialect != SQLite {
		return errors.New("finsam backup copies the embedded SQLite database; back up PostgreSQL with pg_dump")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s already exists: choose a new file name", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	// The read pool is query_only, which VACUUM INTO respects on the target
	// file too in recent SQLite; the writer connection is the safe choice.
	if _, err := s.write.ExecContext(ctx, "VACUUM INTO $1", abs); err != nil {
		os.Remove(abs)
		return fmt.Errorf("backup to %s: %w", path, normalize(err))
	}
	return nil
}

// sqliteHeader is the magic string every SQLite 3 file starts with.
var sqliteHeader = []byte("SQLite format 3\x00")

// CheckBackup verifies that path is a finsam backup this binary can restore:
// a SQLite file with finsam's application id, that passes SQLite's integrity
// check and whose schema is not newer than this binary.
func CheckBackup(ctx context.Context, path string) (version int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	hdr := make([]byte, 100)
	_, err = io.ReadFull(f, hdr)
	f.Close()
	if err != nil || !bytes.Equal(hdr[:16], sqliteHeader) {
		return 0, fmt.Errorf("%s: %w (not a SQLite database)", path, ErrNotBackup)
	}
	if id := binary.BigEndian.Uint32(hdr[68:72]); id != sqliteApplicationID {
		return 0, fmt.Errorf("%s: %w (a SQLite database of another program)", path, ErrNotBackup)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=query_only(1)")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var check string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		return 0, fmt.Errorf("%s: %w (integrity check failed: %s)", path, ErrNotBackup, firstLine(check, err))
	}
	if err := db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&version); err != nil {
		return 0, fmt.Errorf("%s: %w (no schema version)", path, ErrNotBackup)
	}
	if version > LatestVersion() {
		return version, tooNew(version)
	}
	return version, nil
}

func firstLine(s string, err error) string {
	if err != nil {
		return normalize(err).Error()
	}
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// Restore replaces the SQLite database of cfg with the backup at path. The
// database must not be in use: Restore takes an exclusive lock to make sure
// no server is running on it. The replacement is atomic (a rename), so an
// interrupted restore leaves the old database in place.
func Restore(ctx context.Context, cfg Config, path string) error {
	t, err := cfg.Resolve()
	if err != nil {
		return err
	}
	if t.Dialect != SQLite {
		return errors.New("finsam restore replaces the embedded SQLite database; restore PostgreSQL with pg_restore or psql")
	}
	if _, err := CheckBackup(ctx, path); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(t.Path), 0o750); err != nil {
		return fmt.Errorf("cannot create data folder: %w", err)
	}
	lock, err := lockFile(t.Path, true)
	if err != nil {
		return err
	}
	defer lock.release()
	tmp, err := os.CreateTemp(filepath.Dir(t.Path), ".finsam-restore-*")
	if err != nil {
		return fmt.Errorf("data folder is not writable: %w", err)
	}
	defer os.Remove(tmp.Name())
	src, err := os.Open(path)
	if err != nil {
		tmp.Close()
		return err
	}
	_, err = io.Copy(tmp, src)
	src.Close()
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("copy backup: %w", err)
	}
	// A WAL left from the old database would be replayed onto the new file.
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(t.Path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if err := os.Rename(tmp.Name(), t.Path); err != nil {
		return fmt.Errorf("replace database: %w", err)
	}
	return nil
}
