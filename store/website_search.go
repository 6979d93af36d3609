package store

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/finsam/finsam/website"
)

// Search of an association's public site (ADR 22, ADR 38). Both databases
// hold the same documents (site_search) and the same terms
// (site_search_terms), made here at write time by website.Words: the
// Snowball Swedish stemmer and PostgreSQL's Swedish stop words. Each term
// row counts the stem in the document's title and body and holds the
// document's place in the order a search for that one stem gives, so that
// a one-word search reads its page of hits in index order, and a search of
// several words ranks the documents that have them all from the counts:
// no text is stemmed again at query time, and both databases give the same
// answers because they hold the same numbers.

// SearchDoc is one document of the site to search.
type SearchDoc struct {
	Kind  string // "page", "news", "insats", "event", "network"
	Path  string // the address below the site's root
	Title string
	Body  string
}

// SearchHit is a document found, with its score.
type SearchHit struct {
	SearchDoc
	Score float64
}

// SearchResult is what a search found: the hits of the kind asked for (all
// kinds when none), best first, and how many of each kind matched.
type SearchResult struct {
	Hits   []SearchHit
	Facets map[string]int
	// Terms are the query's stems, for highlighting.
	Terms []string
}

// maxSearchHits bounds the hits a search gives (and is what a limit of 0
// asks for).
const maxSearchHits = 100

// searchScore ranks a document found from what was counted when it was
// indexed: titleN and bodyN are the words of the title and of the body
// that are words of the query, bodyWords all the words of the body. A
// word in the title counts five times one in the body, repeated words
// count less and less, and long bodies a little less than short ones.
func searchScore(titleN, bodyN, bodyWords int) float64 {
	return 5*float64(titleN) + math.Log1p(float64(bodyN))/math.Log2(2+float64(bodyWords)/50)
}

// hitOrder is the order of hits: the best score first, then by title and
// path, so that equal scores come in the same order on both databases.
func hitOrder(a, b SearchHit) int {
	if a.Score != b.Score {
		return cmp.Compare(b.Score, a.Score)
	}
	return cmp.Or(strings.Compare(a.Title, b.Title), strings.Compare(a.Path, b.Path))
}

// indexedDoc is a document with its stems counted.
type indexedDoc struct {
	SearchDoc
	id        int64
	bodyWords int
	// namePlace is the document's place among the association's in the
	// order of title and path, hitOrder's order of equal scores.
	namePlace int
	titleN    map[string]int
	bodyN     map[string]int
}

func countStems(d SearchDoc) indexedDoc {
	x := indexedDoc{SearchDoc: d, titleN: map[string]int{}, bodyN: map[string]int{}}
	for _, w := range website.Words(d.Title) {
		if w.Stem != "" {
			x.titleN[w.Stem]++
		}
	}
	for _, w := range website.Words(d.Body) {
		x.bodyWords++
		if w.Stem != "" {
			x.bodyN[w.Stem]++
		}
	}
	return x
}

// statementParams bounds the parameters of one multi-row statement.
const statementParams = 4000

