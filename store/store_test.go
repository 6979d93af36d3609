package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

func TestMigrateIsIdempotentAndRecordsVersions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		n, err := s.Migrate(ctx)
		if err != nil || n != 0 {
			t.Fatalf("second Migrate = %d, %v; want 0 applied", n, err)
		}
		v, err := s.SchemaVersion(ctx)
		if err != nil || v != store.LatestVersion() {
			t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, store.LatestVersion())
		}
		st, err := s.MigrationStatuses(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st) == 0 || st[len(st)-1].Version != store.LatestVersion() {
			t.Fatalf("got statuses %+v, want them to end at %d", st, store.LatestVersion())
		}
		for _, m := range st {
			if m.AppliedAt.IsZero() {
				t.Errorf("migration %d not marked applied", m.Version)
			}
		}
		if err := s.CheckSchema(ctx); err != nil {
			t.Fatalf("CheckSchema: %v", err)
		}
	})
}

func TestSchemaFromNewerBinaryIsRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		future := store.LatestVersion() + 5
		if _, err := s.Exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'from the future', CURRENT_TIMESTAMP)", future); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Migrate(ctx); !errors.Is(err, store.ErrSchemaTooNew) {
			t.Fatalf("Migrate err = %v, want ErrSchemaTooNew", err)
		}
		if err := s.CheckSchema(ctx); !errors.Is(err, store.ErrSchemaTooNew) {
			t.Fatalf("CheckSchema err = %v, want ErrSchemaTooNew", err)
		}
		st, err := s.MigrationStatuses(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if last := st[len(st)-1]; last.Version != future {
			t.Fatalf("unknown applied version not listed: %+v", last)
		}
	})
}

func TestErrorsAreNormalised(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := organisation.Organisation{Slug: "region-gotland", Name: "Region Gotland", Type: organisation.Region, Code: "09"}
		storetest.Write(t, s, func(tx *store.Tx) error {
			_, err := store.CreateOrganisation(ctx, tx, org)
			return err
		})
		tests := []struct {
			name string
			run  func(tx *store.Tx) error
			want error
		}{
			{"unique slug", func(tx *store.Tx) error {
				_, err := store.CreateOrganisation(ctx, tx, org)
				return err
			}, store.ErrConflict},
			{"missing parent", func(tx *store.Tx) error {
				_, err := store.CreateOrganisation(ctx, tx, organisation.Organisation{Slug: "orphan", Name: "Orphan", Type: organisation.CareProvider, ParentID: 999999})
				return err
			}, store.ErrForeignKey},
			{"check constraint", func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, "INSERT INTO organisations (slug, name, type, created_at) VALUES ('x', 'X', 'bank', CURRENT_TIMESTAMP)")
				return err
			}, store.ErrCheck},
			{"not null", func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, "INSERT INTO organisations (slug, type, created_at) VALUES ('y', 'fk', CURRENT_TIMESTAMP)")
				return err
			}, store.ErrCheck},
			{"no row", func(tx *store.Tx) error {
				_, err := store.OrganisationBySlug(ctx, tx, "no-such-org")
				return err
			}, store.ErrNotFound},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				err := s.Tx(ctx, tc.run)
				if !errors.Is(err, tc.want) {
					t.Fatalf("err = %v, want %v", err, tc.want)
				}
				if strings.Contains(err.Error(), "pgconn") || strings.Contains(err.Error(), "*sqlite") {
					t.Fatalf("driver type leaks into message: %v", err)
				}
			})
		}
		wantOrganisations(t, s, 1, "after the failed transactions, which wrote nothing")
	})
}

// createOrgs creates orgs in tx, in their order, and returns them as
// created.
func createOrgs(ctx context.Context, tx *store.Tx, orgs ...organisation.Organisation) ([]organisation.Organisation, error) {
	out := make([]organisation.Organisation, len(orgs))
	for i, o := range orgs {
		var err error
		if out[i], err = store.CreateOrganisation(ctx, tx, o); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// wantOrganisations fails the test unless s holds n organisations; when
// says at what point.
func wantOrganisations(t *testing.T, s *store.Store, n int, when string) {
	t.Helper()
	got, err := store.CountOrganisations(context.Background(), s)
	if err != nil || got != n {
		t.Fatalf("%s: %d organisations (%v), want %d", when, got, err, n)
	}
}

func TestTxRollsBackEverythingOnError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := s.Tx(ctx, func(tx *store.Tx) error {
			for _, slug := range []string{"a", "b"} {
				if _, err := store.CreateOrganisation(ctx, tx, organisation.Organisation{Slug: slug, Name: slug, Type: organisation.Municipality}); err != nil {
					return err
				}
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want boom", err)
		}
		wantOrganisations(t, s, 0, "after rollback")
	})
}

// TestTxRetriesConcurrentWriters runs read-modify-write transactions from many
// goroutines at once. Without the retry helper PostgreSQL aborts some with
// serialization failures (SERIALIZABLE) and the final count comes out short.
func TestTxRetriesConcurrentWriters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		err := s.Tx(ctx, func(tx *store.Tx) error { return store.SetSetting(ctx, tx, "counter", "0") })
		if err != nil {
			t.Fatal(err)
		}
		const workers, each = 8, 10
		storetest.Concurrently(t, workers, func(int) error {
			for range each {
				err := s.Tx(ctx, func(tx *store.Tx) error {
					v, err := store.Setting(ctx, tx, "counter")
					if err != nil {
						return err
					}
					return store.SetSetting(ctx, tx, "counter", increment(v))
				})
				if err != nil {
					return fmt.Errorf("transaction failed: %w", err)
				}
			}
			return nil
		})
		v, err := store.Setting(ctx, s, "counter")
		if err != nil || v != "80" {
			t.Fatalf("counter = %q, %v; want 80", v, err)
		}
	})
}

