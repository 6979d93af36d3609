package store

// migration0005 adds the indexes behind the inbox by municipality and the
// quality board by month.
var migration0005 = migration{
	version: 5, name: "indexes for the inbox by municipality and the quality board by month",
	up: func(d Dialect) []string {
		return []string{
			// An office's inbox starts from the persons in its municipalities.
			`CREATE INDEX persons_municipality ON persons (municipality_code)`,
			// The quality board over all care providers reads a range of months.
			`CREATE INDEX certificates_signed ON certificates (signed_at)`,
		}
	},
}
