package store

// migration0020 indexes an office's cases in id order. A dashboard's list
// of an office's cases (those sick on a day, open, past a day of the
// chain) is read a page at a time in id order; without it PostgreSQL walks
// the whole table by its primary key and filters, which for a figure of a
// few hundred cases among 200,000 reads nearly all of them for each page.
// With it a page reads no more than the office's own cases.
var migration0020 = migration{
	version: 20, name: "caseload lists of an office in id order",
	up: func(Dialect) []string {
		return []string{`CREATE INDEX sickness_cases_office_id ON sickness_cases (office_id, id)`}
	},
}
