package store

// migration0019 indexes each stem's documents by kind in the order a
// search for the stem gives, so that a search narrowed to one kind (the
// facets' links, "?typ=insats") reads its page of hits as one index range
// on both databases. Without it PostgreSQL read every one of the stem's
// rows to keep those of the kind: with no statistics on the freshly
// written rows it sorted and joined all of them (10,000 for a common
// word, half a second), and even with statistics a rare kind walked the
// stem's every row to find none.
var migration0019 = migration{
	version: 19, name: "search terms by kind",
	up: func(Dialect) []string {
		return []string{
			`CREATE INDEX site_search_terms_kind ON site_search_terms (association_id, term, kind, place, doc_id, title_n, body_n)`,
		}
	},
}
