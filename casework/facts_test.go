package casework_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// canonical reads a certificate from certificate/testdata in its stored
// form.
func canonical(t *testing.T, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile("../certificate/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	c, err := certificate.ParseJSON(raw)
	if err != nil {
		t.Fatal(err)
	}
	return c.Canonical()
}

func TestFactsFromStoredRows(t *testing.T) {
	motivated := canonical(t, "exhaustion-v2-supplement.json")
	plain := canonical(t, "depression-good.json")
	// 23:30 UTC on 2026-10-01 is 01:30 on 2 October in Sweden.
	signed := time.Date(2026, 10, 1, 23, 30, 0, 0, time.UTC)
	c := &store.RecomputeCase{
		ID: 7, Employment: "self_employed", AnnualIncomeOre: 31234550, SeriousIllness: true,
		Periods: []store.Period{{From: day("2026-09-01"), To: day("2026-09-30"), Degree: 100},
			{From: day("2026-10-01"), To: day("2026-12-31"), Degree: 50}},
		Certificates: []store.RecomputeCertificate{
			{ID: 1, SignedAt: signed, FirstDay: day("2026-09-01"), LastDay: day("2026-09-30"), DiagnosisCode: "F321",
				QualityScore: 55, Findings: []byte(`[{"code":"a"},{"code":"b"}]`), Body: plain},
			{ID: 2, SignedAt: signed, FirstDay: day("2026-10-01"), LastDay: day("2026-12-31"), DiagnosisCode: "F438A",
				QualityScore: 90, Findings: []byte(`[]`), Body: motivated},
			{ID: 3, SignedAt: signed, FirstDay: day("2026-10-01"), LastDay: day("2026-12-31"), DiagnosisCode: "J06",
				Findings: []byte(`[]`), Body: motivated},
		},
		Supplements: []store.RecomputeSupplement{{MessageID: 9, SentAt: signed, AnswerBy: day("2026-10-20")}},
		LastContact: day("2026-11-02"),
		PlanActions: 2,
		CaseStarts:  []time.Time{day("2025-01-05"), day("2026-09-01")},
		Deadlines: []store.StoredDeadline{
			{Kind: casework.DeadlineAssessDay91, Done: true},                                   // closed by a person
			{Kind: casework.DeadlineCertificateEnd, Key: "2026-09-30", Done: true, Auto: true}, // closed by the facts
			{Kind: casework.DeadlineAssessDay181},
		},
	}
	date := civil.MustParse("2026-11-30")
	f := casework.FactsFrom(c, date, certificate.DefaultFMB())
	if f.Date != date || f.Employment != rules.SelfEmployed || f.AnnualIncome != 312345.50 || !f.SeriousIllness {
		t.Errorf("case facts: %+v", f)
	}
	if len(f.Periods) != 2 || f.Periods[1] != (rules.Period{From: civil.MustParse("2026-10-01"), To: civil.MustParse("2026-12-31"), Degree: 50}) {
		t.Errorf("periods %+v", f.Periods)
	}
	if len(f.Certificates) != 3 {
		t.Fatalf("certificates %+v", f.Certificates)
	}
	c1, c2, c3 := f.Certificates[0], f.Certificates[1], f.Certificates[2]
	if c1.SignedOn != civil.MustParse("2026-10-02") || c1.Findings != 2 || c1.QualityScore != 55 || c1.FMBMaxDays == 0 || c1.FMBMotivated {
		t.Errorf("certificate 1: %+v", c1)
	}
	if c2.Findings != 0 || c2.FMBMaxDays == 0 || !c2.FMBMotivated {
		t.Errorf("certificate 2 (motivated): %+v", c2)
	}
	if c3.FMBMaxDays != 0 || c3.FMBMotivated {
		t.Errorf("certificate 3 (no FMB for the diagnosis): %+v", c3)
	}
	if len(f.Supplements) != 1 || f.Supplements[0].SentOn != civil.MustParse("2026-10-02") || f.Supplements[0].AnswerBy != civil.MustParse("2026-10-20") {
		t.Errorf("supplements %+v", f.Supplements)
	}
	if f.LastContact != civil.MustParse("2026-11-02") || f.PlanActions != 2 || len(f.CaseStarts) != 2 || f.CaseStarts[0] != civil.MustParse("2025-01-05") {
		t.Errorf("contact %v plan %d starts %v", f.LastContact, f.PlanActions, f.CaseStarts)
	}
	if len(f.Done) != 1 || !f.Done[casework.DeadlineID{Kind: casework.DeadlineAssessDay91}] {
		t.Errorf("done %v: only what a person closed", f.Done)
	}

	// No FMB table, no contact: nothing made up.
	f = casework.FactsFrom(&store.RecomputeCase{Employment: "employee", Certificates: c.Certificates[:1]}, date, nil)
	if !f.LastContact.IsZero() || f.Certificates[0].FMBMaxDays != 0 || f.Done != nil {
		t.Errorf("bare case: %+v", f)
	}
}

// TestFMBMotivationSurvivesTheDatabase: PostgreSQL keeps the body as jsonb
// and writes it back in its own form, which must still be read.
func TestFMBMotivationSurvivesTheDatabase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := setup(t, st)
		ctx := context.Background()
		id := f.addCases(t, period("2026-09-01", "2026-12-31", 100))[0]
		storetest.Write(t, st, func(tx *store.Tx) error {
			c, err := store.CaseByID(ctx, tx, id)
			if err != nil {
				return err
			}
			for i, name := range []string{"depression-good.json", "exhaustion-v2-supplement.json"} {
				if _, err := store.InsertCertificate(ctx, tx, store.NewCertificate{SenderOrgID: f.fk, CertID: name, PersonID: c.PersonID,
					CaseID: id, SignedAt: testNow.AddDate(0, 0, i-30), ReceivedAt: testNow, IssuerHSAID: "SE1", UnitHSAID: "SE2", UnitName: "U",
					CareProviderHSAID: "SE3", CareProviderName: "V", DiagnosisCode: "F438A", FirstDay: day("2026-09-01"), LastDay: day("2026-12-31"),
					QualityScore: 80, Findings: []byte(`[{"code":"x"}]`), Source: "api", Body: canonical(t, name), BodyHash: name}); err != nil {
					return err
				}
			}
			return nil
		})
		c, err := store.CaseFactsByID(ctx, st, id)
		if err != nil {
			t.Fatal(err)
		}
		facts := casework.FactsFrom(&c, civil.MustParse("2026-11-30"), certificate.DefaultFMB())
		if len(facts.Certificates) != 2 || facts.Certificates[0].FMBMotivated || !facts.Certificates[1].FMBMotivated ||
			facts.Certificates[1].Findings != 1 || facts.Certificates[1].FMBMaxDays == 0 {
			t.Errorf("certificates read back: %+v", facts.Certificates)
		}
	})
}

