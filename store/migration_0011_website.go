package store

// migration0010 holds the associations' public websites: settings, the
// catalogue's details of public insatser, visitors' interest in an insats,
// pages and news with revisions and old slugs, the network, events with
// sign-ups, the outbox of e-mail, and the search documents (with a
// tsvector on PostgreSQL and a table of stemmed terms on SQLite, which has
// no Swedish stemmer of its own).
var migration0011 = migration{
	version: 11, name: "associations' public websites",
	up: func(d Dialect) []string {
		stmts := []string{
			`CREATE TABLE site_settings (
				association_id BIGINT PRIMARY KEY REFERENCES organisations (id),
				settings       {{json}} NOT NULL,
				updated_at     {{timestamp}} NOT NULL
			)`,
			`CREATE TABLE site_catalogue (
				insats_id         BIGINT PRIMARY KEY REFERENCES insatser (id) ON DELETE CASCADE,
				association_id    BIGINT NOT NULL REFERENCES organisations (id),
				municipality_code TEXT NOT NULL DEFAULT '',
				situation         TEXT NOT NULL DEFAULT '',
				age_min           INTEGER NOT NULL DEFAULT 0,
				age_max           INTEGER NOT NULL DEFAULT 0,
				entry_route       TEXT NOT NULL CHECK (entry_route IN ('self', 'referral', 'both')),
				details           {{json}} NOT NULL,
				updated_at        {{timestamp}} NOT NULL
			)`,
			`CREATE INDEX site_catalogue_association ON site_catalogue (association_id, municipality_code, situation)`,
			// Visitors' interest in an insats: a pending registration the
			// staff follow up, deleted when handled.
			`CREATE TABLE site_interest (
				id                {{id}},
				association_id    BIGINT NOT NULL REFERENCES organisations (id),
				insats_id         BIGINT NOT NULL REFERENCES insatser (id) ON DELETE CASCADE,
				name              TEXT NOT NULL,
				reach             TEXT NOT NULL,
				municipality_code TEXT NOT NULL,
				created_at        {{timestamp}} NOT NULL
			)`,
			`CREATE INDEX site_interest_association ON site_interest (association_id, created_at)`,
			`CREATE TABLE site_pages (
				id             {{id}},
				association_id BIGINT NOT NULL REFERENCES organisations (id),
				kind           TEXT NOT NULL CHECK (kind IN ('page', 'news')),
				slug           TEXT NOT NULL,
				title          TEXT NOT NULL,
				summary        TEXT NOT NULL DEFAULT '',
				body           TEXT NOT NULL DEFAULT '',
				easy_body      TEXT NOT NULL DEFAULT '',
				menu_order     INTEGER NOT NULL DEFAULT 0,
				publish_at     {{timestamp}},
				version        INTEGER NOT NULL DEFAULT 1,
				created_at     {{timestamp}} NOT NULL,
				updated_at     {{timestamp}} NOT NULL,
				UNIQUE (association_id, kind, slug)
			)`,
			`CREATE INDEX site_pages_published ON site_pages (association_id, kind, publish_at)`,
			`CREATE TABLE site_page_revisions (
				id        {{id}},
				page_id   BIGINT NOT NULL REFERENCES site_pages (id) ON DELETE CASCADE,
				title     TEXT NOT NULL,
				summary   TEXT NOT NULL,
				body      TEXT NOT NULL,
				easy_body TEXT NOT NULL,
				saved_by  TEXT NOT NULL,
				saved_at  {{timestamp}} NOT NULL
			)`,
			`CREATE INDEX site_page_revisions_page ON site_page_revisions (page_id, id)`,
			`CREATE TABLE site_slug_redirects (
				association_id BIGINT NOT NULL REFERENCES organisations (id),
				kind           TEXT NOT NULL,
				old_slug       TEXT NOT NULL,
				page_id        BIGINT NOT NULL REFERENCES site_pages (id) ON DELETE CASCADE,
				PRIMARY KEY (association_id, kind, old_slug)
			)`,
			`CREATE TABLE site_network (
				id                {{id}},
				association_id    BIGINT NOT NULL REFERENCES organisations (id),
				name              TEXT NOT NULL,
				kind              TEXT NOT NULL DEFAULT '',
				description       TEXT NOT NULL DEFAULT '',
				url               TEXT NOT NULL DEFAULT '',
				municipality_code TEXT NOT NULL DEFAULT '',
				sort              INTEGER NOT NULL DEFAULT 0
			)`,
			`CREATE INDEX site_network_association ON site_network (association_id, sort, name)`,
			`CREATE TABLE site_events (
				id             {{id}},
				association_id BIGINT NOT NULL REFERENCES organisations (id),
				title          TEXT NOT NULL,
				description    TEXT NOT NULL DEFAULT '',
				speaker        TEXT NOT NULL DEFAULT '',
				starts_at      {{timestamp}} NOT NULL,
				ends_at        {{timestamp}} NOT NULL,
				place          TEXT NOT NULL DEFAULT '',
				online         {{bool}} NOT NULL DEFAULT FALSE,
				capacity       INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),
				created_at     {{timestamp}} NOT NULL,
				updated_at     {{timestamp}} NOT NULL,
				CHECK (ends_at > starts_at)
			)`,
			`CREATE INDEX site_events_association ON site_events (association_id, starts_at)`,
			// Sign-ups: personal data, deleted a number of days after the
			// event (site_settings). The cancellation link carries a random
			// token of which only the hash is kept.
			`CREATE TABLE site_signups (
				id                {{id}},
				event_id          BIGINT NOT NULL REFERENCES site_events (id) ON DELETE CASCADE,
				association_id    BIGINT NOT NULL REFERENCES organisations (id),
				name              TEXT NOT NULL,
				email             TEXT NOT NULL,
				organisation      TEXT NOT NULL DEFAULT '',
				role              TEXT NOT NULL DEFAULT '',
				municipality_code TEXT NOT NULL DEFAULT '',
				attendance        TEXT NOT NULL CHECK (attendance IN ('site', 'digital')),
				food              TEXT NOT NULL DEFAULT '',
				access_needs      TEXT NOT NULL DEFAULT '',
				status            TEXT NOT NULL CHECK (status IN ('confirmed', 'waiting', 'cancelled')),
				token_hash        TEXT NOT NULL UNIQUE,
				created_at        {{timestamp}} NOT NULL,
				UNIQUE (event_id, email)
			)`,
			`CREATE INDEX site_signups_event ON site_signups (event_id, status, created_at)`,
			// The outbox: e-mail to send, retried with a growing pause.
			`CREATE TABLE site_outbox (
				id              {{id}},
				association_id  BIGINT NOT NULL REFERENCES organisations (id),
				to_addr         TEXT NOT NULL,
				subject         TEXT NOT NULL,
				body            TEXT NOT NULL,
				attempts        INTEGER NOT NULL DEFAULT 0,
				next_attempt_at {{timestamp}} NOT NULL,
				sent_at         {{timestamp}},
				failed          {{bool}} NOT NULL DEFAULT FALSE,
				last_error      TEXT NOT NULL DEFAULT '',
				created_at      {{timestamp}} NOT NULL
			)`,
			`CREATE INDEX site_outbox_due ON site_outbox (next_attempt_at) WHERE sent_at IS NULL AND NOT failed`,
			// Search documents: one per page, news item, insats, event and
			// organisation of the network, rebuilt from them.
			`CREATE TABLE site_search (
				id             {{id}},
				association_id BIGINT NOT NULL REFERENCES organisations (id),
				kind           TEXT NOT NULL,
				path           TEXT NOT NULL,
				title          TEXT NOT NULL,
				body           TEXT NOT NULL,
				UNIQUE (association_id, kind, path)
			)`,
			`CREATE TABLE site_search_state (
				association_id BIGINT PRIMARY KEY REFERENCES organisations (id),
				fingerprint    TEXT NOT NULL
			)`,
		}
		if d == Postgres {
			return append(stmts,
				`ALTER TABLE site_search ADD COLUMN tsv tsvector NOT NULL`,
				`CREATE INDEX site_search_tsv ON site_search USING gin (tsv)`)
		}
		return append(stmts,
			`CREATE TABLE site_search_terms (
				doc_id BIGINT NOT NULL REFERENCES site_search (id) ON DELETE CASCADE,
				term   TEXT NOT NULL,
				weight REAL NOT NULL,
				PRIMARY KEY (term, doc_id)
			) WITHOUT ROWID`,
			`CREATE INDEX site_search_terms_doc ON site_search_terms (doc_id)`)
	},
}
