package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// A migration moves the schema one version forward. Migrations are an
// ordered list of Go values (the Miniflux way): the SQL is written once in
// portable form (see Dialect.ddl) and a migration may branch on the dialect
// where it must. Each migration runs in its own transaction together with the
// row that records it, so a failed migration leaves nothing half-done.
type migration struct {
	version int
	name    string
	up      func(d Dialect) []string
}

// migrations is the schema history. Append only: never edit or reorder an
// entry that has shipped.
var migrations = []migration{
	{1, "settings and organisations", func(d Dialect) []string {
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
	}},
	{2, "offices, customer groups, users, sessions, tokens, audit log", func(d Dialect) []string {
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
	}},
	{3, "persons, certificates, sick-leave periods, sickness cases, rejected certificates", func(d Dialect) []string {
		return []string{
			// Personnummer are stored normalised (12 digits) and never logged;
			// URLs use the opaque id.
			`CREATE TABLE persons (
				id                 {{id}},
				personnummer       TEXT NOT NULL UNIQUE,
				name               TEXT NOT NULL DEFAULT '',
				municipality_code  TEXT,
				protected_identity {{bool}} NOT NULL DEFAULT FALSE,
				created_at         {{timestamp}} NOT NULL
			)`,
			// A sickness case (sjukfall): the person's sick-leave periods
			// joined as the rehabilitation chain joins them. The case-work
			// issue adds office, customer group, employment and the rest.
			`CREATE TABLE sickness_cases (
				id         {{id}},
				person_id  BIGINT NOT NULL REFERENCES persons (id),
				first_day  DATE NOT NULL,
				last_day   DATE NOT NULL,
				created_at {{timestamp}} NOT NULL,
				updated_at {{timestamp}} NOT NULL
			)`,
			`CREATE INDEX sickness_cases_person ON sickness_cases (person_id, last_day)`,
			// One row per received certificate; body is the canonical JSON.
			// The sender and the issuer's id identify it: the same pair again
			// is a duplicate (same body) or a conflict (another body).
			`CREATE TABLE certificates (
				id                   {{id}},
				sender_org_id        BIGINT NOT NULL REFERENCES organisations (id),
				cert_id              TEXT NOT NULL,
				person_id            BIGINT NOT NULL REFERENCES persons (id),
				case_id              BIGINT REFERENCES sickness_cases (id),
				signed_at            {{timestamp}} NOT NULL,
				received_at          {{timestamp}} NOT NULL,
				issuer_hsa_id        TEXT NOT NULL,
				unit_hsa_id          TEXT NOT NULL,
				unit_name            TEXT NOT NULL,
				care_provider_hsa_id TEXT NOT NULL,
				care_provider_name   TEXT NOT NULL,
				diagnosis_code       TEXT NOT NULL,
				first_day            DATE NOT NULL,
				last_day             DATE NOT NULL,
				quality_score        INTEGER NOT NULL,
				findings             {{json}} NOT NULL,
				relation_type        TEXT,
				relation_cert_id     TEXT,
				source               TEXT NOT NULL,
				body                 {{json}} NOT NULL,
				body_hash            TEXT NOT NULL,
				UNIQUE (sender_org_id, cert_id)
			)`,
			`CREATE INDEX certificates_person ON certificates (person_id, signed_at)`,
			`CREATE INDEX certificates_unit ON certificates (care_provider_hsa_id, unit_hsa_id, signed_at)`,
			`CREATE INDEX certificates_received ON certificates (received_at)`,
			// Sick-leave periods, from certificates or entered by hand from a
			// paper certificate (source says which).
			`CREATE TABLE sick_leave_periods (
				id             {{id}},
				person_id      BIGINT NOT NULL REFERENCES persons (id),
				certificate_id BIGINT REFERENCES certificates (id),
				from_day       DATE NOT NULL,
				to_day         DATE NOT NULL,
				degree         INTEGER NOT NULL CHECK (degree IN (25, 50, 75, 100)),
				source         TEXT NOT NULL,
				created_at     {{timestamp}} NOT NULL,
				CHECK (to_day >= from_day)
			)`,
			`CREATE INDEX sick_leave_periods_person ON sick_leave_periods (person_id, to_day)`,
			// Certificates that failed parsing or validation, kept with the
			// reasons for administrators (bad input loses nothing).
			`CREATE TABLE rejected_certificates (
				id            {{id}},
				sender_org_id BIGINT NOT NULL REFERENCES organisations (id),
				cert_id       TEXT NOT NULL,
				source        TEXT NOT NULL,
				received_at   {{timestamp}} NOT NULL,
				content_type  TEXT NOT NULL,
				body          TEXT NOT NULL,
				errors        {{json}} NOT NULL
			)`,
			`CREATE INDEX rejected_certificates_org ON rejected_certificates (sender_org_id, received_at)`,
		}
	}},
	{4, "messages between FK and care: supplement requests and reminders", func(d Dialect) []string {
		return []string{
			// Ärendekommunikation (SendMessageToCare): a supplement request
			// (KOMPLT) about a certificate, or a reminder (PAMINN) of one.
			// questions is the komplettering list, [{answer_id, text}]: the
			// form's answer (frage) ids that are missing and what is missing.
			// The recipient is the care provider that sent the certificate.
			// A KOMPLT is answered by a certificate whose relation is KOMPLT
			// (answered_by_certificate_id); fetched_at is when the care
			// provider first fetched it through the API.
			`CREATE TABLE certificate_messages (
				id                         {{id}},
				certificate_id             BIGINT NOT NULL REFERENCES certificates (id),
				type                       TEXT NOT NULL CHECK (type IN ('KOMPLT', 'PAMINN')),
				sender_org_id              BIGINT NOT NULL REFERENCES organisations (id),
				recipient_org_id           BIGINT NOT NULL REFERENCES organisations (id),
				questions                  {{json}} NOT NULL,
				message                    TEXT NOT NULL,
				created_by                 BIGINT REFERENCES users (id),
				created_at                 {{timestamp}} NOT NULL,
				last_answer_date           DATE NOT NULL,
				reminder_of                BIGINT REFERENCES certificate_messages (id),
				answered_at                {{timestamp}},
				answered_by_certificate_id BIGINT REFERENCES certificates (id),
				fetched_at                 {{timestamp}},
				CHECK ((type = 'PAMINN') = (reminder_of IS NOT NULL))
			)`,
			`CREATE INDEX certificate_messages_certificate ON certificate_messages (certificate_id, id)`,
			`CREATE INDEX certificate_messages_recipient ON certificate_messages (recipient_org_id, answered_at)`,
			// One reminder per request: sending reminders is idempotent even
			// when the server and the command run at once.
			`CREATE UNIQUE INDEX certificate_messages_reminder ON certificate_messages (reminder_of)`,
		}
	}},
	{5, "indexes for the inbox by municipality and the quality board by month", func(d Dialect) []string {
		return []string{
			// An office's inbox starts from the persons in its municipalities.
			`CREATE INDEX persons_municipality ON persons (municipality_code)`,
			// The quality board over all care providers reads a range of months.
			`CREATE INDEX certificates_signed ON certificates (signed_at)`,
		}
	}},
	{6, "case work: sickness cases with owner, status and deadlines; notes, decisions, plan actions, recompute runs", func(d Dialect) []string {
		return []string{
			// The case's owner and facts. status is 'open' until a case
			// worker closes it; version is bumped by every edit a person
			// makes (optimistic locking), never by the nightly recompute.
			`ALTER TABLE sickness_cases ADD COLUMN office_id BIGINT REFERENCES offices (id)`,
			`ALTER TABLE sickness_cases ADD COLUMN customer_group_id BIGINT REFERENCES customer_groups (id)`,
			`ALTER TABLE sickness_cases ADD COLUMN assigned_user_id BIGINT REFERENCES users (id)`,
			`ALTER TABLE sickness_cases ADD COLUMN status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed'))`,
			`ALTER TABLE sickness_cases ADD COLUMN employment TEXT NOT NULL DEFAULT 'employee' CHECK (employment IN ('employee', 'unemployed', 'self_employed'))`,
			`ALTER TABLE sickness_cases ADD COLUMN annual_income_ore BIGINT NOT NULL DEFAULT 0 CHECK (annual_income_ore >= 0)`,
			`ALTER TABLE sickness_cases ADD COLUMN employer_org_number TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE sickness_cases ADD COLUMN employer_name TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE sickness_cases ADD COLUMN serious_illness {{bool}} NOT NULL DEFAULT FALSE`,
			`ALTER TABLE sickness_cases ADD COLUMN version INTEGER NOT NULL DEFAULT 1`,
			// Where the case stands on eval_date, written by the recompute
			// (the rules engine's result, its milestones and what casework
			// derives from them). next_due is the earliest open deadline,
			// 9999-12-31 when there is none, so that it sorts last and the
			// worklist index needs no NULL ordering (which the dialects
			// disagree on).
			`ALTER TABLE sickness_cases ADD COLUMN eval_date DATE`,
			`ALTER TABLE sickness_cases ADD COLUMN eval_error TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE sickness_cases ADD COLUMN sick {{bool}} NOT NULL DEFAULT FALSE`,
			`ALTER TABLE sickness_cases ADD COLUMN chain_day INTEGER NOT NULL DEFAULT 0`,
			`ALTER TABLE sickness_cases ADD COLUMN phase TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE sickness_cases ADD COLUMN payer TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE sickness_cases ADD COLUMN level TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE sickness_cases ADD COLUMN degree INTEGER NOT NULL DEFAULT 0`,
			`ALTER TABLE sickness_cases ADD COLUMN frame_days INTEGER NOT NULL DEFAULT 0`,
			`ALTER TABLE sickness_cases ADD COLUMN sgi_kr BIGINT NOT NULL DEFAULT 0`,
			`ALTER TABLE sickness_cases ADD COLUMN daily_amount_kr BIGINT NOT NULL DEFAULT 0`,
			`ALTER TABLE sickness_cases ADD COLUMN day_91 DATE`,
			`ALTER TABLE sickness_cases ADD COLUMN day_181 DATE`,
			`ALTER TABLE sickness_cases ADD COLUMN day_366 DATE`,
			`ALTER TABLE sickness_cases ADD COLUMN continuation_day DATE`,
			`ALTER TABLE sickness_cases ADD COLUMN time_limit_day DATE`,
			`ALTER TABLE sickness_cases ADD COLUMN next_due DATE NOT NULL DEFAULT '9999-12-31'`,
			`ALTER TABLE sickness_cases ADD COLUMN next_kind TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE sickness_cases ADD COLUMN open_deadlines INTEGER NOT NULL DEFAULT 0`,
			`ALTER TABLE sickness_cases ADD COLUMN warning_count INTEGER NOT NULL DEFAULT 0`,
			`ALTER TABLE sickness_cases ADD COLUMN last_event_at {{timestamp}}`,
			`ALTER TABLE sickness_cases ADD COLUMN recomputed_at {{timestamp}}`,
			// The worklists: a case worker's cases, an office's and a
			// customer group's, each read in (next_due, id) order with a
			// keyset cursor.
			// phase and warning_count trail the key so that the filters and
			// the count of a filtered worklist are answered from the index
			// without reading the table's rows.
			`CREATE INDEX sickness_cases_assigned ON sickness_cases (assigned_user_id, status, next_due, id, phase, warning_count)`,
			`CREATE INDEX sickness_cases_office ON sickness_cases (office_id, status, next_due, id, phase, warning_count)`,
			`CREATE INDEX sickness_cases_group ON sickness_cases (customer_group_id, status, next_due, id, phase, warning_count)`,
			// The case page and the recompute read a case's certificates.
			`CREATE INDEX certificates_case ON certificates (case_id, signed_at)`,
			// Deadlines derived by casework (kind, key) or closed by a
			// person. A deadline the facts no longer produce is marked
			// done automatically, never deleted: who closed what stays.
			`CREATE TABLE case_deadlines (
				id        {{id}},
				case_id   BIGINT NOT NULL REFERENCES sickness_cases (id),
				kind      TEXT NOT NULL,
				dkey      TEXT NOT NULL DEFAULT '',
				due       DATE NOT NULL,
				ref       TEXT NOT NULL,
				done      {{bool}} NOT NULL DEFAULT FALSE,
				auto      {{bool}} NOT NULL DEFAULT FALSE,
				closed_by BIGINT REFERENCES users (id),
				closed_at {{timestamp}},
				note      TEXT NOT NULL DEFAULT '',
				UNIQUE (case_id, kind, dkey)
			)`,
			// Early warnings in force for a case: replaced by each recompute.
			`CREATE TABLE case_warnings (
				case_id   BIGINT NOT NULL REFERENCES sickness_cases (id),
				kind      TEXT NOT NULL,
				rule      TEXT NOT NULL,
				ref       TEXT NOT NULL DEFAULT '',
				args      TEXT NOT NULL DEFAULT '',
				raised_on DATE NOT NULL,
				PRIMARY KEY (case_id, kind)
			)`,
			// Notes and contacts with the person (kind 'contact' has the
			// contact's date and channel).
			`CREATE TABLE case_notes (
				id         {{id}},
				case_id    BIGINT NOT NULL REFERENCES sickness_cases (id),
				kind       TEXT NOT NULL CHECK (kind IN ('note', 'contact')),
				contact_on DATE,
				channel    TEXT NOT NULL DEFAULT '',
				body       TEXT NOT NULL,
				author_id  BIGINT REFERENCES users (id),
				created_at {{timestamp}} NOT NULL,
				CHECK ((kind = 'contact') = (contact_on IS NOT NULL))
			)`,
			`CREATE INDEX case_notes_case ON case_notes (case_id, created_at)`,
			`CREATE TABLE case_decisions (
				id            {{id}},
				case_id       BIGINT NOT NULL REFERENCES sickness_cases (id),
				outcome       TEXT NOT NULL CHECK (outcome IN ('granted', 'rejected', 'withdrawn')),
				decided_on    DATE NOT NULL,
				paragraph     TEXT NOT NULL,
				justification TEXT NOT NULL CHECK (justification <> ''),
				author_id     BIGINT REFERENCES users (id),
				created_at    {{timestamp}} NOT NULL
			)`,
			`CREATE INDEX case_decisions_case ON case_decisions (case_id, decided_on)`,
			// The rehabilitation plan's actions, each owned by an
			// organisation (FK, the employer through FK, AF, the region, the
			// municipality).
			`CREATE TABLE plan_actions (
				id           {{id}},
				case_id      BIGINT NOT NULL REFERENCES sickness_cases (id),
				title        TEXT NOT NULL CHECK (title <> ''),
				owner_org_id BIGINT NOT NULL REFERENCES organisations (id),
				due          DATE NOT NULL,
				status       TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'ongoing', 'done', 'cancelled')),
				created_by   BIGINT REFERENCES users (id),
				created_at   {{timestamp}} NOT NULL,
				updated_at   {{timestamp}} NOT NULL
			)`,
			`CREATE INDEX plan_actions_case ON plan_actions (case_id, due)`,
			// One row per run of the recompute: resumable from last_case_id.
			`CREATE TABLE recompute_runs (
				id           {{id}},
				eval_date    DATE NOT NULL,
				started_at   {{timestamp}} NOT NULL,
				finished_at  {{timestamp}},
				last_case_id BIGINT NOT NULL DEFAULT 0,
				processed    BIGINT NOT NULL DEFAULT 0,
				failed       BIGINT NOT NULL DEFAULT 0,
				trigger      TEXT NOT NULL
			)`,
		}
	}},
	{7, "coordination associations: settings, bodies, contributions, budget and outcome, equity, insatser, participants and their measurements", func(d Dialect) []string {
		return []string{
			// An association's settings from its statutes (förbundsordning):
			// org number, region, how the municipalities (and several
			// regions) share their quarter, the budget process. Members stay
			// in association_members.
			`CREATE TABLE association_settings (
				association_id BIGINT PRIMARY KEY REFERENCES organisations (id),
				org_number     TEXT NOT NULL DEFAULT '',
				region_code    TEXT NOT NULL DEFAULT '',
				cost_key       TEXT NOT NULL DEFAULT 'population' CHECK (cost_key IN ('population', 'agreed')),
				budget_process TEXT NOT NULL DEFAULT '',
				statutes_note  TEXT NOT NULL DEFAULT '',
				updated_at     {{timestamp}} NOT NULL
			)`,
			// The association's area: SCB kommunkoder.
			`CREATE TABLE association_area (
				association_id    BIGINT NOT NULL REFERENCES organisations (id),
				municipality_code TEXT NOT NULL CHECK (length(municipality_code) = 4),
				PRIMARY KEY (association_id, municipality_code)
			)`,
			// Each member's weight in the key: population and agreed share
			// in basis points (10000 = 100 %).
			`CREATE TABLE association_cost_shares (
				association_id BIGINT NOT NULL,
				member_id      BIGINT NOT NULL,
				population     BIGINT NOT NULL DEFAULT 0 CHECK (population >= 0),
				share_bp       INTEGER NOT NULL DEFAULT 0 CHECK (share_bp BETWEEN 0 AND 10000),
				PRIMARY KEY (association_id, member_id),
				FOREIGN KEY (association_id, member_id) REFERENCES association_members (association_id, member_id)
			)`,
			// The board (styrelse: ledamot and ersättare per member) and the
			// preparatory group (beredningsgrupp), with terms.
			`CREATE TABLE association_body_members (
				id             {{id}},
				association_id BIGINT NOT NULL,
				body           TEXT NOT NULL CHECK (body IN ('board', 'preparatory')),
				member_id      BIGINT NOT NULL,
				user_id        BIGINT REFERENCES users (id),
				name           TEXT NOT NULL CHECK (name <> ''),
				role           TEXT NOT NULL,
				position       TEXT NOT NULL DEFAULT '' CHECK (position IN ('', 'chair', 'vice_chair')),
				term_from      DATE NOT NULL,
				term_to        DATE,
				FOREIGN KEY (association_id, member_id) REFERENCES association_members (association_id, member_id),
				CHECK ((body = 'board' AND role IN ('ledamot', 'ersattare')) OR (body = 'preparatory' AND role = 'member')),
				CHECK (term_to IS NULL OR term_to >= term_from)
			)`,
			`CREATE INDEX association_body_members_assoc ON association_body_members (association_id, body, term_from)`,
			// Yearly contributions per member: planned, invoiced, paid.
			`CREATE TABLE association_contributions (
				association_id BIGINT NOT NULL,
				year           INTEGER NOT NULL CHECK (year BETWEEN 2004 AND 2200),
				member_id      BIGINT NOT NULL,
				planned_ore    BIGINT NOT NULL DEFAULT 0 CHECK (planned_ore >= 0),
				invoiced_ore   BIGINT NOT NULL DEFAULT 0 CHECK (invoiced_ore >= 0),
				paid_ore       BIGINT NOT NULL DEFAULT 0 CHECK (paid_ore >= 0),
				PRIMARY KEY (association_id, year, member_id),
				FOREIGN KEY (association_id, member_id) REFERENCES association_members (association_id, member_id)
			)`,
			`CREATE TABLE association_equity (
				association_id BIGINT NOT NULL REFERENCES organisations (id),
				year           INTEGER NOT NULL CHECK (year BETWEEN 2004 AND 2200),
				equity_ore     BIGINT NOT NULL,
				PRIMARY KEY (association_id, year)
			)`,
			// (id, association_id) is unique so that rows below can carry
			// the association redundantly (for report scans) and the
			// database keeps it consistent.
			`CREATE TABLE insatser (
				id                   {{id}},
				association_id       BIGINT NOT NULL,
				name                 TEXT NOT NULL CHECK (name <> ''),
				description          TEXT NOT NULL DEFAULT '',
				kind                 TEXT NOT NULL CHECK (kind IN ('individual', 'structural')),
				target_group         TEXT NOT NULL DEFAULT '',
				responsible_org_id   BIGINT NOT NULL,
				start_on             DATE NOT NULL,
				end_on               DATE,
				planned_participants INTEGER NOT NULL DEFAULT 0 CHECK (planned_participants >= 0),
				follow_up            TEXT NOT NULL CHECK (follow_up IN ('individual', 'counts')),
				status               TEXT NOT NULL CHECK (status IN ('planned', 'ongoing', 'ended', 'cancelled')),
				public               {{bool}} NOT NULL DEFAULT FALSE,
				version              INTEGER NOT NULL DEFAULT 1,
				created_at           {{timestamp}} NOT NULL,
				updated_at           {{timestamp}} NOT NULL,
				UNIQUE (id, association_id),
				FOREIGN KEY (association_id, responsible_org_id) REFERENCES association_members (association_id, member_id),
				CHECK (end_on IS NULL OR end_on >= start_on)
			)`,
			`CREATE INDEX insatser_association ON insatser (association_id, name)`,
			`CREATE TABLE insats_parties (
				insats_id      BIGINT NOT NULL,
				association_id BIGINT NOT NULL,
				org_id         BIGINT NOT NULL,
				PRIMARY KEY (insats_id, org_id),
				FOREIGN KEY (insats_id, association_id) REFERENCES insatser (id, association_id) ON DELETE CASCADE,
				FOREIGN KEY (association_id, org_id) REFERENCES association_members (association_id, member_id)
			)`,
			// Budget and outcome (utfall) per year, for the administration
			// or an insats, by financier. An insats's budget is its rows
			// here (entry 'budget'), one per year and financier. An outcome
			// may be negative (a correction); a budget may not.
			`CREATE TABLE association_budget_lines (
				id             {{id}},
				association_id BIGINT NOT NULL REFERENCES organisations (id),
				year           INTEGER NOT NULL CHECK (year BETWEEN 2004 AND 2200),
				entry          TEXT NOT NULL CHECK (entry IN ('budget', 'outcome')),
				kind           TEXT NOT NULL CHECK (kind IN ('administration', 'insats')),
				insats_id      BIGINT,
				financier      TEXT NOT NULL CHECK (financier IN ('state', 'region', 'municipality', 'esf', 'other')),
				amount_ore     BIGINT NOT NULL,
				note           TEXT NOT NULL DEFAULT '',
				booked_on      DATE,
				created_at     {{timestamp}} NOT NULL,
				FOREIGN KEY (insats_id, association_id) REFERENCES insatser (id, association_id) ON DELETE CASCADE,
				CHECK ((kind = 'insats') = (insats_id IS NOT NULL)),
				CHECK (entry = 'outcome' OR amount_ore >= 0)
			)`,
			`CREATE INDEX association_budget_lines_year ON association_budget_lines (association_id, year, entry)`,
			`CREATE INDEX association_budget_lines_insats ON association_budget_lines (insats_id, year)`,
			`CREATE UNIQUE INDEX association_budget_lines_insats_budget ON association_budget_lines (insats_id, year, financier)
				WHERE entry = 'budget' AND insats_id IS NOT NULL`,
			// Participants: one row per registration in an insats. person_id
			// is NULL for an anonymous registration; personal data only with
			// a recorded consent, never for a protected identity. A pending
			// registration (a referral) may lack a start.
			`CREATE TABLE participants (
				id                 {{id}},
				association_id     BIGINT NOT NULL,
				insats_id          BIGINT NOT NULL,
				person_id          BIGINT REFERENCES persons (id),
				protected_identity {{bool}} NOT NULL DEFAULT FALSE,
				consent_by         BIGINT REFERENCES users (id),
				consent_by_name    TEXT NOT NULL DEFAULT '',
				consent_on         DATE,
				consent_covers     TEXT NOT NULL DEFAULT '',
				consent_document   TEXT NOT NULL DEFAULT '',
				sex                TEXT NOT NULL,
				age_group          TEXT NOT NULL,
				start_on           DATE,
				end_on             DATE,
				status             TEXT NOT NULL CHECK (status IN ('pending', 'active', 'ended')),
				end_reason         TEXT NOT NULL DEFAULT '',
				referral           TEXT NOT NULL DEFAULT '',
				version            INTEGER NOT NULL DEFAULT 1,
				created_at         {{timestamp}} NOT NULL,
				updated_at         {{timestamp}} NOT NULL,
				FOREIGN KEY (insats_id, association_id) REFERENCES insatser (id, association_id),
				CHECK (person_id IS NULL OR (consent_on IS NOT NULL AND consent_covers <> '' AND consent_document <> '')),
				CHECK (person_id IS NULL OR NOT protected_identity),
				CHECK (status = 'pending' OR start_on IS NOT NULL),
				CHECK ((status = 'ended') = (end_on IS NOT NULL)),
				CHECK ((status = 'ended') = (end_reason <> '')),
				CHECK (end_on IS NULL OR end_on >= start_on),
				UNIQUE (insats_id, person_id, start_on)
			)`,
			// The reports read participants of one association (or all)
			// active in a period, by insats and sex, from the index alone.
			`CREATE INDEX participants_period ON participants (association_id, start_on, end_on, insats_id, sex)`,
			// Outcomes read those who ended in a period.
			`CREATE INDEX participants_ended ON participants (association_id, end_on)`,
			`CREATE INDEX participants_insats ON participants (insats_id, status, id)`,
			`CREATE INDEX participants_person ON participants (person_id, insats_id)`,
			// A participant's situation at the start, the end and the
			// follow-ups 6 and 12 months later; income sources with extent.
			`CREATE TABLE participant_measures (
				participant_id BIGINT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
				phase          TEXT NOT NULL CHECK (phase IN ('start', 'end', '6m', '12m')),
				measured_on    DATE,
				occupation     TEXT NOT NULL DEFAULT '',
				education      TEXT NOT NULL DEFAULT '',
				not_reached    {{bool}} NOT NULL DEFAULT FALSE,
				PRIMARY KEY (participant_id, phase)
			)`,
			`CREATE TABLE participant_incomes (
				participant_id BIGINT NOT NULL,
				phase          TEXT NOT NULL,
				source         TEXT NOT NULL,
				extent         INTEGER NOT NULL CHECK (extent BETWEEN 1 AND 100),
				PRIMARY KEY (participant_id, phase, source),
				FOREIGN KEY (participant_id, phase) REFERENCES participant_measures (participant_id, phase) ON DELETE CASCADE
			)`,
		}
	}},
	{8, "rules: parameter values and scenarios added after the release, their version counter; provisional results", func(d Dialect) []string {
		return []string{
			// A value an administrator added (rules.ParamUpdate), applied in
			// id order over the built-in parameters. Rows are never changed.
			`CREATE TABLE rule_param_values (
				id         {{id}},
				name       TEXT NOT NULL,
				valid_from DATE NOT NULL,
				valid_to   DATE,
				value      TEXT NOT NULL,
				ref        TEXT NOT NULL DEFAULT '',
				source     TEXT NOT NULL CHECK (source <> ''),
				note       TEXT NOT NULL DEFAULT '',
				created_at {{timestamp}} NOT NULL,
				created_by TEXT NOT NULL,
				UNIQUE (name, valid_from)
			)`,
			// A named set of parameter overrides (rules.Scenario), kept as
			// the JSON it was given in.
			`CREATE TABLE rule_scenarios (
				id          {{id}},
				name        TEXT NOT NULL UNIQUE,
				description TEXT NOT NULL DEFAULT '',
				body        TEXT NOT NULL,
				created_at  {{timestamp}} NOT NULL,
				created_by  TEXT NOT NULL
			)`,
			// One row whose version every change of the two tables above
			// bumps: instances compare it to rebuild their engine, and the
			// bump's row lock orders concurrent writers.
			`CREATE TABLE rule_params_version (
				id      INTEGER PRIMARY KEY CHECK (id = 1),
				version BIGINT NOT NULL
			)`,
			`INSERT INTO rule_params_version (id, version) VALUES (1, 0)`,
			// The parameters a case's result carried forward (comma-separated),
			// '' when it is final; and how many provisional results a run saved.
			`ALTER TABLE sickness_cases ADD COLUMN eval_provisional TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE recompute_runs ADD COLUMN provisional BIGINT NOT NULL DEFAULT 0`,
		}
	}},
	{9, "certificates signed in a test environment; certificates by the one they refer to", func(d Dialect) []string {
		return []string{
			// Certificates whose doctor, unit or care provider has an id of
			// Inera's test catalogue are kept and shown, but statistics
			// leave them out.
			`ALTER TABLE certificates ADD COLUMN test_environment {{bool}} NOT NULL DEFAULT FALSE`,
			// A certificate's page lists the later ones that refer to it
			// (KOMPLT, ERSATT, FRLANG, KOPIA).
			// Few certificates have a relation: a partial index costs the
			// others nothing at intake.
			`CREATE INDEX certificates_relation ON certificates (sender_org_id, relation_cert_id) WHERE relation_cert_id IS NOT NULL`,
		}
	}},
}

