package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/ruleset"
	"github.com/finsam/finsam/store"
)

// dbFlags are the flags every database command shares, so that
// `finsam <cmd> --data DIR` always means the database `finsam serve --data
// DIR` uses.
type dbFlags struct {
	data     string
	database string
	replicas string // comma-separated; only serve registers it
	// replicaLog is told when a replica goes out of or into service.
	replicaLog *slog.Logger
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

// registerReplicas adds the read replicas' flag (serve only: the other
// commands write, or read once).
func (d *dbFlags) registerReplicas(fs *flag.FlagSet, e *env) {
	fs.StringVar(&d.replicas, "database-replica-urls", e.getenv("FINSAM_DATABASE_REPLICA_URLS"),
		"PostgreSQL streaming replicas of --database, comma-separated `URLs`: reports, exports and public pages read from them, "+
			"everything else and whoever has just written from the primary; a replica that lags or fails is left for the primary (env FINSAM_DATABASE_REPLICA_URLS)")
}

func (d *dbFlags) config() store.Config {
	cfg := store.Config{DataDir: d.data, DatabaseURL: d.database, Replicas: store.ReplicaConfig{Logger: d.replicaLog}}
	for _, u := range strings.Split(d.replicas, ",") {
		if u = strings.TrimSpace(u); u != "" {
			cfg.ReplicaURLs = append(cfg.ReplicaURLs, u)
		}
	}
	return cfg
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

// openAudited opens the database and the audit log's keys for a command
// that writes the log. setUp brings the schema up to date (db.open's
// migrate) and creates the secret where there is none (keys.open's
// create), as a command that may be the first on a new data folder does.
// The caller closes the store.
func openAudited(ctx context.Context, db *dbFlags, keys *keyFlags, setUp bool) (*store.Store, *audit.Keys, error) {
	st, err := db.open(ctx, setUp)
	if err != nil {
		return nil, nil, err
	}
	auditKeys, err := keys.open(ctx, st, setUp, nil)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, auditKeys, nil
}

// openRules opens the database without migrating it and loads the rules
// with the parameter values stored in it, as the server reads them. The
// caller closes the store.
func openRules(ctx context.Context, db *dbFlags) (*store.Store, *ruleset.Loaded, error) {
	st, err := db.open(ctx, false)
	if err != nil {
		return nil, nil, err
	}
	loaded, err := ruleset.Load(ctx, st)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, loaded, nil
}

// keyFlags locate the master secret that signs the audit log and
// pseudonymises persons in it, and the anchors that keep the log's signed
// checkpoints. Both live outside the database on purpose: whoever can write
// the database must not be able to re-sign the log, nor rewind it unseen.
type keyFlags struct {
	file    string
	data    *dbFlags
	e       *env
	anchors []string // --audit-anchor, in order; empty for the default
	syslog  string
}

// storeFlags registers the flags of the database and of the audit log's
// keys on fs: the keys and anchors live in the database's data folder
// unless their flags say otherwise.
func storeFlags(fs *flag.FlagSet, e *env) (*dbFlags, *keyFlags) {
	db, keys := &dbFlags{}, &keyFlags{}
	db.register(fs, e)
	keys.register(fs, e, db)
	return db, keys
}

// anchorOff turns the anchor file off.
const anchorOff = "off"

func (k *keyFlags) register(fs *flag.FlagSet, e *env, db *dbFlags) {
	k.data = db
	k.e = e
	fs.StringVar(&k.file, "secret-file", e.getenv("FINSAM_SECRET_FILE"),
		"`FILE` with the master secret that signs the audit log (env FINSAM_SECRET_FILE; default DIR/finsam.key). Back it up apart from the database.")
	if v := e.getenv("FINSAM_AUDIT_ANCHOR"); v != "" {
		k.anchors = []string{v}
	}
	fromEnv := len(k.anchors) > 0
	fs.Func("audit-anchor", "append-only `FILE` that keeps a copy of every signed checkpoint of the audit log, out of the database writers' reach, "+
		"or off (env FINSAM_AUDIT_ANCHOR; default DIR/audit-anchor.log). 'audit verify' takes it once per instance that has its own.",
		func(v string) error {
			if fromEnv {
				k.anchors, fromEnv = nil, false
			}
			k.anchors = append(k.anchors, v)
			return nil
		})
	fs.StringVar(&k.syslog, "audit-syslog", e.getenv("FINSAM_AUDIT_SYSLOG"),
		"also send every signed checkpoint of the audit log to syslog: `ADDR` is local, udp://HOST:PORT, tcp://HOST:PORT or unix:///PATH (env FINSAM_AUDIT_SYSLOG)")
}

// anchorPaths are the anchor files the flags name (none when off).
func (k *keyFlags) anchorPaths() ([]string, error) {
	switch {
	case len(k.anchors) == 0:
		return []string{filepath.Join(k.data.data, "audit-anchor.log")}, nil
	case len(k.anchors) == 1 && k.anchors[0] == anchorOff:
		return nil, nil
	case slices.Contains(k.anchors, anchorOff):
		return nil, errors.New("--audit-anchor off cannot be combined with an anchor file")
	}
	return k.anchors, nil
}

// open loads the master secret (see load) and makes st anchor the audit
// checkpoints it writes. It first anchors the newest checkpoint already in
// the database: a crash may have come between a checkpoint's commit and
// its append to the anchor, and the newest covers every entry before it.
// notice is told when the anchor fails, and when a new anchor file starts
// on a log that already has a checkpoint, which is expected only once after
// an upgrade (nil: a note on stderr).
func (k *keyFlags) open(ctx context.Context, st *store.Store, create bool, notice func(string)) (*audit.Keys, error) {
	if notice == nil {
		notice = func(m string) { fmt.Fprintln(k.e.stderr, "note: "+m) }
	}
	keys, err := k.load(create)
	if err != nil {
		return nil, err
	}
	paths, err := k.anchorPaths()
	if err != nil {
		return nil, err
	}
	if len(paths) > 1 {
		return nil, fmt.Errorf("--audit-anchor is given %d times: a command that writes appends to one anchor file (only `audit verify` reads several)", len(paths))
	}
	var anchors audit.Anchors
	created := false
	for _, p := range paths {
		a, c, err := audit.OpenFileAnchor(p)
		if err != nil {
			return nil, err
		}
		anchors, created = append(anchors, a), c
	}
	if k.syslog != "" {
		a, err := audit.DialSyslog(k.syslog)
		if err != nil {
			anchors.Close()
			return nil, err
		}
		anchors = append(anchors, a)
	}
	if len(anchors) == 0 {
		return keys, nil
	}
	st.SetAuditAnchor(anchors, func(err error) { notice("audit anchor: " + err.Error()) })
	c, ok, err := st.AnchorAudit(ctx)
	if err != nil {
		return nil, err
	}
	if ok && created {
		notice(fmt.Sprintf("audit anchor %s was made now, on a log already signed up to entry %d: "+
			"expected on the first start after an upgrade; otherwise the anchor was removed", paths[0], c.Seq))
	}
	return keys, nil
}

// besideDatabase says whether the secret file is in the folder of the
// SQLite database, where it is by default.
func (k *keyFlags) besideDatabase(st *store.Store) bool {
	t := st.Target()
	if t.Dialect != store.SQLite {
		return false
	}
	db, err1 := filepath.Abs(filepath.Dir(t.Path))
	key, err2 := filepath.Abs(filepath.Dir(k.path()))
	return err1 == nil && err2 == nil && db == key
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
