package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// testCert is a certificate of the small hand-made data sets below.
type testCert struct {
	person             string // personnummer
	provider, unit     string // HSA-ids; names are "name of " + the id
	signed, received   time.Time
	score              int
	findings           string // JSON
	firstDay, lastDays string
	testEnvironment    bool
}

// insertCerts stores the certificates, sent by one region, and returns
// their ids in order.
func insertCerts(t *testing.T, s *store.Store, certs []testCert) []int64 {
	t.Helper()
	ctx := context.Background()
	ids := make([]int64, len(certs))
	err := s.Tx(ctx, func(tx *store.Tx) error {
		org, err := store.OrganisationBySlug(ctx, tx, "region-test")
		if errors.Is(err, store.ErrNotFound) {
			org, err = store.CreateOrganisation(ctx, tx, organisation.Organisation{Slug: "region-test", Name: "Region Test", Type: organisation.Region})
		}
		if err != nil {
			return err
		}
		for i, c := range certs {
			pid, err := store.EnsurePerson(ctx, tx, c.person, c.received)
			if err != nil {
				return err
			}
			first, last := "2026-01-01", "2026-01-31"
			if c.firstDay != "" {
				first, last = c.firstDay, c.lastDays
			}
			findings := c.findings
			if findings == "" {
				findings = "[]"
			}
			ids[i], err = store.InsertCertificate(ctx, tx, store.NewCertificate{SenderOrgID: org.ID, CertID: fmt.Sprintf("c%d-%d", i, c.signed.UnixNano()),
				PersonID: pid, SignedAt: c.signed, ReceivedAt: c.received, IssuerHSAID: "SE1", UnitHSAID: c.unit, UnitName: "name of " + c.unit,
				CareProviderHSAID: c.provider, CareProviderName: "name of " + c.provider, DiagnosisCode: "F321",
				FirstDay: day(first), LastDay: day(last), QualityScore: c.score, Findings: []byte(findings),
				Source: "api", Body: []byte(`{}`), BodyHash: "h", TestEnvironment: c.testEnvironment})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

var stockholm, _ = time.LoadLocation("Europe/Stockholm")

// months returns the boundaries of n months from the first of year-month,
// midnight in Stockholm.
func months(year int, month time.Month, n int) []time.Time {
	out := make([]time.Time, n+1)
	for i := range out {
		out[i] = time.Date(year, month+time.Month(i), 1, 0, 0, 0, 0, stockholm)
	}
	return out
}

const (
	fVague      = `[{"code": "activity_limitation_vague", "answer_id": "17", "message": "…"}]`
	fFMBAndImp  = `[{"code":"functional_impairment_vague","answer_id":"35","message":"…"},{"code":"fmb_exceeded_without_motivation","answer_id":"37","message":"…"}]`
	fFMB        = `[{"code":"fmb_exceeded_without_motivation","answer_id":"37","message":"Sjukskrivningen är längre än FMB"}]`
	utcTime     = "2006-01-02 15:04"
	codeVague   = "activity_limitation_vague"
	codeImpVag  = "functional_impairment_vague"
	codeFMB     = "fmb_exceeded_without_motivation"
	codeNoMatch = "not_examined_without_reason"
)

func at(s string) time.Time {
	t, err := time.Parse(utcTime, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestQualityByMonth checks the board's aggregates against a data set small
// enough to count by hand, with certificates signed at the edges of
// Swedish months (which are not UTC months).
func TestQualityByMonth(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		recv := at("2026-04-02 10:00")
		ids := insertCerts(t, s, []testCert{
			{person: "197001019801", provider: "P1", unit: "U1", signed: at("2026-01-10 10:00"), received: recv, score: 100},
			{person: "197001019801", provider: "P1", unit: "U1", signed: at("2026-01-20 10:00"), received: recv, score: 75, findings: fVague},
			// 00:30 on 1 February in Stockholm: February's.
			{person: "197001029800", provider: "P1", unit: "U2", signed: at("2026-01-31 23:30"), received: recv, score: 70, findings: fFMBAndImp},
			{person: "197001039809", provider: "P2", unit: "U3", signed: at("2026-02-15 10:00"), received: recv, score: 85, findings: fFMB},
			// 00:30 on 1 April in Stockholm (summer time): after the period.
			{person: "197001039809", provider: "P2", unit: "U3", signed: at("2026-03-31 22:30"), received: recv, score: 100},
			// 00:30 on 1 January in Stockholm: January's.
			{person: "197001049808", provider: "P1", unit: "U1", signed: at("2025-12-31 23:30"), received: recv, score: 100},
			// Before the period.
			{person: "197001049808", provider: "P1", unit: "U1", signed: at("2025-12-31 22:30"), received: recv, score: 0, findings: fVague},
		})
		// Supplement requests: two about the first certificate (it counts
		// once), one about the second, answered after one day, two more and
		// 50 hours; one about the third, open.
		askedAt := at("2026-04-03 08:00")
		for _, m := range []struct {
			cert     int64
			answered time.Duration
		}{{ids[0], 24 * time.Hour}, {ids[0], 0}, {ids[1], 50 * time.Hour}, {ids[2], 0}} {
			var answered any
			if m.answered != 0 {
				answered = askedAt.Add(m.answered)
			}
			if _, err := s.Exec(ctx, `INSERT INTO certificate_messages (certificate_id, type, sender_org_id, recipient_org_id,
				questions, message, created_at, last_answer_date, answered_at)
				SELECT id, 'KOMPLT', sender_org_id, sender_org_id, '[]', 'm', $2, '2026-04-17', $3 FROM certificates WHERE id = $1`,
				m.cert, askedAt, answered); err != nil {
				t.Fatal(err)
			}
		}
		codes := []string{codeVague, codeImpVag, codeFMB, codeNoMatch}
		q := store.QualityQuery{Months: months(2026, time.January, 3), FindingCodes: codes}
		got, err := store.QualityByMonth(ctx, s, q)
		if err != nil {
			t.Fatal(err)
		}
		want := []store.QualityRow{
			{Month: 0, CareProviderHSAID: "P1", CareProviderName: "name of P1", UnitHSAID: "U1", UnitName: "name of U1",
				Certificates: 3, WithoutFindings: 2, ScoreSum: 275, Findings: []int{1, 0, 0, 0}},
			{Month: 1, CareProviderHSAID: "P1", CareProviderName: "name of P1", UnitHSAID: "U2", UnitName: "name of U2",
				Certificates: 1, WithoutFindings: 0, ScoreSum: 70, Findings: []int{0, 1, 1, 0}},
			{Month: 1, CareProviderHSAID: "P2", CareProviderName: "name of P2", UnitHSAID: "U3", UnitName: "name of U3",
				Certificates: 1, WithoutFindings: 0, ScoreSum: 85, Findings: []int{0, 0, 1, 0}},
		}
		if len(got) > 0 {
			slices.Sort(got[0].AnswerTimes)
		}
		want[0].Supplemented, want[0].AnswerTimes = 2, []time.Duration{24 * time.Hour, 50 * time.Hour}
		want[1].Supplemented = 1
		// FK's first action on the three certificates asked about is the
		// request, 22 hours after their receipt.
		want[0].FirstActionHours, want[1].FirstActionHours = map[int]int{22: 2}, map[int]int{22: 1}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("QualityByMonth:\n got %+v\nwant %+v", got, want)
		}

		// Counts only: the same rows without the times.
		counts, err := store.QualityByMonth(ctx, s, store.QualityQuery{Months: q.Months, FindingCodes: codes, CountsOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			want[i].AnswerTimes, want[i].FirstActionHours = nil, nil
		}
		if !reflect.DeepEqual(counts, want) {
			t.Errorf("QualityByMonth, counts only:\n got %+v\nwant %+v", counts, want)
		}

		// Only the region that sent them, or anyone, sees them.
		region, err := store.OrganisationBySlug(ctx, s, "region-test")
		if err != nil {
			t.Fatal(err)
		}
		q.SenderOrgID = region.ID
		if got, err := store.QualityByMonth(ctx, s, q); err != nil || len(got) != 3 {
			t.Errorf("the sender's own: %d rows, %v", len(got), err)
		}
		q.SenderOrgID = region.ID + 1000
		if got, err := store.QualityByMonth(ctx, s, q); err != nil || len(got) != 0 {
			t.Errorf("another sender's: %d rows, %v", len(got), err)
		}
		if units, err := store.QualityUnitsSentBy(ctx, s, q.Months[0], q.Months[3], region.ID+1000); err != nil || len(units) != 0 {
			t.Errorf("another sender's units: %v %v", units, err)
		}
		q.SenderOrgID = 0
		q.CareProviderHSAID = "P2"
		if got, err := store.QualityByMonth(ctx, s, q); err != nil || len(got) != 1 || got[0].UnitHSAID != "U3" {
			t.Errorf("care provider P2: %+v %v", got, err)
		}
		q.CareProviderHSAID, q.UnitHSAID = "", "U1"
		if got, err := store.QualityByMonth(ctx, s, q); err != nil || len(got) != 1 || got[0].Certificates != 3 {
			t.Errorf("unit U1: %+v %v", got, err)
		}
		// April alone holds the certificate signed 00:30 on 1 April.
		if got, err := store.QualityByMonth(ctx, s, store.QualityQuery{Months: months(2026, time.April, 1)}); err != nil ||
			len(got) != 1 || got[0].Certificates != 1 || got[0].Findings == nil {
			t.Errorf("April: %+v %v", got, err)
		}
		for _, bad := range [][]time.Time{nil, months(2026, 1, 0), {at("2026-02-01 00:00"), at("2026-01-01 00:00")}, months(2020, 1, store.MaxQualityMonths+1)} {
			if _, err := store.QualityByMonth(ctx, s, store.QualityQuery{Months: bad}); !errors.Is(err, store.ErrQueryRange) {
				t.Errorf("months %v: %v, want ErrQueryRange", bad, err)
			}
		}

		units, err := store.QualityUnits(ctx, s, q.Months[0], q.Months[3])
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, u := range units {
			names = append(names, u.CareProviderHSAID+"/"+u.UnitHSAID)
		}
		if !reflect.DeepEqual(names, []string{"P1/U1", "P1/U2", "P2/U3"}) {
			t.Errorf("QualityUnits = %v", names)
		}
	})
}

func TestQualityLeavesOutCertificatesOfTestEnvironments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		at := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
		insertCerts(t, s, []testCert{
			{person: "198504129829", provider: "SE2321000016-V1", unit: "SE2321000016-E1", signed: at, received: at, score: 100},
			{person: "191212121212", provider: "TSTNMT2321000156-102Q", unit: "TSTNMT2321000156-1077", signed: at, received: at,
				score: 40, testEnvironment: true},
		})
		rows, err := store.QualityByMonth(ctx, s, store.QualityQuery{Months: months(2026, time.March, 1)})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].UnitHSAID != "SE2321000016-E1" || rows[0].Certificates != 1 {
			t.Fatalf("got %+v", rows)
		}
		units, err := store.QualityUnits(ctx, s, months(2026, time.March, 1)[0], months(2026, time.March, 1)[1])
		if err != nil {
			t.Fatal(err)
		}
		if len(units) != 1 || units[0].UnitHSAID != "SE2321000016-E1" {
			t.Fatalf("units %+v", units)
		}
	})
}

// TestQualityCountsAFindingOncePerCertificate: a certificate whose list
// names a code twice counts once for it.
func TestQualityCountsAFindingOncePerCertificate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		twice := `[{"code":"` + codeVague + `","answer_id":"17","message":"a"},{"code":"` + codeVague + `","answer_id":"18","message":"b"}]`
		insertCerts(t, s, []testCert{
			{person: "197001019801", provider: "P1", unit: "U1", signed: at("2026-01-10 10:00"), received: at("2026-01-11 10:00"), score: 70, findings: twice},
			{person: "197001029800", provider: "P1", unit: "U1", signed: at("2026-01-12 10:00"), received: at("2026-01-13 10:00"), score: 85, findings: fFMB},
		})
		got, err := store.QualityByMonth(context.Background(), s, store.QualityQuery{Months: months(2026, time.January, 1),
			FindingCodes: []string{codeVague, codeFMB}})
		if err != nil || len(got) != 1 {
			t.Fatalf("%+v %v", got, err)
		}
		if want := []int{1, 1}; !reflect.DeepEqual(got[0].Findings, want) {
			t.Errorf("findings %v, want %v", got[0].Findings, want)
		}
	})
}
