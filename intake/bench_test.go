package intake_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/intake"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

const benchCerts = 5000

// benchImport imports benchCerts demo certificates per iteration into a
// fresh database, in batches of 500 as finsam import does: parsing,
// validation, quality, person, case, periods and audit included.
func benchImport(b *testing.B, d store.Dialect) {
	storetest.SkipUnavailable(b, d)
	var total time.Duration
	for b.Loop() {
		b.StopTimer()
		st := storetest.Open(b, d)
		_, in, org := setupOn(&testing.T{}, st)
		_ = in
		in = intake.New(st, storetest.AuditKeys(b), nil, func() time.Time { return today })
		if err := in.Prepare(context.Background()); err != nil {
			b.Fatal(err)
		}
		subs := demoSubmissions(b, org, benchCerts)
		b.StartTimer()
		start := time.Now()
		for i := 0; i < len(subs); i += 500 {
			rs, err := in.SubmitBatch(context.Background(), subs[i:i+500])
			if err != nil {
				b.Fatal(err)
			}
			if rs[0].Status != intake.Accepted {
				b.Fatalf("not accepted: %+v", rs[0])
			}
		}
		total += time.Since(start)
	}
	b.ReportMetric(float64(b.N*benchCerts)/total.Seconds(), "certs/s")
}

// benchRawInsert writes the rows intake writes for the same certificates —
// person, case, certificate, periods and the audit entry — with batched
// prepared statements and nothing else: no parsing, validation, quality,
// look-ups or joining of cases. It is the floor intake is measured against.
func benchRawInsert(b *testing.B, d store.Dialect) {
	storetest.SkipUnavailable(b, d)
	var total time.Duration
	k := storetest.AuditKeys(b)
	for b.Loop() {
		b.StopTimer()
		st := storetest.Open(b, d)
		_, _, org := setupOn(&testing.T{}, st)
		ctx := context.Background()
		subs := demoSubmissions(b, org, benchCerts)
		certs := make([]*certificate.Certificate, len(subs))
		for i, s := range subs {
			c, err := certificate.ParseJSON(s.Body)
			if err != nil {
				b.Fatal(err)
			}
			certs[i] = c
		}
		if err := st.Prepare(ctx, store.IntakeStatements...); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		now := time.Now()
		for i := 0; i < len(subs); i += 500 {
			err := st.Tx(ctx, func(tx *store.Tx) error {
				events := make([]audit.Event, 0, 500)
				for j := i; j < i+500; j++ {
					c := certs[j]
					person, err := store.EnsurePerson(ctx, tx, c.Patient.Personnummer, now)
					if err != nil {
						return err
					}
					ps := c.Periods()
					caseID, err := store.InsertCase(ctx, tx, person, ps[0].From.Time(), ps[len(ps)-1].To.Time(), now)
					if err != nil {
						return err
					}
					sum := sha256.Sum256(subs[j].Body)
					id, err := store.InsertCertificate(ctx, tx, store.NewCertificate{SenderOrgID: org, CertID: c.ID,
						PersonID: person, CaseID: caseID, SignedAt: c.SignedAt, ReceivedAt: now, IssuerHSAID: c.Issuer.HSAID,
						UnitHSAID: c.Issuer.UnitHSAID, UnitName: c.Issuer.UnitName, CareProviderHSAID: c.Issuer.CareProviderHSAID,
						CareProviderName: c.Issuer.CareProviderName, DiagnosisCode: c.Diagnoses[0].Code, FirstDay: ps[0].From.Time(),
						LastDay: ps[len(ps)-1].To.Time(), QualityScore: 100, Findings: []byte("[]"), Source: "raw", Body: subs[j].Body,
						BodyHash: hex.EncodeToString(sum[:])})
					if err != nil {
						return err
					}
					sp := make([]store.Period, len(ps))
					for k, p := range ps {
						sp[k] = store.Period{From: p.From.Time(), To: p.To.Time(), Degree: p.Degree}
					}
					if err := store.InsertPeriods(ctx, tx, person, id, sp, "raw", now); err != nil {
						return err
					}
					events = append(events, audit.Event{At: now, ActorName: "raw", Action: "receive_certificate", Outcome: "ok",
						ResourceType: "certificate", ResourceID: c.ID})
				}
				return store.AppendAudit(ctx, tx, k, events...)
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		total += time.Since(start)
	}
	b.ReportMetric(float64(b.N*benchCerts)/total.Seconds(), "certs/s")
}

func BenchmarkImportSQLite(b *testing.B)    { benchImport(b, store.SQLite) }
func BenchmarkRawInsertSQLite(b *testing.B) { benchRawInsert(b, store.SQLite) }

func BenchmarkImportPostgres(b *testing.B)    { benchImport(b, store.Postgres) }
func BenchmarkRawInsertPostgres(b *testing.B) { benchRawInsert(b, store.Postgres) }
