package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/intake"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// casesPassword is the password of the case workers caseWorkersSetup
// makes.
const casesPassword = "case-test-password"

// caseWorkersSetup is the demo with FK's Visby insurance centre (the demo
// manager's office) and a case worker of its own (hw-visby) and a colleague
// (hw-kollega), and another office with its case worker (hw-annat). It
// returns the server, the Visby office and hw-visby's id.
func caseWorkersSetup(t *testing.T, st *store.Store) (s *Server, visby, worker int64) {
	t.Helper()
	s, _ = demoServer(t, st)
	ctx := context.Background()
	hash, err := account.HashPassword(casesPassword)
	if err != nil {
		t.Fatal(err)
	}
	err = st.Tx(ctx, func(tx *store.Tx) error {
		fk, err := store.OrganisationBySlug(ctx, tx, "fk")
		if err != nil {
			return err
		}
		offices, err := store.Offices(ctx, tx, fk.ID)
		if err != nil {
			return err
		}
		var other int64
		for _, o := range offices {
			switch o.Slug {
			case "lfc-visby":
				visby = o.ID
			case "lk-visby":
				other = o.ID
			}
		}
		user := func(username, name string, office int64) (int64, error) {
			return store.CreateUser(ctx, tx, store.User{Username: username, Name: name, OrgID: fk.ID, OfficeID: office,
				Roles: account.RolesOf(account.CaseWorker), PasswordHash: hash})
		}
		if worker, err = user("hw-visby", "Vera Visbyhandläggare", visby); err != nil {
			return err
		}
		if _, err = user("hw-kollega", "Kim Kollega", visby); err != nil {
			return err
		}
		_, err = user("hw-annat", "Ola Annatkontor", other)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return s, visby, worker
}

// TestCertificateOfACaseFollowsTheCase: a certificate joined to a case is
// read under the case's office boundary — another office's case worker
// gets 404 — and the audit row says how the reader stands to the case.
func TestCertificateOfACaseFollowsTheCase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s, visby, worker := caseWorkersSetup(t, st)
		ctx := context.Background()
		region, _ := store.OrganisationBySlug(ctx, st, "region-gotland")
		res, err := s.intake.Submit(ctx, intake.Submission{SenderOrgID: region.ID, Body: sampleCertificates(1)[0], Source: "api"})
		if err != nil || res.Status != intake.Accepted {
			t.Fatalf("certificate: %+v %v", res, err)
		}
		rec, err := store.CertificateByID(ctx, st, res.CertificateID)
		if err != nil || rec.CaseID == 0 {
			t.Fatalf("the certificate has no case: %v", err)
		}
		if err := st.Tx(ctx, func(tx *store.Tx) error { return store.SetCaseOwner(ctx, tx, rec.CaseID, visby, 0, worker) }); err != nil {
			t.Fatal(err)
		}
		path := "/certificates/" + itoa(res.CertificateID)
		if got := signedIn(t, s, "hw-annat", casesPassword).do("GET", path, nil); got.Code != http.StatusNotFound || strings.Contains(got.Body.String(), rec.Personnummer[:8]) {
			t.Errorf("another office's case worker: %d, want 404 and nothing of the person", got.Code)
		}
		for _, user := range []string{"hw-visby", "hw-kollega"} {
			if got := signedIn(t, s, user, casesPassword).do("GET", path, nil); got.Code != http.StatusOK || !strings.Contains(got.Body.String(), rec.Personnummer[:8]) {
				t.Errorf("%s: %d, want the certificate", user, got.Code)
			}
		}
		for user, relation := range map[string]string{"hw-visby": "relation=assigned", "hw-kollega": "relation=office"} {
			if n := count(t, st, "SELECT count(*) FROM audit_log WHERE actor_name = $1 AND action = 'read_certificate' AND purpose = $2", user, relation); n != 1 {
				t.Errorf("%s: %d audit rows of the read with %s, want 1", user, n, relation)
			}
		}
	})
}
