package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

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
	defer rec.Close() // when it returns, the checkpoints are anchored too
	storetest.Concurrently(t, 4, func(w int) error {
		for i := w; i < n; i += 4 {
			if err := rec.Record(context.Background(), event(i)); err != nil {
				return err
			}
		}
		return nil
	})
}

func TestAuditChainFromConcurrentWritersVerifies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		keys := storetest.AuditKeys(t)
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
				keys := storetest.AuditKeys(t)
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
	fillAudit(t, s, storetest.AuditKeys(t), 120)
	other, _ := audit.NewKeys([]byte("another installation's master secret......"))
	var te *audit.TamperError
	if _, err := s.VerifyAudit(context.Background(), other); !errors.As(err, &te) {
		t.Fatalf("err = %v, want a checkpoint signature error", err)
	}
}

func TestSearchAudit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		fillAudit(t, s, storetest.AuditKeys(t), 30)
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

// openTwice opens two stores on one fresh database of the dialect, as two
// finsam instances would, migrated once.
func openTwice(t *testing.T, d store.Dialect) (*store.Store, *store.Store) {
	t.Helper()
	storetest.SkipUnavailable(t, d)
	cfg := storetest.Config(t, d)
	ctx := context.Background()
	var stores [2]*store.Store
	for i := range stores {
		s, err := store.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores[i] = s
	}
	if _, err := stores[0].Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return stores[0], stores[1]
}

func TestAuditChainFromTwoInstancesVerifies(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, d store.Dialect) {
		s1, s2 := openTwice(t, d)
		ctx := context.Background()
		keys := storetest.AuditKeys(t)
		// Each instance has its recorder, and writes append their own
		// entries beside it, so the head each recorder last saw keeps
		// going stale.
		recs := []*store.AuditRecorder{store.NewAuditRecorder(s1, keys), store.NewAuditRecorder(s2, keys)}
		const perWorker = 60
		var wg sync.WaitGroup
		errs := make(chan error, 8*perWorker)
		for w := range 8 {
			wg.Go(func() {
				s, rec := s1, recs[0]
				if w%2 == 1 {
					s, rec = s2, recs[1]
				}
				for i := range perWorker {
					e := event(w*perWorker + i)
					if w >= 6 && i%3 == 0 {
						errs <- s.Tx(ctx, func(tx *store.Tx) error { return store.AppendAudit(ctx, tx, keys, e) })
					} else {
						errs <- rec.Record(ctx, e)
					}
				}
			})
		}
		wg.Wait()
		for _, rec := range recs {
			rec.Close()
		}
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		res, err := s1.VerifyAudit(ctx, keys)
		if err != nil {
			t.Fatal(err)
		}
		if res.Entries != 8*perWorker || res.Sealed != 400 {
			t.Fatalf("result %+v, want %d entries sealed to 400", res, 8*perWorker)
		}
		// Every event exactly once: none lost or written twice by a
		// retried append.
		var n, distinct int
		if err := s2.QueryRow(ctx, "SELECT count(*), count(DISTINCT resource_id) FROM audit_log").Scan(&n, &distinct); err != nil {
			t.Fatal(err)
		}
		if n != 8*perWorker || distinct != n {
			t.Fatalf("%d entries for %d distinct events, want %d of each", n, distinct, 8*perWorker)
		}
	})
}

func TestAuditRecorderAppendsAfterAnotherInstanceMovedTheHead(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, d store.Dialect) {
		s1, s2 := openTwice(t, d)
		ctx := context.Background()
		keys := storetest.AuditKeys(t)
		rec := store.NewAuditRecorder(s1, keys)
		defer rec.Close()
		// The recorder learns the head, the other instance moves it, and
		// the recorder's next append must notice and chain onto the new
		// head, and the one after that go on from there.
		for i := range 3 {
			if err := rec.Record(ctx, event(2*i)); err != nil {
				t.Fatal(err)
			}
			if err := s2.Tx(ctx, func(tx *store.Tx) error { return store.AppendAudit(ctx, tx, keys, event(2*i+1)) }); err != nil {
				t.Fatal(err)
			}
		}
		if err := rec.Record(ctx, event(6), event(7)); err != nil {
			t.Fatal(err)
		}
		if err := rec.Record(ctx, event(8)); err != nil {
			t.Fatal(err)
		}
		if res, err := s2.VerifyAudit(ctx, keys); err != nil || res.Entries != 9 {
			t.Fatalf("VerifyAudit = %+v, %v; want 9 entries", res, err)
		}
	})
}

