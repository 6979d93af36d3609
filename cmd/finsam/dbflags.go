package main

import (
	"context"
	"flag"
	"fmt"

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
