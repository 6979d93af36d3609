package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/finsam/finsam/website"
)

const pageColumns = "id, kind, slug, title, summary, body, easy_body, menu_order, publish_at, unpublish_at, updated_at, version"

func scanPage(scan func(...any) error) (website.Page, error) {
	var p website.Page
	var kind string
	var at, until sql.NullTime
	err := scan(&p.ID, &kind, &p.Slug, &p.Title, &p.Summary, &p.Body, &p.EasyBody, &p.MenuOrder, &at, &until, &p.Updated, &p.Version)
	p.Kind, p.PublishAt, p.UnpublishAt = website.Kind(kind), timePtr(at), timePtr(until)
	return p, err
}

// SavePage validates and writes a page or news item: a new one when its ID
// is 0, else a change of the stored version (ErrStale when another was
// saved meanwhile), keeping what it replaces as a revision and its old
// slug as a redirect.
func SavePage(ctx context.Context, tx *Tx, associationID int64, p website.Page, savedBy string, now time.Time) (website.Page, error) {
	if err := p.Validate(); err != nil {
		return p, err
	}
	if err := BumpSiteContent(ctx, tx, associationID); err != nil {
		return p, err
	}
	var taken int
	if err := tx.QueryRow(ctx, "SELECT count(*) FROM site_pages WHERE association_id = $1 AND kind = $2 AND slug = $3 AND id <> $4",
		associationID, string(p.Kind), p.Slug, p.ID).Scan(&taken); err != nil {
		return p, err
	}
	if taken > 0 {
		return p, website.Problems{{Field: "slug", Code: website.CodeSlugTaken}}
	}
	if p.ID == 0 {
		id, err := tx.InsertID(ctx, `INSERT INTO site_pages (association_id, kind, slug, title, summary, body, easy_body, menu_order, publish_at, unpublish_at, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11) RETURNING id`,
			associationID, string(p.Kind), p.Slug, p.Title, p.Summary, p.Body, p.EasyBody, p.MenuOrder, nullTime(p.PublishAt), nullTime(p.UnpublishAt), now.UTC())
		if err != nil {
			return p, fmt.Errorf("create page: %w", err)
		}
		p.ID, p.Version, p.Updated = id, 1, now.UTC()
		_, err = tx.Exec(ctx, "DELETE FROM site_slug_redirects WHERE association_id = $1 AND kind = $2 AND old_slug = $3", associationID, string(p.Kind), p.Slug)
		return p, err
	}
	old, err := PageByID(ctx, tx, associationID, p.ID)
	if err != nil {
		return p, err
	}
	if old.Version != p.Version {
		return p, ErrStale
	}
	if old.Kind != p.Kind {
		return p, website.Problems{{Field: "kind", Code: website.CodeInvalid}}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO site_page_revisions (page_id, title, summary, body, easy_body, saved_by, saved_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, old.ID, old.Title, old.Summary, old.Body, old.EasyBody, savedBy, now.UTC()); err != nil {
		return p, err
	}
	if err := mustAffect(tx.Exec(ctx, `UPDATE site_pages SET slug = $3, title = $4, summary = $5, body = $6, easy_body = $7, menu_order = $8,
		publish_at = $9, unpublish_at = $10, version = version + 1, updated_at = $11 WHERE id = $1 AND association_id = $2`,
		p.ID, associationID, p.Slug, p.Title, p.Summary, p.Body, p.EasyBody, p.MenuOrder, nullTime(p.PublishAt), nullTime(p.UnpublishAt), now.UTC())); err != nil {
		return p, err
	}
	if old.Slug != p.Slug {
		if _, err := tx.Exec(ctx, "DELETE FROM site_slug_redirects WHERE association_id = $1 AND kind = $2 AND old_slug IN ($3, $4)",
			associationID, string(p.Kind), old.Slug, p.Slug); err != nil {
			return p, err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO site_slug_redirects (association_id, kind, old_slug, page_id) VALUES ($1, $2, $3, $4)",
			associationID, string(p.Kind), old.Slug, p.ID); err != nil {
			return p, err
		}
	}
	p.Version, p.Updated = old.Version+1, now.UTC()
	return p, nil
}

// PageByID reads one of the association's pages.
func PageByID(ctx context.Context, q Querier, associationID, id int64) (website.Page, error) {
	return scanPage(q.QueryRow(ctx, "SELECT "+pageColumns+" FROM site_pages WHERE id = $1 AND association_id = $2", id, associationID).Scan)
}

// PageBySlug reads a page or news item by its address, draft or not.
func PageBySlug(ctx context.Context, q Querier, associationID int64, kind website.Kind, slug string) (website.Page, error) {
	if !textStorable(slug) {
		return website.Page{}, ErrNotFound
	}
	return scanPage(q.QueryRow(ctx, "SELECT "+pageColumns+" FROM site_pages WHERE association_id = $1 AND kind = $2 AND slug = $3",
		associationID, string(kind), slug).Scan)
}

// SlugRedirect is the current slug of the page that had slug before.
func SlugRedirect(ctx context.Context, q Querier, associationID int64, kind website.Kind, slug string) (string, error) {
	if !textStorable(slug) {
		return "", ErrNotFound
	}
	var now string
	err := q.QueryRow(ctx, `SELECT p.slug FROM site_slug_redirects r JOIN site_pages p ON p.id = r.page_id
		WHERE r.association_id = $1 AND r.kind = $2 AND r.old_slug = $3`, associationID, string(kind), slug).Scan(&now)
	return now, err
}

// PageQuery selects pages for a list.
type PageQuery struct {
	AssociationID int64
	Kind          website.Kind // "" both
	// PublishedAt lists only what visitors see at that time (published
	// and not yet unpublished); nil lists drafts, scheduled and
	// unpublished ones too (for the staff).
	PublishedAt *time.Time
	MenuOnly    bool
	Limit       int
}

// Pages lists pages: the menu's in its order, news newest first, others by
// title.
func Pages(ctx context.Context, q Querier, f PageQuery) ([]website.Page, error) {
	where := []string{"association_id = $1"}
	args := []any{f.AssociationID}
	if f.Kind != "" {
		args = append(args, string(f.Kind))
		where = append(where, "kind = $"+strconv.Itoa(len(args)))
	}
	if f.PublishedAt != nil {
		args = append(args, f.PublishedAt.UTC())
		n := strconv.Itoa(len(args))
		where = append(where, "publish_at IS NOT NULL AND publish_at <= $"+n+" AND (unpublish_at IS NULL OR unpublish_at > $"+n+")")
	}
	if f.MenuOnly {
		where = append(where, "menu_order > 0")
	}
	order := " ORDER BY CASE WHEN menu_order > 0 THEN menu_order ELSE 1000 END, CASE WHEN kind = 'news' THEN publish_at END DESC, title, id"
	query := "SELECT " + pageColumns + " FROM site_pages WHERE " + strings.Join(where, " AND ") + order
	if f.Limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	return queryList(ctx, q, scanPage, query, args...)
}

// Revision is an earlier text of a page.
type Revision struct {
	ID                         int64
	Title, Summary, Body, Easy string
	SavedBy                    string
	SavedAt                    time.Time
}

// PageRevisions lists a page's earlier texts, newest first.
func PageRevisions(ctx context.Context, q Querier, associationID, pageID int64) ([]Revision, error) {
	return queryRows(ctx, q, func(r *Revision) []any {
		return []any{&r.ID, &r.Title, &r.Summary, &r.Body, &r.Easy, &r.SavedBy, &r.SavedAt}
	}, `SELECT r.id, r.title, r.summary, r.body, r.easy_body, r.saved_by, r.saved_at FROM site_page_revisions r
		JOIN site_pages p ON p.id = r.page_id WHERE r.page_id = $1 AND p.association_id = $2 ORDER BY r.id DESC`, pageID, associationID)
}

// RestoreRevision makes an earlier text the page's current one (the text
// it replaces becomes a revision in turn).
func RestoreRevision(ctx context.Context, tx *Tx, associationID, pageID, revisionID int64, version int, savedBy string, now time.Time) (website.Page, error) {
	p, err := PageByID(ctx, tx, associationID, pageID)
	if err != nil {
		return p, err
	}
	var r Revision
	err = tx.QueryRow(ctx, "SELECT title, summary, body, easy_body FROM site_page_revisions WHERE id = $1 AND page_id = $2", revisionID, pageID).
		Scan(&r.Title, &r.Summary, &r.Body, &r.Easy)
	if errors.Is(err, ErrNotFound) || err != nil {
		return p, err
	}
	p.Title, p.Summary, p.Body, p.EasyBody, p.Version = r.Title, r.Summary, r.Body, r.Easy, version
	return SavePage(ctx, tx, associationID, p, savedBy, now)
}
