package store_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// benchQuality reads the quality board's year over generated national
// data (demo.Populate; FINSAM_BENCH_CERTIFICATES certificates, 12,000 by
// default, with a tenth as many open cases, and eight deadlines per case of
// which two a person closed a month ago). The baseline in
// the same run is QualityUnits over the same year: one grouped pass over
// the same certificates, which the board reads beside its figures.
func benchQuality(b *testing.B, d store.Dialect) {
	ctx := context.Background()
	st := storetest.Open(b, d)
	n, _ := strconv.Atoi(os.Getenv("FINSAM_BENCH_CERTIFICATES"))
	if n <= 0 {
		n = 12_000
	}
	today := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	size := demo.Size{Persons: n, OpenCases: n / 10, Certificates: n, Associations: 1}
	if _, err := demo.LoadIfEmpty(ctx, st, demo.DefaultSeed, "demo"); err != nil {
		b.Fatal(err)
	}
	if _, err := demo.Populate(ctx, st, demo.PopulateConfig{Seed: 1, Today: today, Size: size}); err != nil {
		b.Fatal(err)
	}
	// Eight deadlines per case, two of them closed by a person: the
	// generator leaves deadlines to the recompute.
	kinds := "SELECT 'k1' AS kind UNION ALL SELECT 'k2' UNION ALL SELECT 'k3' UNION ALL SELECT 'k4'" +
		" UNION ALL SELECT 'k5' UNION ALL SELECT 'k6' UNION ALL SELECT 'k7' UNION ALL SELECT 'k8'"
	if _, err := st.Exec(ctx, `INSERT INTO case_deadlines (case_id, kind, due, ref)
		SELECT s.id, k.kind, s.first_day, 'bench' FROM sickness_cases s CROSS JOIN (`+kinds+`) k`); err != nil {
		b.Fatal(err)
	}
	if _, err := st.Exec(ctx, `UPDATE case_deadlines SET closed_by = (SELECT MIN(id) FROM users), closed_at = $1
		WHERE kind IN ('k1', 'k2')`, today.AddDate(0, 0, -30)); err != nil {
		b.Fatal(err)
	}
	stockholm, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		b.Fatal(err)
	}
	var bounds []time.Time
	for i := range 13 {
		bounds = append(bounds, time.Date(2025, 11+time.Month(i), 1, 0, 0, 0, 0, stockholm))
	}
	// The board's seven finding codes, as web/quality counts them.
	codes := []string{certificate.FindingNotExamined, certificate.FindingImpairmentVague, certificate.FindingActivityVague,
		certificate.FindingNoLink, certificate.FindingFMBExceeded, certificate.FindingEarlyStart, certificate.FindingPrognosisUnclear}
	b.Run("QualityByMonth", func(b *testing.B) {
		for b.Loop() {
			rows, err := store.QualityByMonth(ctx, st, store.QualityQuery{Months: bounds, FindingCodes: codes})
			if err != nil || len(rows) == 0 {
				b.Fatal(len(rows), err)
			}
		}
	})
	// The per-unit counts alone (the year before's comparison reads them):
	// no answer times, no first actions.
	b.Run("QualityByMonth-counts-only", func(b *testing.B) {
		for b.Loop() {
			rows, err := store.QualityByMonth(ctx, st, store.QualityQuery{Months: bounds, FindingCodes: codes, CountsOnly: true})
			if err != nil || len(rows) == 0 {
				b.Fatal(len(rows), err)
			}
		}
	})
	b.Run("baseline=QualityUnits", func(b *testing.B) {
		for b.Loop() {
			if _, err := store.QualityUnits(ctx, st, bounds[0], bounds[len(bounds)-1]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkQualitySQLite(b *testing.B) { benchQuality(b, store.SQLite) }

func BenchmarkQualityPostgres(b *testing.B) {
	if os.Getenv("FINSAM_TEST_POSTGRES") == "" {
		b.Skip("FINSAM_TEST_POSTGRES is not set")
	}
	benchQuality(b, store.Postgres)
}