// TestOverlappingPeriodsGiveWayToTheLatestCertificate: the rules engine
// refuses overlapping periods, and certificates overlap when a newer one
// revises an older one; a period entered by hand decides over them.
func TestOverlappingPeriodsGiveWayToTheLatestCertificate(t *testing.T) {
	signed := func(s string) time.Time { return day(s).Add(10 * time.Hour) }
	p := func(id, cert int64, from, to string, degree int) store.Period {
		return store.Period{ID: id, CertificateID: cert, From: day(from), To: day(to), Degree: degree}
	}
	certs := []store.RecomputeCertificate{{ID: 1, SignedAt: signed("2026-09-01")}, {ID: 2, SignedAt: signed("2026-10-10")},
		{ID: 3, SignedAt: signed("2026-08-01")}}
	tests := []struct {
		name    string
		periods []store.Period
		want    string
	}{
		{"apart", []store.Period{p(1, 1, "2026-09-01", "2026-09-30", 100), p(2, 2, "2026-10-01", "2026-10-31", 50)},
			"2026-09-01..2026-09-30 100, 2026-10-01..2026-10-31 50"},
		{"a newer certificate overlaps the end", []store.Period{p(1, 1, "2026-09-01", "2026-10-31", 100), p(2, 2, "2026-10-10", "2026-11-30", 50)},
			"2026-09-01..2026-10-09 100, 2026-10-10..2026-11-30 50"},
		{"a newer certificate inside an older one", []store.Period{p(1, 1, "2026-09-01", "2026-12-31", 100), p(2, 2, "2026-10-10", "2026-10-31", 50)},
			"2026-09-01..2026-10-09 100, 2026-10-10..2026-10-31 50, 2026-11-01..2026-12-31 100"},
		// Stored in the other order: signing time decides, not the id.
		{"an older certificate stored later", []store.Period{p(5, 3, "2026-08-20", "2026-09-15", 25), p(1, 1, "2026-09-01", "2026-09-30", 100)},
			"2026-08-20..2026-08-31 25, 2026-09-01..2026-09-30 100"},
		{"a period entered by hand decides", []store.Period{p(9, 0, "2026-09-01", "2026-09-30", 75), p(1, 1, "2026-09-20", "2026-10-15", 100)},
			"2026-09-01..2026-09-30 75, 2026-10-01..2026-10-15 100"},
		{"the same days twice", []store.Period{p(1, 0, "2026-09-01", "2026-09-30", 75), p(2, 0, "2026-09-01", "2026-09-30", 50)},
			"2026-09-01..2026-09-30 50"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := casework.FactsFrom(&store.RecomputeCase{Employment: "employee", Periods: tc.periods, Certificates: certs}, civil.MustParse("2026-11-30"), nil)
			var got []string
			for _, p := range f.Periods {
				got = append(got, p.From.String()+".."+p.To.String()+" "+strconv.Itoa(p.Degree))
			}
			if strings.Join(got, ", ") != tc.want {
				t.Errorf("got  %s\nwant %s", strings.Join(got, ", "), tc.want)
			}
		})
	}
}