func increment(s string) string {
	n, _ := strconv.Atoi(s)
	return strconv.Itoa(n + 1)
}

// Two processes (here: two Stores) writing the same SQLite file contend for
// the write lock; busy_timeout and the retry helper must absorb that.
func TestSQLiteTwoStoresOnOneFile(t *testing.T) {
	ctx := context.Background()
	a, b := openTwice(t, store.SQLite)
	storetest.Concurrently(t, 2, func(i int) error {
		s := []*store.Store{a, b}[i]
		for j := range 20 {
			err := s.Tx(ctx, func(tx *store.Tx) error {
				_, err := store.CreateOrganisation(ctx, tx, organisation.Organisation{
					Slug: fmt.Sprintf("m-%d-%d", i, j), Name: "M", Type: organisation.Municipality})
				return err
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	wantOrganisations(t, a, 40, "after both stores' writes")
}

func TestResolveConfig(t *testing.T) {
	tests := []struct {
		cfg     store.Config
		dialect store.Dialect
		path    string
		wantErr string
	}{
		{store.Config{}, store.SQLite, filepath.Join("data", "finsam.db"), ""},
		{store.Config{DataDir: "/srv/finsam"}, store.SQLite, "/srv/finsam/finsam.db", ""},
		{store.Config{DatabaseURL: "sqlite:/tmp/x.db"}, store.SQLite, "/tmp/x.db", ""},
		{store.Config{DatabaseURL: "postgres://u:secret@db/finsam"}, store.Postgres, "", ""},
		{store.Config{DatabaseURL: "postgresql://db/finsam"}, store.Postgres, "", ""},
		{store.Config{DatabaseURL: "mysql://db/finsam"}, "", "", "unknown database URL scheme"},
		{store.Config{DatabaseURL: "finsam.db"}, "", "", "has no scheme"},
	}
	for _, tc := range tests {
		got, err := tc.cfg.Resolve()
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%+v: err = %v, want %q", tc.cfg, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got.Dialect != tc.dialect || got.Path != tc.path {
			t.Errorf("%+v: got %+v, %v", tc.cfg, got, err)
		}
	}
	tgt, _ := store.Config{DatabaseURL: "postgres://u:secret@db/finsam"}.Resolve()
	if strings.Contains(tgt.String(), "secret") {
		t.Errorf("password leaks into %q", tgt.String())
	}
}

func TestOpenRefusesCorruptSQLiteFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "finsam.db"), []byte(strings.Repeat("this is not a database\n", 500)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := store.Open(context.Background(), store.Config{DataDir: dir})
	if !errors.Is(err, store.ErrCorrupt) || !strings.Contains(err.Error(), "finsam restore") {
		t.Fatalf("err = %v, want ErrCorrupt with advice", err)
	}
}

func TestOpenRefusesUnwritableDataFolder(t *testing.T) {
	// A folder under a regular file cannot be created, even by root (who
	// ignores permission bits).
	file := filepath.Join(t.TempDir(), "plain-file")
	os.WriteFile(file, nil, 0o600)
	_, err := store.Open(context.Background(), store.Config{DataDir: filepath.Join(file, "data")})
	if err == nil || !strings.Contains(err.Error(), "--data") {
		t.Fatalf("err = %v, want advice about --data", err)
	}
}

func TestPostgresUnreachableIsAClearError(t *testing.T) {
	_, err := store.Open(context.Background(), store.Config{DatabaseURL: "postgres://nobody:pw@127.0.0.1:1/none?connect_timeout=2"})
	if !errors.Is(err, store.ErrUnavailable) || strings.Contains(err.Error(), ":pw@") {
		t.Fatalf("err = %v, want ErrUnavailable without the password", err)
	}
}
