package intake_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/intake"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// today is after every certificate in certificate/testdata and the demo.
var today = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func testdata(t testing.TB, name string) []byte {
	b, err := os.ReadFile(filepath.Join("..", "certificate", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The XML and the JSON form of one certificate are one stored certificate:
// the second is a duplicate of the first.
func TestXMLAndJSONStoreTheSameCertificate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		_, in, org := setupOn(t, st)
		ctx := context.Background()
		for _, name := range []string{"depression-good", "lumbago-poor", "smittskydd", "exhaustion-v2-supplement"} {
			first, err := in.Submit(ctx, intake.Submission{SenderOrgID: org, Format: intake.JSON, Body: testdata(t, name+".json"), Source: "test"})
			if err != nil || first.Status != intake.Accepted {
				t.Fatalf("%s.json: %v %+v", name, err, first)
			}
			second, err := in.Submit(ctx, intake.Submission{SenderOrgID: org, Format: intake.XML, Body: testdata(t, name+".xml"), Source: "test"})
			if err != nil || second.Status != intake.Duplicate || second.CertificateID != first.CertificateID {
				t.Fatalf("%s.xml after the JSON: %v %+v, want a duplicate of %d", name, err, second, first.CertificateID)
			}
		}
	})
}

func setupOn(t *testing.T, st *store.Store) (*store.Store, *intake.Intake, int64) {
	ctx := context.Background()
	var orgID int64
	storetest.Write(t, st, func(tx *store.Tx) error {
		o, err := store.CreateOrganisation(ctx, tx, organisation.Organisation{Slug: "region-test", Name: "Region Test (demo)", Type: organisation.Region})
		orgID = o.ID
		return err
	})
	return st, intake.New(st, storetest.AuditKeys(t), nil, func() time.Time { return today }), orgID
}

func demoSubmissions(t testing.TB, org int64, n int) []intake.Submission {
	certs := demo.Certificates(11, n, demo.Persons(11, n/10+1), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC))
	subs := make([]intake.Submission, n)
	for i := range certs {
		b, err := json.Marshal(certs[i])
		if err != nil {
			t.Fatal(err)
		}
		subs[i] = intake.Submission{SenderOrgID: org, Format: intake.JSON, Body: b, Source: "test"}
	}
	return subs
}

// A batch sent twice stores nothing the second time; a batch with bad
// certificates stores the good ones and keeps the bad ones with reasons.
func TestBatchesAreIdempotentAndKeepRejects(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		_, in, org := setupOn(t, st)
		ctx := context.Background()
		subs := demoSubmissions(t, org, 200)
		subs = append(subs, intake.Submission{SenderOrgID: org, Format: intake.JSON, Body: []byte(`{"id":"bad"}`), Source: "test"},
			intake.Submission{SenderOrgID: org, Format: intake.JSON, Body: []byte(`{oops`), Source: "test"})
		count := func(rs []intake.Result) map[intake.Status]int {
			m := map[intake.Status]int{}
			for _, r := range rs {
				m[r.Status]++
			}
			return m
		}
		rs, err := in.SubmitBatch(ctx, subs)
		if err != nil {
			t.Fatal(err)
		}
		if c := count(rs); c[intake.Accepted] != 200 || c[intake.Invalid] != 1 || c[intake.Malformed] != 1 {
			t.Fatalf("first batch: %v", c)
		}
		rs, err = in.SubmitBatch(ctx, subs)
		if err != nil {
			t.Fatal(err)
		}
		if c := count(rs); c[intake.Duplicate] != 200 || c[intake.Accepted] != 0 {
			t.Fatalf("second batch: %v", c)
		}
		var certs, rejected, audits int
		st.QueryRow(ctx, "SELECT count(*) FROM certificates").Scan(&certs)
		st.QueryRow(ctx, "SELECT count(*) FROM rejected_certificates").Scan(&rejected)
		st.QueryRow(ctx, "SELECT count(*) FROM audit_log WHERE action = 'receive_certificate'").Scan(&audits)
		if certs != 200 || rejected != 4 || audits != 200 {
			t.Fatalf("stored %d certificates, %d rejected, %d audit entries; want 200, 4, 200", certs, rejected, audits)
		}
	})
}

// A rejected certificate with a very long id of multibyte characters is
// kept, its id cut at a character boundary (PostgreSQL refuses broken UTF-8).
func TestRejectedLongIDIsKept(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		_, in, org := setupOn(t, st)
		ctx := context.Background()
		body := []byte(`{"id":"a` + strings.Repeat("ö", 150) + `"}`) // the 200th byte is inside an ö
		r, err := in.Submit(ctx, intake.Submission{SenderOrgID: org, Format: intake.JSON, Body: body, Source: "test"})
		if err != nil || r.Status != intake.Invalid {
			t.Fatalf("%v %+v", err, r)
		}
		var id string
		if err := st.QueryRow(ctx, "SELECT cert_id FROM rejected_certificates").Scan(&id); err != nil {
			t.Fatal(err)
		}
		if !utf8.ValidString(id) || len(id) > 200 || !strings.HasPrefix(id, "aöö") {
			t.Fatalf("stored id %q (%d bytes)", id, len(id))
		}
	})
}
