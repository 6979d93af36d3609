package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

func newCert(org, person, caseID int64, id string, from, to time.Time, now time.Time) store.NewCertificate {
	return store.NewCertificate{SenderOrgID: org, CertID: id, PersonID: person, CaseID: caseID, SignedAt: now, ReceivedAt: now,
		IssuerHSAID: "SE1", UnitHSAID: "SE2", UnitName: "U", CareProviderHSAID: "SE3", CareProviderName: "V",
		DiagnosisCode: "F320", FirstDay: from, LastDay: to, QualityScore: 80, Findings: []byte(`[]`), Source: "generate",
		Body: []byte(`{"id":"` + id + `"}`), BodyHash: "h-" + id}
}

func TestBulkLoadWritesRowsUnderTheirIDs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
		org := storetest.Made(t, s, func(tx *store.Tx) (organisation.Organisation, error) {
			return store.CreateOrganisation(ctx, tx, organisation.Organisation{Slug: "region-test", Name: "Region Test", Type: organisation.Region})
		})
		ids, err := store.NextBulkIDs(ctx, s)
		if err != nil || ids != (store.BulkIDs{Person: 1, Case: 1, Certificate: 1}) {
			t.Fatalf("NextBulkIDs on an empty database: %+v %v", ids, err)
		}
		p := store.Person{ID: 10, Personnummer: "197001019801", Name: "Test Testsson", MunicipalityCode: "0980"}
		c := store.BulkCase{ID: 20, NewCase: store.NewCase{PersonID: 10, FirstDay: day("2026-10-01"), LastDay: day("2026-11-30"),
			EmployerName: "E", AnnualIncomeOre: 100}}
		manual := store.BulkCase{ID: 21, NewCase: store.NewCase{PersonID: 10, FirstDay: day("2025-01-01"), LastDay: day("2025-01-31"),
			Status: store.CaseClosed, Periods: []store.Period{{From: day("2025-01-01"), To: day("2025-01-31"), Degree: 50}}}}
		cert := store.BulkCertificate{ID: 30, NewCertificate: newCert(org.ID, 10, 20, "a", day("2026-10-01"), day("2026-11-30"), now),
			Periods: []store.Period{{From: day("2026-10-01"), To: day("2026-10-31"), Degree: 100}, {From: day("2026-11-01"), To: day("2026-11-30"), Degree: 50}}}
		err = store.BulkLoad(ctx, s, now, func(b *store.Bulk) error {
			if err := b.Persons(ctx, []store.Person{p}); err != nil {
				return err
			}
			if err := b.Cases(ctx, []store.BulkCase{c, manual}); err != nil {
				return err
			}
			return b.Certificates(ctx, []store.BulkCertificate{cert})
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := store.FinishBulk(ctx, s); err != nil {
			t.Fatal(err)
		}
		got, err := store.CaseByID(ctx, s, 20)
		if err != nil || got.PersonID != 10 || !got.FirstDay.Equal(day("2026-10-01")) || got.Status != store.CaseOpen {
			t.Errorf("case: %+v %v", got, err)
		}
		certs, err := store.CaseCertificates(ctx, s, 20)
		if err != nil || len(certs) != 1 || certs[0].ID != 30 || !certs[0].LastDay.Equal(day("2026-11-30")) {
			t.Errorf("certificates: %+v %v", certs, err)
		}
		periods, err := store.PersonPeriods(ctx, s, 10, day("2024-01-01"), day("2027-01-01"))
		if err != nil || len(periods) != 3 {
			t.Fatalf("periods: %+v %v", periods, err)
		}
		// Rows written afterwards get ids past the loaded ones.
		ids, err = store.NextBulkIDs(ctx, s)
		if err != nil || ids != (store.BulkIDs{Person: 11, Case: 22, Certificate: 31}) {
			t.Errorf("NextBulkIDs after the load: %+v %v", ids, err)
		}
		storetest.Write(t, s, func(tx *store.Tx) error {
			id, err := store.EnsurePerson(ctx, tx, "197001029800", now)
			if err == nil && id <= 10 {
				t.Errorf("a new person got id %d", id)
			}
			return err
		})
		numbers, err := store.PersonNumbers(ctx, s)
		if err != nil || len(numbers) != 2 || !numbers["197001019801"] {
			t.Errorf("PersonNumbers: %v %v", numbers, err)
		}
		// The same id again is refused and nothing of the load stays.
		err = store.BulkLoad(ctx, s, now, func(b *store.Bulk) error {
			if err := b.Persons(ctx, []store.Person{{ID: 50, Personnummer: "197001039809"}}); err != nil {
				return err
			}
			return b.Persons(ctx, []store.Person{p})
		})
		if !errors.Is(err, store.ErrConflict) {
			t.Errorf("a person loaded twice: %v", err)
		}
		if _, err := store.PersonByID(ctx, s, 50); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a failed load left a person: %v", err)
		}
	})
}

