package store

// migration0002 creates offices, customer groups, users, sessions, API tokens,
// OIDC providers and the hash-chained audit log.
var migration0002 = migration{
	version: 2, name: "offices, customer groups, users, sessions, tokens, audit log",
	up: func(d Dialect) []string {
		return []string{
			`CREATE TABLE customer_groups (
				id         {{id}},
				org_id     BIGINT NOT NULL REFERENCES organisations (id),
				slug       TEXT NOT NULL,
				name       TEXT NOT NULL,
				created_at {{timestamp}} NOT NULL,
				UNIQUE (org_id, slug)
			)`,
			`CREATE TABLE offices (
				id                {{id}},
				org_id            BIGINT NOT NULL REFERENCES organisations (id),
				slug              TEXT NOT NULL,
				name              TEXT NOT NULL,
				kind              TEXT NOT NULL CHECK (kind IN ('insurance_centre', 'local_office', 'office')),
				customer_group_id BIGINT REFERENCES customer_groups (id),
				municipality_code TEXT,
				created_at        {{timestamp}} NOT NULL,
				UNIQUE (org_id, slug)
			)`,
			`CREATE TABLE association_members (
				association_id BIGINT NOT NULL REFERENCES organisations (id),
				member_id      BIGINT NOT NULL REFERENCES organisations (id),
				PRIMARY KEY (association_id, member_id)
			)`,
			`CREATE TABLE users (
				id              {{id}},
				username        TEXT NOT NULL UNIQUE,
				name            TEXT NOT NULL,
				email           TEXT,
				org_id          BIGINT NOT NULL REFERENCES organisations (id),
				office_id       BIGINT REFERENCES offices (id),
				roles           INTEGER NOT NULL DEFAULT 0,
				password_hash   TEXT,
				oidc_subject    TEXT,
				disabled        {{bool}} NOT NULL DEFAULT FALSE,
				failed_logins   INTEGER NOT NULL DEFAULT 0,
				locked_until    {{timestamp}},
				password_set_at {{timestamp}},
				created_at      {{timestamp}} NOT NULL,
				UNIQUE (org_id, oidc_subject)
			)`,
			`CREATE INDEX users_org ON users (org_id, username)`,
			`CREATE TABLE sessions (
				id_hash      TEXT PRIMARY KEY,
				user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
				created_at   {{timestamp}} NOT NULL,
				last_seen_at {{timestamp}} NOT NULL,
				expires_at   {{timestamp}} NOT NULL,
				remote_addr  TEXT NOT NULL,
				user_agent   TEXT NOT NULL
			)`,
			`CREATE INDEX sessions_user ON sessions (user_id)`,
			`CREATE INDEX sessions_expiry ON sessions (expires_at)`,
			`CREATE TABLE login_failures (
				id          {{id}},
				remote_addr TEXT NOT NULL,
				username    TEXT NOT NULL,
				at          {{timestamp}} NOT NULL
			)`,
			`CREATE INDEX login_failures_addr ON login_failures (remote_addr, at)`,
			`CREATE TABLE api_tokens (
				id           {{id}},
				org_id       BIGINT NOT NULL REFERENCES organisations (id),
				name         TEXT NOT NULL,
				scopes       TEXT NOT NULL,
				token_hash   TEXT NOT NULL UNIQUE,
				prefix       TEXT NOT NULL,
				created_by   BIGINT REFERENCES users (id),
				created_at   {{timestamp}} NOT NULL,
				last_used_at {{timestamp}},
				revoked_at   {{timestamp}}
			)`,
			`CREATE INDEX api_tokens_org ON api_tokens (org_id)`,
			`CREATE TABLE oidc_providers (
				org_id        BIGINT PRIMARY KEY REFERENCES organisations (id),
				issuer        TEXT NOT NULL,
				client_id     TEXT NOT NULL,
				client_secret TEXT NOT NULL,
				display_name  TEXT NOT NULL,
				created_at    {{timestamp}} NOT NULL
			)`,
			`CREATE TABLE oidc_logins (
				state_hash    TEXT PRIMARY KEY,
				org_id        BIGINT NOT NULL REFERENCES organisations (id),
				nonce         TEXT NOT NULL,
				code_verifier TEXT NOT NULL,
				expires_at    {{timestamp}} NOT NULL
			)`,
			// The audit log is append-only: each row carries the hash of the
			// one before it (see package audit). Nothing updates or deletes it.
			`CREATE TABLE audit_log (
				seq           BIGINT PRIMARY KEY,
				at            {{timestamp}} NOT NULL,
				actor_user_id BIGINT,
				actor_name    TEXT NOT NULL,
				actor_org     TEXT NOT NULL,
				actor_roles   TEXT NOT NULL,
				action        TEXT NOT NULL,
				outcome       TEXT NOT NULL,
				resource_type TEXT NOT NULL,
				resource_id   TEXT NOT NULL,
				person_key    TEXT NOT NULL,
				purpose       TEXT NOT NULL,
				remote_addr   TEXT NOT NULL,
				request_id    TEXT NOT NULL,
				prev_hash     TEXT NOT NULL,
				hash          TEXT NOT NULL
			)`,
			`CREATE INDEX audit_log_person ON audit_log (person_key, seq)`,
			`CREATE INDEX audit_log_actor ON audit_log (actor_user_id, seq)`,
			`CREATE INDEX audit_log_org ON audit_log (actor_org, seq)`,
			// No index on at: seq grows with time, so a period is a seq range
			// and the newest-first scans need only the primary key.
			// The head of the chain, one row, locked by every append so that
			// appends from several finsam instances queue instead of forking.
			`CREATE TABLE audit_head (
				id   INTEGER PRIMARY KEY CHECK (id = 1),
				seq  BIGINT NOT NULL,
				hash TEXT NOT NULL
			)`,
			`INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000')`,
			`CREATE TABLE audit_checkpoints (
				seq        BIGINT PRIMARY KEY,
				hash       TEXT NOT NULL,
				at         {{timestamp}} NOT NULL,
				key_id     TEXT NOT NULL,
				signature  TEXT NOT NULL
			)`,
		}
	},
}