// LatestVersion is the newest schema version this binary knows.
func LatestVersion() int { return migrations[len(migrations)-1].version }

// MigrationStatus describes one known migration.
type MigrationStatus struct {
	Version   int
	Name      string
	AppliedAt time.Time // zero when pending
}

// ErrSchemaTooNew means the database was migrated by a newer finsam.
var ErrSchemaTooNew = errors.New("database schema is newer than this finsam")

const createVersionTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	applied_at {{timestamp}} NOT NULL
)`

// Migrate applies all pending migrations and returns how many it applied. On
// PostgreSQL an advisory lock keeps several finsam instances starting at once
// from migrating concurrently.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	if _, err := s.write.ExecContext(ctx, s.target.Dialect.ddl(createVersionTable)); err != nil {
		return 0, fmt.Errorf("create schema_migrations: %w", normalize(err))
	}
	applied := 0
	for {
		done, err := s.migrateOne(ctx)
		if err != nil {
			return applied, err
		}
		if !done {
			break
		}
		applied++
	}
	if s.target.Dialect == SQLite {
		if _, err := s.write.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", sqliteApplicationID)); err != nil {
			return applied, normalize(err)
		}
	}
	return applied, nil
}

// migrateOne applies the next pending migration, if any, in one transaction.
func (s *Store) migrateOne(ctx context.Context) (bool, error) {
	var did bool
	err := s.Tx(ctx, func(tx *Tx) error {
		did = false
		if s.target.Dialect == Postgres {
			// A transaction-scoped lock: released at commit or rollback.
			if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(4653414)"); err != nil {
				return err
			}
		}
		current, err := currentVersion(ctx, tx)
		if err != nil {
			return err
		}
		if current > LatestVersion() {
			return tooNew(current)
		}
		for _, m := range migrations {
			if m.version <= current {
				continue
			}
			for i, stmt := range m.up(s.target.Dialect) {
				if _, err := tx.Exec(ctx, s.target.Dialect.ddl(stmt)); err != nil {
					return fmt.Errorf("migration %d (%s), statement %d: %w", m.version, m.name, i+1, err)
				}
			}
			if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
				m.version, m.name, time.Now().UTC()); err != nil {
				return err
			}
			did = true
			return nil
		}
		return nil
	})
	return did, err
}

func tooNew(v int) error {
	return fmt.Errorf("%w: it is at version %d but this finsam knows only up to %d; run a newer finsam", ErrSchemaTooNew, v, LatestVersion())
}

func currentVersion(ctx context.Context, q Querier) (int, error) {
	var v int
	err := q.QueryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	return v, err
}

// SchemaVersion returns the version the database is at (0 when never
// migrated).
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	ok, err := s.hasVersionTable(ctx)
	if err != nil || !ok {
		return 0, err
	}
	return currentVersion(ctx, s)
}

// CheckSchema verifies that the database is fully migrated and not newer
// than this binary. Servers started with --no-migrate call it.
func (s *Store) CheckSchema(ctx context.Context) error {
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	switch {
	case v > LatestVersion():
		return tooNew(v)
	case v < LatestVersion():
		return fmt.Errorf("database schema is at version %d, this finsam needs %d: run `finsam migrate up`", v, LatestVersion())
	}
	return nil
}

// MigrationStatuses lists every known migration and when it was applied, plus
// any applied version this binary does not know (from a newer finsam).
func (s *Store) MigrationStatuses(ctx context.Context) ([]MigrationStatus, error) {
	applied := map[int]MigrationStatus{}
	ok, err := s.hasVersionTable(ctx)
	if err != nil {
		return nil, err
	}
	if ok {
		rows, err := s.Query(ctx, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var m MigrationStatus
			if err := rows.Scan(&m.Version, &m.Name, &m.AppliedAt); err != nil {
				return nil, err
			}
			applied[m.Version] = m
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	var out []MigrationStatus
	for _, m := range migrations {
		st := MigrationStatus{Version: m.version, Name: m.name}
		if a, ok := applied[m.version]; ok {
			st.AppliedAt = a.AppliedAt
			delete(applied, m.version)
		}
		out = append(out, st)
	}
	var unknown []MigrationStatus
	for _, a := range applied {
		unknown = append(unknown, a)
	}
	slices.SortFunc(unknown, func(a, b MigrationStatus) int { return a.Version - b.Version })
	return append(out, unknown...), nil
}

func (s *Store) hasVersionTable(ctx context.Context) (bool, error) {
	var q string
	switch s.target.Dialect {
	case Postgres:
		q = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'"
	default:
		q = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
	}
	var n int
	if err := s.QueryRow(ctx, q).Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}