func TestBatchIntakeStatements(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
		storetest.Write(t, s, func(tx *store.Tx) error {
			org, err := store.CreateOrganisation(ctx, tx, organisation.Organisation{Slug: "region-test", Name: "Region Test", Type: organisation.Region})
			if err != nil {
				return err
			}
			office, err := store.CreateOffice(ctx, tx, store.Office{OrgID: org.ID, Slug: "o", Name: "O", Kind: store.OfficeLocal, MunicipalityCode: "0980"})
			if err != nil {
				return err
			}
			known, err := store.SavePerson(ctx, tx, store.Person{Personnummer: "197001019801", MunicipalityCode: "0980"}, now)
			if err != nil {
				return err
			}
			persons, err := store.EnsurePersons(ctx, tx, []string{"197001019801", "197001029800", "197001019801"}, now)
			if err != nil || len(persons) != 2 || persons["197001019801"] != known || persons["197001029800"] == 0 {
				t.Fatalf("EnsurePersons: %v %v", persons, err)
			}
			other := persons["197001029800"]
			ids, err := store.InsertCaseSpans(ctx, tx, []store.CaseSpan{
				{PersonID: known, FirstDay: day("2026-01-01"), LastDay: day("2026-01-31")},
				{PersonID: known, FirstDay: day("2026-06-01"), LastDay: day("2026-06-30")},
				{PersonID: other, FirstDay: day("2026-06-01"), LastDay: day("2026-06-30")},
			}, now)
			if err != nil || len(ids) != 3 {
				t.Fatalf("InsertCaseSpans: %v %v", ids, err)
			}
			if c, err := store.CaseByID(ctx, tx, ids[1]); err != nil || c.OfficeID != office || !c.FirstDay.Equal(day("2026-06-01")) {
				t.Errorf("a new case of a person in 0980: %+v %v", c, err)
			}
			if c, _ := store.CaseByID(ctx, tx, ids[2]); c.OfficeID != 0 || c.PersonID != other {
				t.Errorf("a new case of a person without a municipality: %+v", c)
			}
			if err := store.UpdateCaseSpans(ctx, tx, []store.CaseSpan{{ID: ids[1], FirstDay: day("2026-05-25"), LastDay: day("2026-07-31")}}, now); err != nil {
				return err
			}
			latest, err := store.LatestCases(ctx, tx, []int64{known, other})
			if err != nil || latest[known].ID != ids[1] || !latest[known].LastDay.Equal(day("2026-07-31")) || latest[other].ID != ids[2] {
				t.Errorf("LatestCases: %+v %v", latest, err)
			}
			// A span read before the case was widened (by a period entered
			// by hand meanwhile) widens it no less: a case only grows.
			if err := store.UpdateCaseSpans(ctx, tx, []store.CaseSpan{{ID: ids[1], FirstDay: day("2026-06-01"), LastDay: day("2026-07-15")}}, now); err != nil {
				return err
			}
			if c, err := store.CaseByID(ctx, tx, ids[1]); err != nil || !c.FirstDay.Equal(day("2026-05-25")) || !c.LastDay.Equal(day("2026-07-31")) {
				t.Errorf("a case updated to a narrower span: %v – %v, %v; want 2026-05-25 – 2026-07-31", c.FirstDay, c.LastDay, err)
			}
			// Persons are locked in one transaction, in any order, twice.
			if err := store.LockPersons(ctx, tx, []int64{other, known, other}); err != nil {
				return err
			}
			certIDs, err := store.InsertCertificates(ctx, tx, []store.NewCertificate{
				newCert(org.ID, known, ids[1], "a", day("2026-05-25"), day("2026-07-31"), now),
				newCert(org.ID, other, ids[2], "b", day("2026-06-01"), day("2026-06-30"), now),
			})
			if err != nil || len(certIDs) != 2 || certIDs[0] == certIDs[1] {
				t.Fatalf("InsertCertificates: %v %v", certIDs, err)
			}
			err = store.InsertCertificatePeriods(ctx, tx, []store.CertificatePeriod{
				{PersonID: known, CertificateID: certIDs[0], Period: store.Period{From: day("2026-05-25"), To: day("2026-06-30"), Degree: 100}},
				{PersonID: known, CertificateID: certIDs[0], Period: store.Period{From: day("2026-07-01"), To: day("2026-07-31"), Degree: 50}},
				{PersonID: known, Period: store.Period{From: day("2026-01-01"), To: day("2026-01-31"), Degree: 100}},
			}, "certificate", now)
			if err != nil {
				return err
			}
			found, err := store.CertificatesByCertIDs(ctx, tx, []store.CertKey{{SenderOrgID: org.ID, CertID: "a"}, {SenderOrgID: org.ID, CertID: "b"},
				{SenderOrgID: org.ID, CertID: "c"}, {SenderOrgID: org.ID + 1, CertID: "a"}})
			if err != nil || len(found) != 2 || found[store.CertKey{SenderOrgID: org.ID, CertID: "a"}].ID != certIDs[0] ||
				found[store.CertKey{SenderOrgID: org.ID, CertID: "b"}].BodyHash != "h-b" {
				t.Errorf("CertificatesByCertIDs: %+v %v", found, err)
			}
			periods, err := store.PersonsPeriods(ctx, tx, []int64{known, other})
			if err != nil || len(periods[known]) != 3 || len(periods[other]) != 0 {
				t.Errorf("PersonsPeriods: %+v %v", periods, err)
			}
			for _, d := range []string{"2026-08-01", "2026-08-05", "2026-08-20", "2026-07-10", "2026-02-03"} {
				want, err := store.PriorSickDays(ctx, tx, known, day(d))
				if err != nil {
					return err
				}
				if got := store.SickDaysBefore(periods[known], day(d)); got != want {
					t.Errorf("SickDaysBefore(%s) = %d, PriorSickDays %d", d, got, want)
				}
			}
			_, err = store.InsertCertificates(ctx, tx, []store.NewCertificate{newCert(org.ID, other, 0, "c", day("2026-06-01"), day("2026-06-30"), now),
				newCert(org.ID, other, 0, "c", day("2026-06-01"), day("2026-06-30"), now)})
			if !errors.Is(err, store.ErrConflict) {
				t.Errorf("one id twice in a batch: %v", err)
			}
			return nil
		})
		// An id already stored is a conflict.
		err := s.Tx(ctx, func(tx *store.Tx) error {
			_, err := store.InsertCertificates(ctx, tx, []store.NewCertificate{newCert(1, 1, 0, "a", day("2026-06-01"), day("2026-06-30"), now)})
			return err
		})
		if !errors.Is(err, store.ErrConflict) {
			t.Errorf("an id stored before: %v", err)
		}
	})
}

