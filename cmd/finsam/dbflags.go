package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/store"
)

// dbFlags are the flags every database command shares, so that
// `finsam <cmd> --data DIR` always means the database `finsam serve --data
// DIR` uses.
type dbFlags struct {
	data     string
	database string
}

func (d *dbFlags) register(fs *flag.FlagSet, e *env) {
	dataDefault := e.getenv("FINSAM_DATA")
	if dataDefault == "" {
		dataDefault = "data"
	}
	fs.StringVar(&d.data, "data", dataDefault, "data folder; the embedded database is `DIR`/finsam.db (env FINSAM_DATA)")
	fs.StringVar(&d.database, "database", e.getenv("FINSAM_DATABASE_URL"),
		"database `URL`: empty for the embedded SQLite file, postgres://user@host/db for PostgreSQL (env FINSAM_DATABASE_URL)")
}

func (d *dbFlags) config() store.Config {
	return store.Config{DataDir: d.data, DatabaseURL: d.database}
}

// open connects to the database and, unless migrate is false, brings the
// schema up to date; without migrating it checks that the schema fits.
func (d *dbFlags) open(ctx context.Context, migrate bool) (*store.Store, error) {
	st, err := store.Open(ctx, d.config())
	if err != nil {
		return nil, err
	}
	if migrate {
		_, err = st.Migrate(ctx)
	} else {
		err = st.CheckSchema(ctx)
	}
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("%s: %w", st.Target(), err)
	}
	return st, nil
}

// keyFlags locate the master secret that signs the audit log and
// pseudonymises persons in it. It lives outside the database on purpose:
// whoever can write the database must not be able to re-sign the log.
type keyFlags struct {
	file string
	data *dbFlags
}

func (k *keyFlags) register(fs *flag.FlagSet, e *env, db *dbFlags) {
	k.data = db
	fs.StringVar(&k.file, "secret-file", e.getenv("FINSAM_SECRET_FILE"),
		"`FILE` with the master secret that signs the audit log (env FINSAM_SECRET_FILE; default DIR/finsam.key). Back it up apart from the database.")
}

func (k *keyFlags) path() string {
	if k.file != "" {
		return k.file
	}
	return filepath.Join(k.data.data, "finsam.key")
}

// load reads the master secret; with create, a missing file is made with a
// new random secret (mode 0600).
func (k *keyFlags) load(create bool) (*audit.Keys, error) {
	p := k.path()
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) && create {
		secret := make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			return nil, fmt.Errorf("cannot create %s: %w", filepath.Dir(p), err)
		}
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, fmt.Errorf("cannot create the secret file %s: %w", p, err)
		}
		_, err = fmt.Fprintln(f, base64.StdEncoding.EncodeToString(secret))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, err
		}
		return audit.NewKeys(secret)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the secret file %s (%v): the audit log is signed with it; give its place with --secret-file", p, errors.Unwrap(err))
	}
	secret, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(secret) < 32 {
		return nil, fmt.Errorf("the secret file %s does not hold a base64 secret of at least 32 bytes", p)
	}
	return audit.NewKeys(secret)
}
