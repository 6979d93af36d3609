package store

// migration0001 creates the settings and the organisations.
var migration0001 = migration{
	version: 1, name: "settings and organisations",
	up: func(d Dialect) []string {
		return []string{
			`CREATE TABLE settings (
				key        TEXT PRIMARY KEY,
				value      TEXT NOT NULL,
				updated_at {{timestamp}} NOT NULL
			)`,
			`CREATE TABLE organisations (
				id         {{id}},
				slug       TEXT NOT NULL UNIQUE,
				name       TEXT NOT NULL,
				type       TEXT NOT NULL CHECK (type IN ('fk', 'af', 'region', 'municipality', 'association', 'care_provider')),
				code       TEXT,
				org_number TEXT,
				parent_id  BIGINT REFERENCES organisations (id),
				created_at {{timestamp}} NOT NULL
			)`,
			`CREATE INDEX organisations_type ON organisations (type, name)`,
			`CREATE INDEX organisations_parent ON organisations (parent_id)`,
		}
	},
}
