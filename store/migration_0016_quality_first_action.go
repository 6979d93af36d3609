package store

// migration0016 indexes the deadlines a person closed by case and time:
// the quality board's time to Försäkringskassan's first action joins each
// certificate to its case's closed deadlines after its receipt. With only
// the (case_id, kind, dkey) index, SQLite read every deadline of the case
// and filtered closed_by and closed_at row by row, for each certificate
// (over a million a year); the partial index holds only closed deadlines,
// which few are, ordered by time within the case.
var migration0016 = migration{
	version: 16, name: "closed deadlines by case",
	up: func(d Dialect) []string {
		return []string{
			`CREATE INDEX case_deadlines_closed ON case_deadlines (case_id, closed_at) WHERE closed_by IS NOT NULL`,
		}
	},
}
