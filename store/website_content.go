package store

import (
	"context"
	"database/sql"
	"strconv"
	"time"
)

// The content version of an association's public site: a counter that
// every write changing what the site shows (its settings, catalogue,
// pages, events and sign-ups, network, the association's insatser and
// participants) raises in its own transaction. Servers that keep rendered
// public pages compare it with the version they rendered at, so that a
// change made through any server sharing the database reaches all of them
// (ADR 35). The counter lives in the settings table under
// "site_content:<association id>".

func siteContentKey(associationID int64) string {
	return "site_content:" + strconv.FormatInt(associationID, 10)
}

// BumpSiteContent raises the association's content version in tx.
func BumpSiteContent(ctx context.Context, tx *Tx, associationID int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ($1, '1', $2)
		ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS BIGINT) + 1 AS TEXT), updated_at = excluded.updated_at`,
		siteContentKey(associationID), time.Now().UTC())
	return err
}

// SiteContent is what decides whether a rendered public page is current.
type SiteContent struct {
	AssociationID int64
	// Version is the association's content version (0 before any write).
	Version int64
	// NextChange is the first time after now at which the site changes by
	// the clock alone: a page's publishing or unpublishing time or an
	// event's start or end (nil when none is scheduled).
	NextChange *time.Time
}

// SiteContentState reads the content version and the next scheduled change
// of the association with slug (ErrNotFound when there is none): four
// indexed look-ups, meant to be made about once a second per site.
func SiteContentState(ctx context.Context, q Querier, slug string, now time.Time) (SiteContent, error) {
	var c SiteContent
	var v sql.NullString
	err := q.QueryRow(ctx, `SELECT o.id, s.value FROM organisations o LEFT JOIN settings s ON s.key = 'site_content:' || CAST(o.id AS TEXT)
		WHERE o.slug = $1`, slug).Scan(&c.AssociationID, &v)
	if err != nil {
		return c, err
	}
	if v.Valid {
		if c.Version, err = strconv.ParseInt(v.String, 10, 64); err != nil {
			return c, err
		}
	}
	times, err := queryRows(ctx, q, func(t *time.Time) []any { return []any{t} },
		`SELECT publish_at FROM site_pages WHERE association_id = $1 AND publish_at > $2
		 UNION ALL SELECT unpublish_at FROM site_pages WHERE association_id = $1 AND unpublish_at > $2
		 UNION ALL SELECT starts_at FROM site_events WHERE association_id = $1 AND starts_at > $2
		 UNION ALL SELECT ends_at FROM site_events WHERE association_id = $1 AND ends_at > $2`, c.AssociationID, now.UTC())
	if err != nil {
		return c, err
	}
	for _, t := range times {
		if c.NextChange == nil || t.Before(*c.NextChange) {
			c.NextChange = &t
		}
	}
	return c, nil
}
