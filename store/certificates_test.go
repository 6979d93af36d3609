package store_test

import (
	"context"
	"errors"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/rules"
	"testing"
	"time"

	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// day is the midnight (UTC) that begins the day s, YYYY-MM-DD.
func day(s string) time.Time { return civil.MustParse(s).Time() }

func TestPersonsCasesAndPeriods(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
		storetest.Write(t, s, func(tx *store.Tx) error {
			a, err := store.EnsurePerson(ctx, tx, "197001019801", now)
			if err != nil {
				return err
			}
			again, err := store.EnsurePerson(ctx, tx, "197001019801", now)
			if err != nil || again != a {
				t.Fatalf("EnsurePerson twice: %d %d %v", a, again, err)
			}
			// Two periods 3 days apart, then one 100 days later.
			steps := []struct {
				first, last string
				newCase     bool
			}{
				{"2026-01-01", "2026-01-31", true},
				{"2026-02-04", "2026-02-28", false}, // 3 days' gap: same case
				{"2026-05-01", "2026-05-10", false}, // 61 days' gap: still under 90
				{"2026-09-01", "2026-09-30", true},  // 113 days: a new case
				{"2025-12-20", "2025-12-25", false}, // earlier: joins the first? no, the latest case is September's
			}
			var prev int64
			for i, st := range steps[:4] {
				id, err := store.AttachToCase(ctx, tx, a, day(st.first), day(st.last), now, sameCase)
				if err != nil {
					return err
				}
				if (id != prev) != st.newCase {
					t.Errorf("step %d: case %d after %d, new case %v", i, id, prev, st.newCase)
				}
				prev = id
			}
			if err := store.InsertPeriods(ctx, tx, a, 0, []store.Period{
				{From: day("2026-01-01"), To: day("2026-01-31"), Degree: 100},
				{From: day("2026-02-04"), To: day("2026-02-28"), Degree: 50},
				{From: day("2026-02-20"), To: day("2026-03-05"), Degree: 50}, // overlaps the one before
			}, "manual", now); err != nil {
				return err
			}
			// Sick leave before 2026-03-08: 31 + 25 + 5 (Mar 1–5) = 61 days;
			// the gap of 3 days (Feb 1–3) still joins.
			n, err := store.PriorSickDays(ctx, tx, a, day("2026-03-08"))
			if err != nil || n != 61 {
				t.Errorf("PriorSickDays = %d, %v; want 61", n, err)
			}
			// Before 2026-03-20 the gap is 14 days: nothing is contiguous.
			if n, _ := store.PriorSickDays(ctx, tx, a, day("2026-03-20")); n != 0 {
				t.Errorf("PriorSickDays after a 14-day gap = %d, want 0", n)
			}
			// A day in the middle counts only what came before it.
			if n, _ := store.PriorSickDays(ctx, tx, a, day("2026-01-11")); n != 10 {
				t.Errorf("PriorSickDays mid-period = %d, want 10", n)
			}
			return nil
		})
		// A period with to before from, or a degree of 60, is refused by the schema.
		err := s.Tx(ctx, func(tx *store.Tx) error {
			id, _ := store.EnsurePerson(ctx, tx, "197001019801", now)
			return store.InsertPeriods(ctx, tx, id, 0, []store.Period{{From: day("2026-01-05"), To: day("2026-01-01"), Degree: 100}}, "manual", now)
		})
		if !errors.Is(err, store.ErrCheck) {
			t.Errorf("reversed period: %v", err)
		}
	})
}

func TestCertificateIdentityIsSenderAndID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Now()
		var dup store.NewCertificate
		storetest.Write(t, s, func(tx *store.Tx) error {
			orgs, err := createOrgs(ctx, tx, organisation.Organisation{Slug: "region-test", Name: "Region Test", Type: organisation.Region},
				organisation.Organisation{Slug: "region-other", Name: "Region Other", Type: organisation.Region})
			if err != nil {
				return err
			}
			org, other := orgs[0], orgs[1]
			pid, _ := store.EnsurePerson(ctx, tx, "197001019801", now)
			c := store.NewCertificate{SenderOrgID: org.ID, CertID: "abc", PersonID: pid, SignedAt: now, ReceivedAt: now,
				IssuerHSAID: "SE1", UnitHSAID: "SE2", UnitName: "U", CareProviderHSAID: "SE3", CareProviderName: "V",
				DiagnosisCode: "F320", FirstDay: day("2026-01-01"), LastDay: day("2026-01-31"), QualityScore: 80,
				Findings: []byte(`[]`), Source: "api", Body: []byte(`{}`), BodyHash: "h"}
			if _, err := store.InsertCertificate(ctx, tx, c); err != nil {
				return err
			}
			got, err := store.CertificateByCertID(ctx, tx, org.ID, "abc")
			if err != nil || got.BodyHash != "h" || got.QualityScore != 80 {
				t.Fatalf("CertificateByCertID: %+v %v", got, err)
			}
			if _, err := store.CertificateByCertID(ctx, tx, other.ID, "abc"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("another sender's id found: %v", err)
			}
			c.SenderOrgID = other.ID // the same id from another sender is another certificate
			if _, err := store.InsertCertificate(ctx, tx, c); err != nil {
				return err
			}
			dup = c
			dup.SenderOrgID = org.ID
			return nil
		})
		// The same sender and id again is refused (and, on PostgreSQL, aborts
		// its transaction: callers look the id up first).
		err := s.Tx(ctx, func(tx *store.Tx) error {
			_, err := store.InsertCertificate(ctx, tx, dup)
			return err
		})
		if !errors.Is(err, store.ErrConflict) {
			t.Fatalf("duplicate insert: %v", err)
		}
	})
}

// sameCase is the rules engine's decision whether two periods form one
// sickness case, as intake passes it to AttachToCase.
func sameCase(prevLast, nextFirst time.Time) bool {
	e, err := rules.New()
	if err != nil {
		panic(err)
	}
	return e.SameCase(civil.Of(prevLast), civil.Of(nextFirst))
}