// TestCloseDeadlinesInBulk: the open deadlines of the kinds due by a day
// are found for a range of open cases, and closed as their case worker
// did, without moving the case's version; one closed meanwhile stays.
func TestCloseDeadlinesInBulk(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := caseSetup(t, s)
		ctx := context.Background()
		storetest.Write(t, s, func(tx *store.Tx) error {
			return store.SetCaseOwner(ctx, tx, f.caseA, f.visby, f.group, f.worker)
		})
		batch, _ := store.OpenCaseBatch(ctx, s, 0, 10)
		d91 := store.StoredDeadline{Kind: "assess_day_91", Due: day("2026-11-29"), Ref: "SFB 27 kap. 47 §"}
		d181 := store.StoredDeadline{Kind: "assess_day_181", Due: day("2027-02-27"), Ref: "SFB 27 kap. 48 §"}
		end := store.StoredDeadline{Kind: "certificate_end", Key: "2026-11-20", Due: day("2026-11-20"), Ref: "Process"}
		ups := []store.CaseUpdate{recomputed(f.caseA, day("2026-11-30"), 91, end.Due, []store.StoredDeadline{d91, d181, end}, nil),
			recomputed(f.caseB, day("2026-11-30"), 61, store.NoDue, nil, nil)}
		if err := s.Tx(ctx, func(tx *store.Tx) error { return store.SaveRecomputed(ctx, tx, batch, ups, f.now) }); err != nil {
			t.Fatal(err)
		}
		before, _ := store.CaseByID(ctx, s, f.caseA)
		due, err := store.OpenDeadlinesDue(ctx, s, f.caseA, f.caseB, []string{"assess_day_91", "assess_day_181"}, day("2026-12-07"))
		if err != nil || len(due) != 1 || due[0].Kind != "assess_day_91" || due[0].CaseID != f.caseA || due[0].AssignedUserID != f.worker ||
			!due[0].Due.Equal(d91.Due) {
			t.Fatalf("due: %+v %v", due, err)
		}
		at := time.Date(2026, 11, 29, 14, 0, 0, 0, time.UTC)
		storetest.Write(t, s, func(tx *store.Tx) error {
			return store.CloseDeadlinesInBulk(ctx, tx, []store.ClosedDeadline{{ID: due[0].ID, ByUserID: due[0].AssignedUserID, At: at, Note: "Bedömt"}})
		})
		ds, _ := store.CaseDeadlines(ctx, s, f.caseA)
		for _, d := range ds {
			closed := d.Kind == "assess_day_91"
			if d.Done != closed || d.Auto || (closed && (d.ClosedBy != "Hanna Handläggare" || !d.ClosedAt.Equal(at) || d.Note != "Bedömt")) {
				t.Errorf("%s: done %v auto %v by %q at %v note %q", d.Kind, d.Done, d.Auto, d.ClosedBy, d.ClosedAt, d.Note)
			}
		}
		if after, _ := store.CaseByID(ctx, s, f.caseA); after.Version != before.Version {
			t.Errorf("version %d → %d", before.Version, after.Version)
		}
		// Closed again (a person was first): it stays as it was.
		storetest.Write(t, s, func(tx *store.Tx) error {
			return store.CloseDeadlinesInBulk(ctx, tx, []store.ClosedDeadline{{ID: due[0].ID, At: f.now, Note: "Igen"}})
		})
		ds, _ = store.CaseDeadlines(ctx, s, f.caseA)
		for _, d := range ds {
			if d.ID == due[0].ID && (d.Note != "Bedömt" || d.ClosedBy != "Hanna Handläggare" || !d.ClosedAt.Equal(at)) {
				t.Errorf("a closed deadline was closed again: %+v", d)
			}
		}
		if due, err := store.OpenDeadlinesDue(ctx, s, f.caseA, f.caseB, []string{"assess_day_91", "assess_day_181"}, day("2026-12-07")); err != nil || len(due) != 0 {
			t.Errorf("due after closing: %+v %v", due, err)
		}
	})
}
