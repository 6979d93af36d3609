package intake_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/intake"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// concurrentSenders is how many care providers' systems post at once in
// TestConcurrentSubmissionsAreEachStored: on PostgreSQL a dozen such
// posts at once gave up after the transaction helper's retries (503).
const concurrentSenders = 12

// Certificates posted one at a time by several systems at once, for
// different persons and for the same person, are all stored: none is given
// up after the transaction's retries, and none is even run again. A
// person's certificates that cover the same days make one case however
// they interleave, and the audit chain holds one entry for each
// certificate and verifies.
func TestConcurrentSubmissionsAreEachStored(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		_, in, org := setupOn(t, st)
		ctx := context.Background()
		// Ten certificates a sender: for persons of a shared pool (so that
		// senders meet on persons too) and, first of all, one for the same
		// person and days from every sender under an id of its own.
		const each = 10
		subs := demoSubmissions(t, org, concurrentSenders*(each-1))
		shared := demo.Certificates(23, 1, demo.Persons(23, 1), time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC),
			time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC))[0]
		perSender := make([][]intake.Submission, concurrentSenders)
		for g := range perSender {
			c := shared
			c.ID = fmt.Sprintf("shared-%02d", g)
			b, err := json.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			perSender[g] = append(perSender[g], intake.Submission{SenderOrgID: org, Format: intake.JSON, Body: b, Source: "test"})
			for i := g; i < len(subs); i += concurrentSenders {
				perSender[g] = append(perSender[g], subs[i])
			}
		}
		reruns := st.Reruns()
		var wg sync.WaitGroup
		results := make(chan error, concurrentSenders*each)
		start := make(chan struct{})
		for _, mine := range perSender {
			wg.Go(func() {
				<-start
				for _, s := range mine {
					r, err := in.Submit(ctx, s)
					if err == nil && r.Status != intake.Accepted {
						err = fmt.Errorf("status %v, errors %+v", r.Status, r.Errors)
					}
					results <- err
				}
			})
		}
		close(start)
		wg.Wait()
		close(results)
		failed := 0
		for err := range results {
			if err != nil {
				if failed == 0 {
					t.Errorf("a submission failed: %v", err)
				}
				failed++
			}
		}
		if failed > 0 {
			t.Fatalf("%d of %d submissions failed", failed, concurrentSenders*each)
		}
		// Each waits for the locks it needs (its person's, the audit
		// chain's head) instead of being aborted and run again: at
		// SERIALIZABLE these 120 submissions ran some 150 times more.
		if n := st.Reruns() - reruns; n != 0 {
			t.Errorf("the submissions' transactions were run again %d times, want none", n)
		}

		var certs, audits, sharedCases int
		st.QueryRow(ctx, "SELECT count(*) FROM certificates").Scan(&certs)
		st.QueryRow(ctx, "SELECT count(*) FROM audit_log WHERE action = 'receive_certificate'").Scan(&audits)
		st.QueryRow(ctx, `SELECT count(DISTINCT c.case_id) FROM certificates c WHERE c.cert_id LIKE 'shared-%'`).Scan(&sharedCases)
		if want := concurrentSenders * each; certs != want || audits != want {
			t.Errorf("%d certificates, %d audit entries; want %d of each", certs, audits, want)
		}
		if sharedCases != 1 {
			t.Errorf("the same person's certificates for the same days went into %d cases, want 1", sharedCases)
		}
		var entries int64
		st.QueryRow(ctx, "SELECT count(*) FROM audit_log").Scan(&entries)
		if res, err := st.VerifyAudit(ctx, storetest.AuditKeys(t)); err != nil || res.Entries != entries {
			t.Errorf("audit chain: %+v, %v", res, err)
		}
	})
}
