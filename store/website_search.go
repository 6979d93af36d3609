package store

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/finsam/finsam/website"
)

// Search of an association's public site. Both databases hold the same
// documents (site_search) and find the same ones: PostgreSQL with its
// swedish text-search configuration (a tsvector, the title weighted A and
// the body B, matched with plainto_tsquery: every word of the query, stop
// words left out, stemmed), SQLite with a table of the terms that
// website.Terms gives, the same Snowball stemmer and stop words. The
// database finds the documents; the ranking and the snippets are made here
// from the documents' text, the same way for both (see ADR 22).

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

// maxSearchCandidates bounds the documents a query ranks: the best by
// the database's own rank.
const maxSearchCandidates = 100

// IndexSite replaces the association's search documents with docs and
// records fingerprint as what they were built from.
func IndexSite(ctx context.Context, tx *Tx, associationID int64, docs []SearchDoc, fingerprint string) error {
	if tx.Dialect() == SQLite {
		if _, err := tx.Exec(ctx, "DELETE FROM site_search_terms WHERE doc_id IN (SELECT id FROM site_search WHERE association_id = $1)", associationID); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, "DELETE FROM site_search WHERE association_id = $1", associationID); err != nil {
		return err
	}
	for _, d := range docs {
		if tx.Dialect() == Postgres {
			if _, err := tx.Exec(ctx, `INSERT INTO site_search (association_id, kind, path, title, body, tsv) VALUES ($1, $2, $3, $4, $5,
				setweight(to_tsvector('swedish', $4), 'A') || setweight(to_tsvector('swedish', $5), 'B'))`,
				associationID, d.Kind, d.Path, d.Title, d.Body); err != nil {
				return fmt.Errorf("index %s: %w", d.Path, err)
			}
			continue
		}
		id, err := tx.InsertID(ctx, "INSERT INTO site_search (association_id, kind, path, title, body) VALUES ($1, $2, $3, $4, $5) RETURNING id",
			associationID, d.Kind, d.Path, d.Title, d.Body)
		if err != nil {
			return fmt.Errorf("index %s: %w", d.Path, err)
		}
		weights := map[string]float64{}
		for _, t := range website.Terms(d.Body) {
			weights[t] = 0.4
		}
		for _, t := range website.Terms(d.Title) {
			weights[t] = 1
		}
		for t, w := range weights {
			if _, err := tx.Exec(ctx, "INSERT INTO site_search_terms (doc_id, term, weight) VALUES ($1, $2, $3)", id, t, w); err != nil {
				return err
			}
		}
	}
	_, err := tx.Exec(ctx, `INSERT INTO site_search_state (association_id, fingerprint) VALUES ($1, $2)
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
// query, stop words aside.
func SearchSite(ctx context.Context, s *Store, associationID int64, query, kind string, limit int) (SearchResult, error) {
	res := SearchResult{Facets: map[string]int{}, Terms: website.Terms(query)}
	if len(res.Terms) == 0 || !textStorable(query) {
		return res, nil
	}
	var docs []SearchDoc
	var facets []CodeCount
	var err error
	kindArg := func(args []any) (string, []any) {
		if kind == "" {
			return "", args
		}
		return fmt.Sprintf(" AND kind = $%d", len(args)+1), append(args, kind)
	}
	if s.Dialect() == Postgres {
		args := []any{associationID, query}
		facets, err = queryRows(ctx, s, func(c *CodeCount) []any { return []any{&c.Code, &c.N} },
			`SELECT kind, count(*) FROM site_search WHERE association_id = $1 AND tsv @@ plainto_tsquery('swedish', $2) GROUP BY kind`, args...)
		if err != nil {
			return res, err
		}
		and, args := kindArg(args)
		docs, err = queryRows(ctx, s, func(d *SearchDoc) []any { return []any{&d.Kind, &d.Path, &d.Title, &d.Body} },
			fmt.Sprintf(`SELECT kind, path, title, body FROM site_search, plainto_tsquery('swedish', $2) q
			WHERE association_id = $1 AND tsv @@ q%s ORDER BY ts_rank(tsv, q) DESC, title, path LIMIT %d`, and, maxSearchCandidates), args...)
	} else {
		args := []any{associationID}
		marks := make([]string, len(res.Terms))
		for i, t := range res.Terms {
			args = append(args, t)
			marks[i] = fmt.Sprintf("$%d", i+2)
		}
		// The matched documents first, then each looked up by its id
		// (CROSS JOIN keeps SQLite to that order rather than scanning
		// the association's documents).
		matched := fmt.Sprintf(`(SELECT doc_id, SUM(weight) AS w FROM site_search_terms WHERE term IN (%s) GROUP BY doc_id HAVING count(*) = %d) m`,
			strings.Join(marks, ", "), len(res.Terms))
		if len(res.Terms) == 1 { // the usual one word: no grouping needed
			matched = `(SELECT doc_id, weight AS w FROM site_search_terms WHERE term = $2) m`
		}
		facets, err = queryRows(ctx, s, func(c *CodeCount) []any { return []any{&c.Code, &c.N} },
			`SELECT d.kind, count(*) FROM `+matched+` CROSS JOIN site_search d ON d.id = m.doc_id WHERE d.association_id = $1 GROUP BY d.kind`, args...)
		if err != nil {
			return res, err
		}
		and, args := kindArg(args)
		docs, err = queryRows(ctx, s, func(d *SearchDoc) []any { return []any{&d.Kind, &d.Path, &d.Title, &d.Body} },
			fmt.Sprintf(`SELECT d.kind, d.path, d.title, d.body FROM %s CROSS JOIN site_search d ON d.id = m.doc_id
			WHERE d.association_id = $1%s ORDER BY m.w DESC, d.title, d.path LIMIT %d`, matched, strings.ReplaceAll(and, "kind", "d.kind"), maxSearchCandidates), args...)
	}
	if err != nil {
		return res, err
	}
	for _, f := range facets {
		res.Facets[f.Code] = int(f.N)
	}
	for _, d := range docs {
		res.Hits = append(res.Hits, SearchHit{SearchDoc: d, Score: searchScore(d, res.Terms)})
	}
	sort.SliceStable(res.Hits, func(i, j int) bool {
		a, b := res.Hits[i], res.Hits[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.Title != b.Title {
			return a.Title < b.Title
		}
		return a.Path < b.Path
	})
	if limit > 0 && len(res.Hits) > limit {
		res.Hits = res.Hits[:limit]
	}
	return res, nil
}

// searchScore ranks a document found: a word in the title counts five
// times one in the body, repeated words count less and less, and long
// bodies a little less than short ones.
func searchScore(d SearchDoc, terms []string) float64 {
	want := map[string]bool{}
	for _, t := range terms {
		want[t] = true
	}
	count := func(text string) (hits, words int) {
		for _, w := range website.Words(text) {
			words++
			if want[w.Stem] {
				hits++
			}
		}
		return hits, words
	}
	th, _ := count(d.Title)
	bh, bw := count(d.Body)
	return 5*float64(th) + math.Log1p(float64(bh))/math.Log2(2+float64(bw)/50)
}
