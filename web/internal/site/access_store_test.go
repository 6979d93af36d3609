package site

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// TestAuthorizeDecidesAndAuditsRefusals: a handler's own check of a
// resource allows, hides (404) or refuses (403) as the policy says, sends
// nobody signed in to sign in, and audits each refusal of someone signed in.
func TestAuthorizeDecidesAndAuditsRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) { testAuthorize(t, st) })
}

func testAuthorize(t *testing.T, st *store.Store) {
	keys, err := audit.NewKeys([]byte("site test master secret of 32 bytes or more"))
	if err != nil {
		t.Fatal(err)
	}
	rec := store.NewAuditRecorder(st, keys)
	t.Cleanup(rec.Close)
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	s, err := New(Site{Store: st, Log: slog.New(slog.DiscardHandler), Audit: rec, Now: func() time.Time { return now },
		Messages: Catalogue{"sv": {}, "en": {}}, Mux: http.NewServeMux()})
	if err != nil {
		t.Fatal(err)
	}
	steward := &Actor{Actor: policy.Actor{UserID: 7, OrgID: 1, Roles: account.RolesOf(account.IntakeSteward)},
		User: &store.User{ID: 7, Username: "steward", Roles: account.RolesOf(account.IntakeSteward)}, Now: s.Now}
	worker := &Actor{Actor: policy.Actor{UserID: 8, OrgID: 1, Roles: account.RolesOf(account.CaseWorker)},
		User: &store.User{ID: 8, Username: "worker", Roles: account.RolesOf(account.CaseWorker)}, Now: s.Now}
	r := httptest.NewRequest("GET", "/certificates/rejected/3", nil)
	for _, tc := range []struct {
		name   string
		a      *Actor
		org    int64
		status int // 0: allowed
	}{
		{"own organisation's", steward, 1, 0},
		{"another organisation's", steward, 2, http.StatusNotFound},
		{"without the role", worker, 1, http.StatusForbidden},
		{"nobody signed in", &Actor{}, 1, http.StatusSeeOther},
	} {
		err := s.Authorize(r, tc.a, policy.ReadRejectedCertificates, policy.Resource{OrgID: tc.org}, "rejected_certificate", "3")
		if tc.status == 0 {
			if err != nil {
				t.Errorf("%s: %v, want allowed", tc.name, err)
			}
			continue
		}
		// Answered as the guard answers: nobody signed in is sent to sign
		// in and back to the page.
		rec := httptest.NewRecorder()
		s.Fail(rec, r, err)
		if rec.Code != tc.status || tc.status == http.StatusSeeOther && rec.Header().Get("Location") != "/login?next=%2Fcertificates%2Frejected%2F3" {
			t.Errorf("%s: %d %q, want %d", tc.name, rec.Code, rec.Header().Get("Location"), tc.status)
		}
	}
	var denied int
	if err := st.QueryRow(context.Background(), "SELECT count(*) FROM audit_log WHERE outcome = $1", audit.OutcomeDenied).Scan(&denied); err != nil {
		t.Fatal(err)
	}
	if denied != 2 {
		t.Errorf("%d refusals audited, want 2 (the signed-in ones)", denied)
	}
}
