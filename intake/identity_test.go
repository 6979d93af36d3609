package intake_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/intake"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// A certificate signed in Inera's test environment is accepted and stored,
// and statistics leave it out; one with a wrong personnummer check digit is
// refused and nothing of it reaches cases or statistics.
func TestTestEnvironmentCertificatesAreStoredButNotCounted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		_, in, org := setupOn(t, st)
		ctx := context.Background()
		prod := testdata(t, "depression-good.xml")
		test := []byte(strings.NewReplacer("SE2120000803-L1001", "TSTNMT2321000156-1079", "SE2120000803-E0101", "TSTNMT2321000156-1077",
			"SE2120000803-V0001", "TSTNMT2321000156-102Q", "9a3c1f0e-2b7d-4c55-8e61-0d4f7a2b9c01", "test-env-1",
			"198504129829", "191212121212").Replace(string(prod)))
		wrong := []byte(strings.NewReplacer("9a3c1f0e-2b7d-4c55-8e61-0d4f7a2b9c01", "wrong-check-digit",
			"198504129829", "198504129828").Replace(string(prod)))
		for name, tc := range map[string]struct {
			body []byte
			want intake.Status
		}{"production": {prod, intake.Accepted}, "test environment": {test, intake.Accepted}, "wrong check digit": {wrong, intake.Invalid}} {
			r, err := in.Submit(ctx, intake.Submission{SenderOrgID: org, Format: intake.XML, Body: tc.body, Source: "test"})
			if err != nil || r.Status != tc.want {
				t.Fatalf("%s: %v %+v", name, err, r)
			}
			if tc.want == intake.Invalid && (r.CaseID != 0 || r.CertificateID != 0 || r.Errors[0].Field != "patient.personnummer") {
				t.Fatalf("%s: %+v", name, r)
			}
		}
		months := []time.Time{time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
		rows, err := store.QualityByMonth(ctx, st, store.QualityQuery{Months: months})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].Certificates != 1 || rows[0].UnitHSAID != "SE2120000803-E0101" {
			t.Fatalf("statistics count %+v", rows)
		}
		var n int
		if err := st.QueryRow(ctx, "SELECT COUNT(*) FROM certificates WHERE test_environment").Scan(&n); err != nil || n != 1 {
			t.Fatalf("%d stored as test environment, %v", n, err)
		}
		if err := st.QueryRow(ctx, "SELECT COUNT(*) FROM sickness_cases").Scan(&n); err != nil || n != 2 {
			t.Fatalf("%d cases, %v; want 2 (nothing of the refused one)", n, err)
		}
	})
}

// A certificate stored before certificates carried their model version is
// still the same certificate when its sender sends it again.
func TestACertificateStoredWithoutVersionIsADuplicateWhenSentAgain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		_, in, org := setupOn(t, st)
		ctx := context.Background()
		body := testdata(t, "depression-good.json")
		first, err := in.Submit(ctx, intake.Submission{SenderOrgID: org, Format: intake.JSON, Body: body, Source: "test"})
		if err != nil || first.Status != intake.Accepted {
			t.Fatalf("%v %+v", err, first)
		}
		// As the earlier finsam stored it: the hash of the canonical form
		// without the version.
		c, err := certificate.ParseJSON(body)
		if err != nil {
			t.Fatal(err)
		}
		canon := string(c.Canonical())
		legacy := strings.Replace(canon, `,"version":"1.3"`, "", 1)
		if legacy == canon {
			t.Fatalf("no version in %s", canon)
		}
		sum := sha256.Sum256([]byte(legacy))
		if _, err := st.Exec(ctx, "UPDATE certificates SET body_hash = $2 WHERE id = $1", first.CertificateID, hex.EncodeToString(sum[:])); err != nil {
			t.Fatal(err)
		}
		again, err := in.Submit(ctx, intake.Submission{SenderOrgID: org, Format: intake.JSON, Body: body, Source: "test"})
		if err != nil || again.Status != intake.Duplicate || again.CertificateID != first.CertificateID {
			t.Fatalf("sent again: %v %+v", err, again)
		}
	})
}
