package store

// migration0013 indexes persons' names for the search in the page header:
// a prefix of the given name (the stored name's start) or of the family
// name (what follows the first space), compared byte for byte so that a
// prefix is a range of the index on both databases. The expressions must
// be written exactly as personNameTerm writes them for the planner to use
// the indexes.
var migration0013 = migration{
	version: 13, name: "persons' given and family names indexed for search",
	up: func(d Dialect) []string {
		if d == Postgres {
			return []string{
				`CREATE INDEX persons_name ON persons ((name COLLATE "C"))`,
				`CREATE INDEX persons_family_name ON persons ((substr(name, strpos(name, ' ') + 1) COLLATE "C"))`,
			}
		}
		return []string{
			`CREATE INDEX persons_name ON persons (name)`,
			`CREATE INDEX persons_family_name ON persons (substr(name, instr(name, ' ') + 1))`,
		}
	},
}