// IndexSite replaces the association's search documents with docs and
// records fingerprint as what they were built from.
func IndexSite(ctx context.Context, tx *Tx, associationID int64, docs []SearchDoc, fingerprint string) error {
	for _, table := range []string{"site_search_terms", "site_search_facets", "site_search"} {
		if _, err := tx.Exec(ctx, "DELETE FROM "+table+" WHERE association_id = $1", associationID); err != nil {
			return err
		}
	}
	indexed := make([]indexedDoc, len(docs))
	at := make(map[[2]string]int, len(docs))
	for i, d := range docs {
		indexed[i] = countStems(d)
		at[[2]string{d.Kind, d.Path}] = i
	}
	const docWidth = 6
	args := make([]any, 0, len(indexed)*docWidth)
	for _, d := range indexed {
		args = append(args, associationID, d.Kind, d.Path, d.Title, d.Body, d.bodyWords)
	}
	err := eachStatement(tx, docWidth, args, func(rows int, args []any) error {
		return scanAll(ctx, tx, "INSERT INTO site_search (association_id, kind, path, title, body, body_words) VALUES "+
			valuesList(tx.Dialect(), rows, docWidth)+" RETURNING id, kind, path", args,
			func(r *Rows) error {
				var id int64
				var kind, path string
				if err := r.Scan(&id, &kind, &path); err != nil {
					return err
				}
				indexed[at[[2]string{kind, path}]].id = id
				return nil
			})
	})
	if err != nil {
		return fmt.Errorf("index documents: %w", err)
	}
	byName := make([]*indexedDoc, len(indexed))
	for i := range indexed {
		byName[i] = &indexed[i]
	}
	slices.SortFunc(byName, func(a, b *indexedDoc) int {
		return hitOrder(SearchHit{SearchDoc: a.SearchDoc}, SearchHit{SearchDoc: b.SearchDoc})
	})
	for place, d := range byName {
		d.namePlace = place + 1
	}
	// Each stem's documents in the order a search for it gives.
	type posting struct {
		doc   *indexedDoc
		score float64
	}
	postings := map[string][]posting{}
	for i := range indexed {
		d := &indexed[i]
		for t, n := range d.bodyN {
			postings[t] = append(postings[t], posting{d, searchScore(d.titleN[t], n, d.bodyWords)})
		}
		for t, n := range d.titleN {
			if d.bodyN[t] == 0 {
				postings[t] = append(postings[t], posting{d, searchScore(n, 0, d.bodyWords)})
			}
		}
	}
	terms := make([]string, 0, len(postings))
	for t := range postings {
		terms = append(terms, t)
	}
	slices.Sort(terms)
	const termWidth = 9
	args = args[:0]
	for _, t := range terms {
		ps := postings[t]
		slices.SortFunc(ps, func(a, b posting) int {
			return hitOrder(SearchHit{SearchDoc: a.doc.SearchDoc, Score: a.score}, SearchHit{SearchDoc: b.doc.SearchDoc, Score: b.score})
		})
		for place, p := range ps {
			args = append(args, associationID, t, place+1, p.doc.id, p.doc.Kind, p.doc.titleN[t], p.doc.bodyN[t], p.doc.bodyWords, p.doc.namePlace)
		}
	}
	if err := insertRows(ctx, tx, "site_search_terms (association_id, term, place, doc_id, kind, title_n, body_n, body_words, name_place)", termWidth, args); err != nil {
		return fmt.Errorf("index terms: %w", err)
	}
	// Each stem's documents counted by kind: a one-word search's facets.
	const facetWidth = 4
	args = args[:0]
	for _, t := range terms {
		byKind := map[string]int{}
		for _, p := range postings[t] {
			byKind[p.doc.Kind]++
		}
		kinds := make([]string, 0, len(byKind))
		for k := range byKind {
			kinds = append(kinds, k)
		}
		slices.Sort(kinds)
		for _, k := range kinds {
			args = append(args, associationID, t, k, byKind[k])
		}
	}
	if err := insertRows(ctx, tx, "site_search_facets (association_id, term, kind, n)", facetWidth, args); err != nil {
		return fmt.Errorf("index facets: %w", err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO site_search_state (association_id, fingerprint) VALUES ($1, $2)
		ON CONFLICT (association_id) DO UPDATE SET fingerprint = excluded.fingerprint`, associationID, fingerprint)
	return err
}

// SearchFingerprint is the fingerprint the association's documents were
// last built from ("" when never).
func SearchFingerprint(ctx context.Context, q Querier, associationID int64) (string, error) {
	var f string
	err := q.QueryRow(ctx, "SELECT fingerprint FROM site_search_state WHERE association_id = $1", associationID).Scan(&f)
	if err == ErrNotFound {
		return "", nil
	}
	return f, err
}

// SearchSite searches the association's documents for every word of
// query, stop words aside, and gives at most limit hits of kind (all kinds
// when ""), the best first.
func SearchSite(ctx context.Context, q Querier, associationID int64, query, kind string, limit int) (SearchResult, error) {
	res := SearchResult{Facets: map[string]int{}, Terms: website.Terms(query)}
	if len(res.Terms) == 0 || !textStorable(query) || !textStorable(kind) {
		return res, nil
	}
	if limit <= 0 || limit > maxSearchHits {
		limit = maxSearchHits
	}
	var err error
	if len(res.Terms) == 1 {
		err = searchOneTerm(ctx, q, associationID, res.Terms[0], kind, limit, &res)
	} else {
		err = searchTerms(ctx, q, associationID, res.Terms, kind, limit, &res)
	}
	return res, err
}

// searchOneTerm is a search for one stem, the usual query: the facets
// as counted when the documents were indexed, and the first limit of the
// stem's rows (of kind) in the order stored, each joined to its document.
func searchOneTerm(ctx context.Context, q Querier, associationID int64, term, kind string, limit int, res *SearchResult) error {
	err := scanAll(ctx, q, `SELECT kind, n FROM site_search_facets WHERE association_id = $1 AND term = $2`,
		[]any{associationID, term}, func(r *Rows) error {
			var k string
			var n int
			err := r.Scan(&k, &n)
			res.Facets[k] = n
			return err
		})
	if err != nil {
		return err
	}
	args := []any{associationID, term}
	if kind != "" {
		args = append(args, kind)
	}
	return scanAll(ctx, q, oneTermHitsQuery(kind != "", limit), args, func(r *Rows) error {
		var h SearchHit
		var bodyWords, titleN, bodyN int
		if err := r.Scan(&h.Kind, &h.Path, &h.Title, &h.Body, &bodyWords, &titleN, &bodyN); err != nil {
			return err
		}
		h.Score = searchScore(titleN, bodyN, bodyWords)
		res.Hits = append(res.Hits, h)
		return nil
	})
}

// oneTermHitsQuery reads the first limit hits of a stem ($2) in the
// association ($1), of one kind ($3) when ofKind, in stored order: the
// primary key's range for all kinds, the kind's range of its own index
// (migration 19) for one kind, so that neither database sorts the stem's
// rows or joins more than limit of them, whatever its statistics say
// (PostgreSQL may still take the primary key in order for a kind that
// most rows have). CROSS JOIN keeps SQLite to reading the terms first and
// each document by its id.
func oneTermHitsQuery(ofKind bool, limit int) string {
	kind := ""
	if ofKind {
		kind = " AND t.kind = $3"
	}
	return `SELECT d.kind, d.path, d.title, d.body, d.body_words, t.title_n, t.body_n
		FROM site_search_terms t CROSS JOIN site_search d
		WHERE t.association_id = $1 AND t.term = $2` + kind + ` AND d.id = t.doc_id
		ORDER BY t.place LIMIT ` + strconv.Itoa(limit)
}

// searchTerms is a search for several stems: the documents that have
// them all, with their counts summed, read from the stems' rows alone (one
// grouped read of integers: each row carries its document's body word
// count and place in title order), ranked here, then the text of the
// first limit read.
func searchTerms(ctx context.Context, q Querier, associationID int64, terms []string, kind string, limit int, res *SearchResult) error {
	args := []any{associationID}
	for _, t := range terms {
		args = append(args, t)
	}
	type found struct {
		id        int64
		kind      string
		score     float64
		namePlace int
	}
	var all []found
	err := scanAll(ctx, q, `SELECT doc_id, kind, body_words, name_place, SUM(title_n), SUM(body_n) FROM site_search_terms
		WHERE association_id = $1 AND term IN (`+numberedMarks(2, len(terms))+`)
		GROUP BY doc_id, kind, body_words, name_place HAVING count(*) = `+strconv.Itoa(len(terms)), args, func(r *Rows) error {
		var f found
		var bodyWords, titleN, bodyN int
		if err := r.Scan(&f.id, &f.kind, &bodyWords, &f.namePlace, &titleN, &bodyN); err != nil {
			return err
		}
		res.Facets[f.kind]++
		if kind == "" || f.kind == kind {
			f.score = searchScore(titleN, bodyN, bodyWords)
			all = append(all, f)
		}
		return nil
	})
	if err != nil || len(all) == 0 {
		return err
	}
	// hitOrder's order: the place in title order stands for the title and
	// path.
	slices.SortFunc(all, func(a, b found) int {
		if a.score != b.score {
			return cmp.Compare(b.score, a.score)
		}
		return cmp.Compare(a.namePlace, b.namePlace)
	})
	all = all[:min(limit, len(all))]
	ids, at := make([]any, len(all)), make(map[int64]int, len(all))
	res.Hits = make([]SearchHit, len(all))
	for i, f := range all {
		ids[i], at[f.id] = f.id, i
		res.Hits[i].Score = f.score
	}
	err = scanAll(ctx, q, "SELECT id, kind, path, title, body FROM site_search WHERE id IN ("+numberedMarks(1, len(ids))+")", ids, func(r *Rows) error {
		var id int64
		var d SearchDoc
		if err := r.Scan(&id, &d.Kind, &d.Path, &d.Title, &d.Body); err != nil {
			return err
		}
		res.Hits[at[id]].SearchDoc = d
		return nil
	})
	// A document rebuilt away between the two reads is left out.
	res.Hits = slices.DeleteFunc(res.Hits, func(h SearchHit) bool { return h.Path == "" })
	return err
}

// numberedMarks is "$from, $from+1, …", n of them.
func numberedMarks(from, n int) string {
	marks := make([]string, n)
	for i := range marks {
		marks[i] = "$" + strconv.Itoa(from+i)
	}
	return strings.Join(marks, ", ")
}
