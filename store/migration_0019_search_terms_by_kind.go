package store

// migration0019 serves the two searches that still read more than their
// page of hits (ADR 38):
//
//   - A search narrowed to one kind (the facets' links, "?typ=insats")
//     reads each stem's rows of that kind in stored order through an
//     index of their own, covering what the search reads. Without it
//     PostgreSQL, with no statistics yet on the freshly written rows, read,
//     joined and sorted all of the stem's rows to keep those of the kind
//     (10,000 for a common word), and even with statistics a rare kind
//     walked the stem's every row to find none.
//   - A search of several words ranks the documents that have them all
//     from their stems' rows alone: each row carries its document's body
//     word count and its place among the association's documents by title
//     and path (the order of equal scores), so that the grouped read joins
//     no document and reads no text.
//
// The documents are emptied with their state, so that the next search
// rebuilds them with the new columns filled.
var migration0019 = migration{
	version: 19, name: "search terms by kind, ranked without text",
	up: func(Dialect) []string {
		return []string{
			`DELETE FROM site_search_state`,
			`DELETE FROM site_search_terms`,
			`DELETE FROM site_search_facets`,
			`DELETE FROM site_search`,
			`ALTER TABLE site_search_terms ADD COLUMN body_words INTEGER NOT NULL DEFAULT 0`,
			`ALTER TABLE site_search_terms ADD COLUMN name_place INTEGER NOT NULL DEFAULT 0`,
			`CREATE INDEX site_search_terms_kind ON site_search_terms (association_id, term, kind, place, doc_id, title_n, body_n)`,
		}
	},
}
