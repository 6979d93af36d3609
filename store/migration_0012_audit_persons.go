package store

// migration0012 indexes the persons an audit entry names besides its own
// person_key: a list view is one entry naming every person listed, and a
// person's extract finds it through this table. n keeps the order the
// entry's hash covers them in.
var migration0012 = migration{
	version: 12, name: "audit entries' listed persons",
	up: func(d Dialect) []string {
		return []string{
			`CREATE TABLE audit_persons (
				seq        BIGINT NOT NULL,
				n          INTEGER NOT NULL,
				person_key TEXT NOT NULL,
				PRIMARY KEY (seq, n)
			)`,
			`CREATE INDEX audit_persons_person ON audit_persons (person_key, seq)`,
		}
	},
}
