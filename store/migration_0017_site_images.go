package store

// migration0017 gives the public site its images and pages a time to
// leave the site. Images are kept in the database, both encoded versions
// as bytes (BYTEA on PostgreSQL, BLOB on SQLite), so that an installation
// stays one binary and one database (ADR 37). unpublish_at is when a page
// or news item stops being shown; the partial index serves the public
// site's question of its next scheduled change.
var migration0017 = migration{
	version: 17, name: "site images and unpublishing",
	up: func(d Dialect) []string {
		blob := "BLOB"
		if d == Postgres {
			blob = "BYTEA"
		}
		return []string{
			`ALTER TABLE site_pages ADD COLUMN unpublish_at {{timestamp}}`,
			`CREATE INDEX site_pages_unpublish ON site_pages (association_id, unpublish_at) WHERE unpublish_at IS NOT NULL`,
			`CREATE TABLE site_images (
				id             {{id}},
				association_id BIGINT NOT NULL REFERENCES organisations (id),
				alt            TEXT NOT NULL,
				decorative     {{bool}} NOT NULL,
				content_type   TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
				hash           TEXT NOT NULL,
				width          INTEGER NOT NULL,
				height         INTEGER NOT NULL,
				data           ` + blob + ` NOT NULL,
				small_width    INTEGER NOT NULL,
				small_height   INTEGER NOT NULL,
				small_data     ` + blob + ` NOT NULL,
				created_by     TEXT NOT NULL,
				created_at     {{timestamp}} NOT NULL,
				CHECK (decorative OR alt <> '')
			)`,
			`CREATE INDEX site_images_association ON site_images (association_id, id)`,
		}
	},
}
