package dashboards_test

import (
	"reflect"
	"testing"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// webtestSnapshot is the case tables as they stand (what a what-if run
// must not touch; sessions and the audit log change with every request).
func webtestSnapshot(t *testing.T, st *store.Store) map[string][]string {
	t.Helper()
	all := storetest.Snapshot(t, st)
	out := map[string][]string{}
	for _, table := range []string{"sickness_cases", "case_deadlines", "case_warnings", "sick_leave_periods", "certificates"} {
		out[table] = all[table]
	}
	return out
}

func equalSnapshots(a, b map[string][]string) bool { return reflect.DeepEqual(a, b) }
