package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/store"
)

func runMigrate(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "migrate", "[up|status] [flags]", `
Brings the database schema up to date (up, the default) or lists every
migration and when it was applied (status). finsam serve migrates on start
by itself; use this to migrate ahead of a rolling upgrade, or to look.`)
	var db dbFlags
	db.register(fs, e)
	// Flags may come before or after the action.
	action := "up"
	if len(args) > 0 && (args[0] == "up" || args[0] == "status") {
		action, args = args[0], args[1:]
	}
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() == 1 && (fs.Arg(0) == "up" || fs.Arg(0) == "status") {
		action = fs.Arg(0)
	} else if err := noArgs(fs); err != nil {
		return err
	}
	st, err := store.Open(ctx, db.config())
	if err != nil {
		return err
	}
	defer st.Close()
	switch action {
	case "status":
		list, err := st.MigrationStatuses(ctx)
		if err != nil {
			return err
		}
		tw := newTable(e.stdout, "VERSION\tNAME\tAPPLIED")
		for _, m := range list {
			applied := "pending"
			if !m.AppliedAt.IsZero() {
				applied = m.AppliedAt.UTC().Format("2006-01-02 15:04:05Z")
			}
			if m.Version > store.LatestVersion() {
				applied += " (unknown to this finsam: upgrade it)"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\n", m.Version, m.Name, applied)
		}
		return tw.Flush()
	default:
		n, err := st.Migrate(ctx)
		if err != nil {
			return fmt.Errorf("%s: %w", st.Target(), err)
		}
		v, _ := st.SchemaVersion(ctx)
		fmt.Fprintf(e.stdout, "applied %d migration(s); %s is at schema version %d\n", n, st.Target(), v)
		return nil
	}
}

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "demo", "[flags]", `
Loads the synthetic demo data set into the configured database (migrating it
first): the demo's users and stories, and the country's offices, a few
associations and some hundred persons with their cases from 'finsam
generate' at a small size. Every person in it is made up: personnummer are generated in the
test series and pass the checksum. The same --seed always gives the same
data. The database must be empty. Demo users get the password in
FINSAM_DEMO_PASSWORD (default "demo").

With --certificates-out FILE it touches no database and writes --count
synthetic certificates as JSON Lines instead, for 'finsam import
certificates --org region-gotland FILE', benchmarks and integration tests.`)
	db, keys := storeFlags(fs, e)
	seed := fs.Uint64("seed", demo.DefaultSeed, "random `seed` of the generator")
	certsOut := fs.String("certificates-out", "", "write synthetic certificates as JSON Lines to `FILE` instead of loading a database")
	count := fs.Int("count", 10000, "how many certificates --certificates-out writes")
	// The demo password comes from FINSAM_DEMO_PASSWORD (default "demo").
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	if *certsOut != "" {
		return writeDemoCertificates(*certsOut, *seed, *count, e)
	}
	st, err := db.open(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	loaded, err := demo.LoadIfEmpty(ctx, st, *seed, demoPassword(e))
	if err != nil {
		return err
	}
	if !loaded {
		return fmt.Errorf("%s already holds data; demo data is only loaded into an empty database", st.Target())
	}
	auditKeys, err := keys.open(ctx, st, true, nil)
	if err != nil {
		return err
	}
	if _, err := demo.LoadCertificates(ctx, st, auditKeys, *seed); err != nil {
		return fmt.Errorf("load demo certificates: %w", err)
	}
	if _, err := demo.LoadCases(ctx, st, *seed, time.Now()); err != nil {
		return fmt.Errorf("load demo cases: %w", err)
	}
	if _, err := demo.LoadAssociation(ctx, st, *seed, time.Now()); err != nil {
		return fmt.Errorf("load demo association: %w", err)
	}
	if _, err := demo.LoadGenerated(ctx, st, *seed, time.Now()); err != nil {
		return err
	}
	if _, err := demo.LoadCoordination(ctx, st, time.Now()); err != nil {
		return fmt.Errorf("load demo coordination: %w", err)
	}
	if _, err := demo.LoadWebsite(ctx, st, time.Now()); err != nil {
		return fmt.Errorf("load demo website: %w", err)
	}
	fmt.Fprintf(e.stdout, "loaded demo data (seed %d) into %s\n", *seed, st.Target())
	return nil
}

func runBackup(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "backup", "[flags] FILE", `
Writes a consistent copy of the embedded SQLite database to FILE while finsam
keeps running (SQLite's VACUUM INTO reads one snapshot). FILE must not exist.
Restore it with 'finsam restore FILE'. The secret key that signs the audit
log (DIR/finsam.key, or --secret-file) is not in the database: back it up
separately, and keep it apart from the database backups.

For PostgreSQL use the database's own tools: pg_dump (and pg_restore).`)
	db, keys := storeFlags(fs, e)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return badUsage(fs)
	}
	st, err := db.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Backup(ctx, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backed up %s to %s\n", st.Target(), fs.Arg(0))
	fmt.Fprintf(e.stdout, "the audit log's secret key is not in the backup: keep a copy of %s apart from it\n", keys.path())
	return nil
}

func runRestore(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "restore", "[flags] FILE", `
Replaces the embedded SQLite database with the backup FILE made by 'finsam
backup'. It refuses a file that is not a finsam backup, fails its integrity
check or comes from a newer finsam, and it refuses while a finsam server is
using the database: stop the server first. The swap is atomic: if anything
fails, the old database is left as it was.

The audit anchor may then hold checkpoints of entries made after the backup,
which 'finsam audit verify' reports as a rewound tail: they are lost. Keep the
anchor file as the record of that and start a new one (move it aside before
the server starts).

For PostgreSQL use pg_restore or psql.`)
	db, keys := storeFlags(fs, e)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return badUsage(fs)
	}
	if err := store.Restore(ctx, db.config(), fs.Arg(0)); err != nil {
		return err
	}
	t, _ := db.config().Resolve()
	fmt.Fprintf(e.stdout, "restored %s from %s\n", t, fs.Arg(0))
	paths, _ := keys.anchorPaths()
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && fi.Size() > 0 {
			fmt.Fprintf(e.stdout, "note: the audit anchor %s may hold checkpoints of entries made after the backup, which are lost: "+
				"'finsam audit verify' will report them. Keep it as the record of that, and move it aside before the server starts.\n", p)
		}
	}
	return nil
}

func runVersion(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "version", "", "Prints the version of this finsam and the newest database schema it knows.")
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "finsam %s (schema %d)\n", version, store.LatestVersion())
	return nil
}

// writeDemoCertificates writes n generated certificates as JSON Lines.
func writeDemoCertificates(path string, seed uint64, n int, e *env) error {
	if n < 1 {
		return fmt.Errorf("--count must be at least 1")
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("cannot create %s: %w (it must not exist)", path, errors.Unwrap(err))
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	persons := demo.Persons(seed, max(10, n/10))
	// Signed over the last year before the demo's end, so that none is in
	// the future whenever it is imported.
	to := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	for i, c := range demo.Certificates(seed, n, persons, to.AddDate(-1, 0, 0), to) {
		c.ID = fmt.Sprintf("gen-%d-%d", seed, i)
		if err := enc.Encode(c); err != nil {
			f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %d synthetic certificates to %s\n", n, path)
	return nil
}
