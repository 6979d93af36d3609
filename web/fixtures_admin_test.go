package web

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
)

// The administration's fixtures that tests still in this package use;
// the administration's own tests are in package web/admin.

// The demo's admin is the system administrator (operator organisation
// finsam-gotland). orgAdmin is an administrator of fk only, made by
// withOrgAdmin.
const (
	orgAdmin         = "fk-admin"
	orgAdminPassword = "fk-admin-password"
)

// syncBuffer collects the server's log.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// adminServer is demoServer with the server's log kept, and an
// administrator of fk added.
func adminServer(t *testing.T, st *store.Store) (*Server, *syncBuffer) {
	t.Helper()
	ctx := context.Background()
	if _, err := demo.LoadIfEmpty(ctx, st, demo.DefaultSeed, "demo"); err != nil {
		t.Fatal(err)
	}
	hash, err := account.HashPassword(orgAdminPassword)
	if err != nil {
		t.Fatal(err)
	}
	err = st.Tx(ctx, func(tx *store.Tx) error {
		fk, err := store.OrganisationBySlug(ctx, tx, "fk")
		if err != nil {
			return err
		}
		_, err = store.CreateUser(ctx, tx, store.User{Username: orgAdmin, Name: "Frans FK-admin", OrgID: fk.ID,
			Roles: account.RolesOf(account.Admin), PasswordHash: hash})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	c := &clock{now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	s, err := New(Config{Store: st, Logger: slog.New(slog.NewJSONHandler(logs, nil)), Version: "test",
		AuditKeys: testKeys(t), Demo: true, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	checkAnswersAgainstDocument(t, s)
	return s, logs
}

// signedIn is a browser signed in as user.
func signedIn(t *testing.T, s *Server, user, password string) *browser {
	t.Helper()
	b := newBrowser(t, s)
	if rec := b.login(user, password); rec.Code != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d", user, rec.Code)
	}
	return b
}

func orgNamed(t *testing.T, st *store.Store, slug string) organisation.Organisation {
	t.Helper()
	o, err := store.OrganisationBySlug(context.Background(), st, slug)
	if err != nil {
		t.Fatalf("organisation %s: %v", slug, err)
	}
	return o
}

// count runs a count(*) query.
func count(t *testing.T, st *store.Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := st.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
