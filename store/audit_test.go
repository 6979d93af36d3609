package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

func testKeys(t testing.TB) *audit.Keys {
	k, err := audit.NewKeys([]byte("test master secret, 32 bytes at least........"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func event(i int) audit.Event {
	return audit.Event{
		At: time.Date(2026, 11, 23, 10, 0, i, 0, time.UTC), ActorUserID: int64(i%3 + 1), ActorName: fmt.Sprintf("user%d", i%3),
		ActorOrg: "fk", ActorRoles: "case_worker", Action: "read_person", Outcome: audit.OutcomeOK,
		ResourceType: "person", ResourceID: fmt.Sprint(i), PersonKey: fmt.Sprintf("p_%d", i%5), RemoteAddr: "127.0.0.1", RequestID: "r",
	}
}

// fillAudit appends n entries from several goroutines at once.
func fillAudit(t *testing.T, s *store.Store, keys *audit.Keys, n int) {
	t.Helper()
	rec := store.NewAuditRecorder(s, keys)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < n; i += 4 {
				errs <- rec.Record(context.Background(), event(i))
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestAuditChainFromConcurrentWritersVerifies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		keys := testKeys(t)
		fillAudit(t, s, keys, 250)
		res, err := s.VerifyAudit(context.Background(), keys)
		if err != nil {
			t.Fatal(err)
		}
		if res.Entries != 250 || res.Sealed != 200 {
			t.Fatalf("result %+v, want 250 entries sealed to 200", res)
		}
		if err := s.SealAudit(context.Background(), keys); err != nil {
			t.Fatal(err)
		}
		if res, err := s.VerifyAudit(context.Background(), keys); err != nil || res.Sealed != 250 {
			t.Fatalf("after seal: %+v %v", res, err)
		}
	})
}

func TestAuditTamperingIsDetected(t *testing.T) {
	tests := []struct {
		name    string
		tamper  func(ctx context.Context, s *store.Store, keys *audit.Keys) error
		wantSeq int64
	}{
		{"edited field", func(ctx context.Context, s *store.Store, _ *audit.Keys) error {
			_, err := s.Exec(ctx, "UPDATE audit_log SET actor_name = 'someone-else' WHERE seq = 42")
			return err
		}, 42},
		{"edited timestamp", func(ctx context.Context, s *store.Store, _ *audit.Keys) error {
			_, err := s.Exec(ctx, "UPDATE audit_log SET at = $1 WHERE seq = 7", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
			return err
		}, 7},
		{"removed entry", func(ctx context.Context, s *store.Store, _ *audit.Keys) error {
			_, err := s.Exec(ctx, "DELETE FROM audit_log WHERE seq = 120")
			return err
		}, 120},
		{"removed tail", func(ctx context.Context, s *store.Store, _ *audit.Keys) error {
			_, err := s.Exec(ctx, "DELETE FROM audit_log WHERE seq > 140")
			return err
		}, 141},
		{"removed checkpointed tail and head rewound", func(ctx context.Context, s *store.Store, _ *audit.Keys) error {
			if _, err := s.Exec(ctx, "DELETE FROM audit_log WHERE seq > 99"); err != nil {
				return err
			}
			_, err := s.Exec(ctx, "UPDATE audit_head SET seq = 99, hash = (SELECT hash FROM audit_log WHERE seq = 99)")
			return err
		}, 100},
		{"inserted entry at the end", func(ctx context.Context, s *store.Store, _ *audit.Keys) error {
			e := event(999)
			var prev string
			if err := s.QueryRow(ctx, "SELECT hash FROM audit_log WHERE seq = 150").Scan(&prev); err != nil {
				return err
			}
			_, err := s.Exec(ctx, `INSERT INTO audit_log (seq, at, actor_user_id, actor_name, actor_org, actor_roles, action, outcome,
				resource_type, resource_id, person_key, purpose, remote_addr, request_id, prev_hash, hash)
				VALUES (151, $1, 1, 'x', 'fk', '', 'read_person', 'ok', 'person', '1', '', '', '', '', $2, $3)`,
				e.At, prev, audit.ComputeHash(prev, 151, &e))
			return err
		}, 151},
		{"chain rebuilt after an edit", func(ctx context.Context, s *store.Store, keys *audit.Keys) error {
			// An attacker with database access edits entry 10 and recomputes
			// every hash after it. Only the signed checkpoints give it away.
			if _, err := s.Exec(ctx, "UPDATE audit_log SET person_key = 'p_hidden' WHERE seq = 10"); err != nil {
				return err
			}
			entries, err := store.SearchAudit(ctx, s, store.AuditQuery{Limit: 10000})
			if err != nil {
				return err
			}
			prev := audit.GenesisHash
			for i := len(entries) - 1; i >= 0; i-- {
				e := entries[i]
				h := audit.ComputeHash(prev, e.Seq, &e.Event)
				if _, err := s.Exec(ctx, "UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3", prev, h, e.Seq); err != nil {
					return err
				}
				prev = h
			}
			_, err = s.Exec(ctx, "UPDATE audit_head SET hash = $1", prev)
			return err
		}, 100},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, s *store.Store) {
				ctx := context.Background()
				keys := testKeys(t)
				fillAudit(t, s, keys, 150)
				if _, err := s.VerifyAudit(ctx, keys); err != nil {
					t.Fatalf("before tampering: %v", err)
				}
				if err := tc.tamper(ctx, s, keys); err != nil {
					t.Fatal(err)
				}
				_, err := s.VerifyAudit(ctx, keys)
				var te *audit.TamperError
				if !errors.As(err, &te) || te.Seq != tc.wantSeq {
					t.Fatalf("VerifyAudit = %v, want tampering at %d", err, tc.wantSeq)
				}
			})
		})
	}
}

func TestAuditVerifyRefusesForeignKey(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	fillAudit(t, s, testKeys(t), 120)
	other, _ := audit.NewKeys([]byte("another installation's master secret......"))
	var te *audit.TamperError
	if _, err := s.VerifyAudit(context.Background(), other); !errors.As(err, &te) {
		t.Fatalf("err = %v, want a checkpoint signature error", err)
	}
}

func TestSearchAudit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		fillAudit(t, s, testKeys(t), 30)
		got, err := store.SearchAudit(ctx, s, store.AuditQuery{PersonKey: "p_3", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 6 {
			t.Fatalf("got %d entries for p_3, want 6", len(got))
		}
		for i, e := range got {
			if e.PersonKey != "p_3" || (i > 0 && e.Seq >= got[i-1].Seq) {
				t.Fatalf("entry %+v out of filter or order", e)
			}
		}
		got, _ = store.SearchAudit(ctx, s, store.AuditQuery{ActorUserID: 2, From: time.Date(2026, 11, 23, 10, 0, 10, 0, time.UTC), Until: time.Date(2026, 11, 23, 10, 0, 20, 0, time.UTC)})
		// User 2 made entries i with i%3 == 1; seconds 10–19 hold 10, 13, 16, 19.
		if len(got) != 4 {
			t.Fatalf("got %d entries for user 2 in the window, want 4", len(got))
		}
	})
}
