package store

// migration0018 keeps, for every document of a public site's search and
// every stem in it, how often the stem stands in the title and in the
// body and the document's place in the order a search for that stem gives
// (ADR 38), on both databases: a search reads its hits in that order
// instead of ranking candidates by stemming their text again, and
// PostgreSQL matches the same stems as SQLite (its tsvector goes). The
// documents are emptied with their state, so that the next search
// rebuilds them in the new form.
var migration0018 = migration{
	version: 18, name: "search terms counted at write time",
	up: func(d Dialect) []string {
		var stmts []string
		if d == Postgres {
			stmts = append(stmts, `DROP INDEX site_search_tsv`, `ALTER TABLE site_search DROP COLUMN tsv`)
		} else {
			stmts = append(stmts, `DROP TABLE site_search_terms`)
		}
		terms := `CREATE TABLE site_search_terms (
				association_id BIGINT NOT NULL,
				term           TEXT NOT NULL,
				place          INTEGER NOT NULL,
				doc_id         BIGINT NOT NULL,
				kind           TEXT NOT NULL,
				title_n        INTEGER NOT NULL,
				body_n         INTEGER NOT NULL,
				PRIMARY KEY (association_id, term, place)
			)`
		// How many documents of each kind have a stem: the facets of a
		// one-word search, read as a few rows instead of counted over all
		// of the stem's rows (on PostgreSQL those lie scattered in the
		// heap).
		facets := `CREATE TABLE site_search_facets (
				association_id BIGINT NOT NULL,
				term           TEXT NOT NULL,
				kind           TEXT NOT NULL,
				n              INTEGER NOT NULL,
				PRIMARY KEY (association_id, term, kind)
			)`
		if d == SQLite {
			terms += ` WITHOUT ROWID`
			facets += ` WITHOUT ROWID`
		}
		return append(stmts,
			`DELETE FROM site_search_state`,
			`DELETE FROM site_search`,
			`ALTER TABLE site_search ADD COLUMN body_words INTEGER NOT NULL DEFAULT 0`,
			terms, facets)
	},
}
