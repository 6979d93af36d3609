package store

// migration0014 indexes the worklist's other orders: by chain day, by
// sickness degree and by number of warnings, each per scope (a case
// worker's cases, an office's, a customer group's) after the status and
// with the id as the keyset's tie-break, so that a page in any order is a
// range scan of an index, forwards or backwards, and never a sort of an
// office's cases.
var migration0014 = migration{
	version: 14, name: "worklist orders",
	up: func(d Dialect) []string {
		var out []string
		for _, scope := range []struct{ name, col string }{
			{"assigned", "assigned_user_id"}, {"office", "office_id"}, {"group", "customer_group_id"},
		} {
			for _, key := range []struct{ name, col string }{
				{"chain_day", "chain_day"}, {"degree", "degree"}, {"warnings", "warning_count"},
			} {
				out = append(out, "CREATE INDEX sickness_cases_"+scope.name+"_by_"+key.name+
					" ON sickness_cases ("+scope.col+", status, "+key.col+", id)")
			}
		}
		return out
	},
}