func TestAuditAnchorReportsARewoundTail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		keys := storetest.AuditKeys(t)
		path := filepath.Join(t.TempDir(), "audit-anchor.log")
		a, _, err := audit.OpenFileAnchor(path)
		if err != nil {
			t.Fatal(err)
		}
		s.SetAuditAnchor(a, func(err error) { t.Error(err) })
		// Checkpoints from the recorder (reads), from a write's own
		// transaction, and from a seal.
		fillAudit(t, s, keys, 250)
		events := make([]audit.Event, 60)
		for i := range events {
			events[i] = event(250 + i)
		}
		if err := s.Tx(ctx, func(tx *store.Tx) error { return store.AppendAudit(ctx, tx, keys, events...) }); err != nil {
			t.Fatal(err)
		}
		if err := s.SealAudit(ctx, keys); err != nil {
			t.Fatal(err)
		}
		check := func() (audit.Result, error) {
			log, err := audit.ReadAnchorFile(path)
			if err != nil {
				t.Fatal(err)
			}
			return s.CheckAudit(ctx, keys.PublicKey(), []*audit.AnchorLog{log})
		}
		log, _ := audit.ReadAnchorFile(path)
		var seqs []int64
		for _, c := range log.Checkpoints {
			seqs = append(seqs, c.Seq)
		}
		if fmt.Sprint(seqs) != "[100 200 300 310]" {
			t.Fatalf("anchored checkpoints %v, want [100 200 300 310]", seqs)
		}
		if res, err := check(); err != nil || res.Anchored != 310 || res.Sealed != 310 {
			t.Fatalf("before: %+v %v", res, err)
		}

		storetest.RewindAuditTail(t, s, 150)
		// The database alone cannot tell: the chain that is left is whole.
		if res, err := s.VerifyAudit(ctx, keys); err != nil || res.Entries != 150 {
			t.Fatalf("without the anchor: %+v %v, want a whole chain of 150", res, err)
		}
		_, err = check()
		var te *audit.TamperError
		if !errors.As(err, &te) || te.Seq != 151 || !strings.Contains(te.Reason, "rewound") || !strings.Contains(te.Reason, "200 to 310") {
			t.Fatalf("with the anchor: %v, want a rewound tail from entry 151", err)
		}
		// Appending again does not hide it: the new entries' checkpoints
		// differ from the anchored ones.
		fillAudit(t, s, keys, 100)
		if _, err := check(); !errors.As(err, &te) || te.Seq != 200 {
			t.Fatalf("after new entries: %v, want entry 200 differing from the anchor", err)
		}
	})
}

// flakyAnchor refuses checkpoints while failing is set.
type flakyAnchor struct {
	mu      sync.Mutex
	failing bool
	got     []audit.Checkpoint
}

func (f *flakyAnchor) Append(_ context.Context, cps ...audit.Checkpoint) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failing {
		return errors.New("disk full")
	}
	f.got = append(f.got, cps...)
	return nil
}

func (f *flakyAnchor) Close() error { return nil }

func (f *flakyAnchor) log() *audit.AnchorLog {
	f.mu.Lock()
	defer f.mu.Unlock()
	return &audit.AnchorLog{Name: "flaky", Checkpoints: append([]audit.Checkpoint(nil), f.got...)}
}

func TestAuditAnchorBehindTheDatabaseIsNoAlarm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		keys := storetest.AuditKeys(t)
		a := &flakyAnchor{failing: true}
		var failures []error
		var mu sync.Mutex
		s.SetAuditAnchor(a, func(err error) { mu.Lock(); failures = append(failures, err); mu.Unlock() })

		// What a crash between the commit and the anchor's append leaves:
		// the database ahead of its anchor. The entries stand.
		fillAudit(t, s, keys, 150)
		if len(failures) != 1 || !strings.Contains(failures[0].Error(), "entry 100") {
			t.Fatalf("failures %v, want one for the checkpoint of entry 100", failures)
		}
		res, err := s.CheckAudit(ctx, keys.PublicKey(), []*audit.AnchorLog{a.log()})
		if err != nil || res.Entries != 150 || res.Sealed != 100 || res.Anchored != 0 {
			t.Fatalf("anchor behind: %+v %v, want 150 entries sealed to 100, none anchored, no alarm", res, err)
		}
		// The refused checkpoint is offered again with the next one.
		a.mu.Lock()
		a.failing = false
		a.mu.Unlock()
		fillAudit(t, s, keys, 50)
		res, err = s.CheckAudit(ctx, keys.PublicKey(), []*audit.AnchorLog{a.log()})
		if err != nil || res.Anchored != 200 || len(a.log().Checkpoints) != 2 {
			t.Fatalf("caught up: %+v %v (anchor holds %d), want 100 and 200 anchored", res, err, len(a.log().Checkpoints))
		}
	})
}
