package store

// migration0013 indexes persons' names for the search in the page header:
// a prefix of the given name (the stored name's start) or of the family
// name (what follows the first space), compared byte for byte so that a
// prefix is a range of the index on both databases. The expressions must
// be written exactly as nameExprs writes them for the planner to use the
// indexes. The protected-identity flag rides in the name indexes, and a
// case's office and case worker in an index by person, so that a search
// of one office reads the rows of the matches only, not of every person
// of the name (most of whom have no case of that office).
var migration0013 = migration{
	version: 13, name: "persons' given and family names, and cases by person and office, indexed for search",
	up: func(d Dialect) []string {
		if d == Postgres {
			return []string{
				`CREATE INDEX persons_name ON persons ((name COLLATE "C"), protected_identity)`,
				`CREATE INDEX persons_family_name ON persons ((substr(name, strpos(name, ' ') + 1) COLLATE "C"), protected_identity)`,
				`CREATE INDEX sickness_cases_person_office ON sickness_cases (person_id, office_id, assigned_user_id)`,
			}
		}
		return []string{
			`CREATE INDEX persons_name ON persons (name, protected_identity)`,
			`CREATE INDEX persons_family_name ON persons (substr(name, instr(name, ' ') + 1), protected_identity)`,
			`CREATE INDEX sickness_cases_person_office ON sickness_cases (person_id, office_id, assigned_user_id)`,
		}
	},
}
