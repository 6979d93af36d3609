package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// listEvent is a list view naming n persons, p_list_0 to p_list_<n-1>.
func listEvent(i, n int) audit.Event {
	e := event(i)
	e.Action, e.ResourceType, e.ResourceID, e.PersonKey = "list_cases", "case_list", "/arenden", ""
	for j := range n {
		e.Persons = append(e.Persons, fmt.Sprintf("p_list_%d", j))
	}
	return e
}

// fillListViews appends list views both ways a chain grows: through the
// recorder (on PostgreSQL one statement after the known head) and inside a
// write's transaction, with single entries between them.
func fillListViews(t *testing.T, s *store.Store, keys *audit.Keys) {
	t.Helper()
	ctx := context.Background()
	rec := store.NewAuditRecorder(s, keys)
	for i := range 10 {
		if err := rec.Record(ctx, event(i), listEvent(i, 3), listEvent(i, 50)); err != nil {
			t.Fatal(err)
		}
	}
	rec.Close()
	storetest.Write(t, s, func(tx *store.Tx) error {
		return store.AppendAudit(ctx, tx, keys, listEvent(100, 2), event(101), listEvent(102, 4))
	})
}

func TestAuditListViewIndexesItsPersons(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		keys := storetest.AuditKeys(t)
		fillListViews(t, s, keys)
		res, err := s.VerifyAudit(ctx, keys)
		if err != nil {
			t.Fatalf("VerifyAudit: %v", err)
		}
		if res.Entries != 33 {
			t.Errorf("%d entries, want 33 (one per list view)", res.Entries)
		}
		var n int
		if err := s.QueryRow(ctx, "SELECT count(*) FROM audit_persons").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 10*53+6 {
			t.Errorf("%d listed persons indexed, want %d", n, 10*53+6)
		}
		// A person listed only in the big lists finds exactly those.
		entries, err := store.PersonAudit(ctx, s, "p_list_40", "")
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 10 || slices.ContainsFunc(entries, func(e audit.Entry) bool { return e.Action != "list_cases" }) {
			t.Errorf("the extract of a listed person has %d entries, want the 10 list views", len(entries))
		}
		// A person both listed and read directly finds both, once each.
		entries, err = store.PersonAudit(ctx, s, "p_list_0", "")
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 22 {
			t.Errorf("the extract of p_list_0 has %d entries, want 22 list views", len(entries))
		}
	})
}

func TestAuditListViewTamperingIsDetected(t *testing.T) {
	// Entry 3 is the first 50-person list view.
	tests := []struct {
		name    string
		stmt    string
		wantSeq int64
	}{
		{"person removed from a list", "DELETE FROM audit_persons WHERE seq = 3 AND n = 7", 3},
		{"person replaced in a list", "UPDATE audit_persons SET person_key = 'p_other' WHERE seq = 3 AND n = 7", 3},
		{"person added to a list", "INSERT INTO audit_persons (seq, n, person_key) VALUES (3, 50, 'p_other')", 3},
		{"persons added to a single entry", "INSERT INTO audit_persons (seq, n, person_key) VALUES (1, 0, 'p_other')", 1},
		{"persons of no entry", "INSERT INTO audit_persons (seq, n, person_key) VALUES (9999, 0, 'p_other')", 9999},
		{"list emptied", "DELETE FROM audit_persons WHERE seq = 3", 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, s *store.Store) {
				ctx := context.Background()
				keys := storetest.AuditKeys(t)
				fillListViews(t, s, keys)
				if _, err := s.Exec(ctx, tc.stmt); err != nil {
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
