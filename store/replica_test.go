package store_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/finsam/finsam/internal/pgreplica"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// TestReplicaReads runs read-only work against a real streaming replica of
// the test server: the reads go to it, a caller's own writes are seen at
// once, a replica that lags past the bound or stops is left for the primary,
// and no read fails meanwhile.
func TestReplicaReads(t *testing.T) {
	rep := pgreplica.Start(t)
	ctx := context.Background()
	cfg := storetest.Config(t, store.Postgres)
	primary, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer primary.Close()
	if _, err := primary.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	replicaURL := rep.URL(t, cfg.DatabaseURL)
	cfg.ReplicaURLs = []string{replicaURL}
	cfg.Replicas = store.ReplicaConfig{MaxLag: time.Second, Probe: 50 * time.Millisecond}
	st, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	waitReplica(t, st, true)
	admin, err := sql.Open("pgx", replicaURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()

	months := []time.Time{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)}
	readPaths := func(ctx context.Context) error {
		if _, err := store.RuleParamValues(ctx, st); err != nil {
			return err
		}
		if _, err := store.RuleScenarios(ctx, st); err != nil {
			return err
		}
		if _, err := store.QualityByMonth(ctx, st, store.QualityQuery{Months: months}); err != nil {
			return err
		}
		if _, err := store.QualityUnits(ctx, st, months[0], months[1]); err != nil {
			return err
		}
		return st.ReadTx(ctx, func(tx *store.Tx) error {
			_, err := store.RuleParamsVersion(ctx, tx)
			return err
		})
	}
	// valueSeen says whether a read of ctx sees the stored value named name.
	valueSeen := func(ctx context.Context, name string) bool {
		t.Helper()
		values, err := store.RuleParamValues(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range values {
			if v.Name == name {
				return true
			}
		}
		return false
	}
	day := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	write := func(ctx context.Context, name string) {
		t.Helper()
		// Through ctx, not a setup transaction of its own: a request's
		// context records that it wrote, which the routing reads.
		err := st.Tx(ctx, func(tx *store.Tx) error {
			if _, err := store.BumpRuleParamsVersion(ctx, tx); err != nil {
				return err
			}
			_, err := store.InsertRuleParamValue(ctx, tx, store.RuleParamValue{Name: name, From: day, Value: "1",
				Ref: "test", Source: "test", CreatedAt: time.Now(), CreatedBy: "test"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	t.Run("read-only work runs on the replica", func(t *testing.T) {
		before := status(st)
		if err := readPaths(store.ReadOnly(ctx, 0)); err != nil {
			t.Fatal(err)
		}
		after := status(st)
		if got := after.reads - before.reads; got < 5 {
			t.Errorf("the replica served %d queries, want at least 5", got)
		}
		if after.primaryReads != before.primaryReads {
			t.Errorf("%d read-only queries ran on the primary", after.primaryReads-before.primaryReads)
		}
		// An unmarked context never goes to the replica.
		if err := readPaths(ctx); err != nil {
			t.Fatal(err)
		}
		if got := status(st).reads; got != after.reads {
			t.Errorf("unmarked reads ran on the replica (%d queries)", got-after.reads)
		}
	})

	t.Run("the writer reads its own writes", func(t *testing.T) {
		// With replay paused the replica cannot have the write: only the
		// routing can make the writer see it.
		if _, err := admin.Exec("SELECT pg_wal_replay_pause()"); err != nil {
			t.Fatal(err)
		}
		defer admin.Exec("SELECT pg_wal_replay_resume()")
		write(ctx, "ryw.next_request")
		pos, err := st.WritePosition(ctx)
		if err != nil || pos == 0 {
			t.Fatalf("WritePosition = %v, %v", pos, err)
		}
		if !valueSeen(store.ReadOnly(ctx, pos), "ryw.next_request") {
			t.Error("a read after the caller's write position does not see the write")
		}
		if valueSeen(store.ReadOnly(ctx, 0), "ryw.next_request") {
			t.Error("a read of someone else saw the write on a paused replica: it did not run on the replica")
		}
		// Within one request: once it wrote, it reads from the primary.
		rctx := store.ReadOnly(ctx, 0)
		write(rctx, "ryw.same_request")
		if !valueSeen(rctx, "ryw.same_request") {
			t.Error("a request does not see its own write")
		}

		// Paused for longer than the bound, the replica is out of service
		// and everyone reads from the primary.
		waitReplica(t, st, false)
		if !valueSeen(store.ReadOnly(ctx, 0), "ryw.next_request") {
			t.Error("a lagging replica still serves reads")
		}
		if _, err := admin.Exec("SELECT pg_wal_replay_resume()"); err != nil {
			t.Fatal(err)
		}
		waitReplica(t, st, true)
		if !valueSeen(store.ReadOnly(ctx, pos), "ryw.next_request") {
			t.Error("the write is not seen after the replica caught up")
		}
	})

	t.Run("a replica that stops mid-run fails no read", func(t *testing.T) {
		before := status(st)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var mu sync.Mutex
		var errs []error
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					if err := readPaths(store.ReadOnly(ctx, 0)); err != nil {
						mu.Lock()
						errs = append(errs, err)
						mu.Unlock()
					}
				}
			}()
		}
		time.Sleep(300 * time.Millisecond)
		rep.Stop(t)
		time.Sleep(500 * time.Millisecond)
		close(stop)
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Errorf("%d reads failed while the replica stopped: %v", len(errs), err)
		}
		after := status(st)
		if after.reads == before.reads {
			t.Error("no read ran on the replica before it stopped")
		}
		if after.primaryReads == before.primaryReads {
			t.Error("no read ran on the primary after the replica stopped")
		}
		if after.healthy {
			t.Error("a stopped replica is still in service")
		}
		t.Logf("replica reads %d, fallbacks %d, reads on the primary %d",
			after.reads-before.reads, after.fallbacks-before.fallbacks, after.primaryReads-before.primaryReads)
	})
}

type replicaCounts struct {
	healthy                        bool
	reads, fallbacks, primaryReads uint64
}

func status(st *store.Store) replicaCounts {
	rs, primary := st.ReplicaStatus()
	return replicaCounts{healthy: rs[0].Healthy, reads: rs[0].Reads, fallbacks: rs[0].Fallbacks, primaryReads: primary}
}

func waitReplica(t *testing.T, st *store.Store, healthy bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for status(st).healthy != healthy {
		if time.Now().After(deadline) {
			t.Fatalf("the replica's health stayed %v for 30 s", !healthy)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestReplicasNeedPostgreSQL(t *testing.T) {
	_, err := store.Open(context.Background(), store.Config{DataDir: t.TempDir(), ReplicaURLs: []string{"postgres://127.0.0.1:1/x"}})
	if err == nil || !strings.Contains(err.Error(), "PostgreSQL") {
		t.Fatalf("Open(SQLite with replicas) = %v, want an error naming PostgreSQL", err)
	}
}

func TestWritePositionText(t *testing.T) {
	for _, s := range []string{"0/0", "16/B374D848", "FFFFFFFF/FFFFFFFF"} {
		p, err := store.ParseWritePosition(s)
		if err != nil || p.String() != s {
			t.Errorf("ParseWritePosition(%q) = %v, %v", s, p, err)
		}
	}
	for _, s := range []string{"", "16", "x/1", "1/100000000"} {
		if _, err := store.ParseWritePosition(s); err == nil {
			t.Errorf("ParseWritePosition(%q) took it", s)
		}
	}
}
