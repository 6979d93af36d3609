package store

// migration0010 adds coordination across agencies: a person's consents to
// share data (per organisation and part), coordinations of a case with the
// organisations invited to them, each organisation's notes, meetings with
// their parties, and the plan's actions with owner, source and a change log.
var migration0010 = migration{
	version: 10, name: "coordination across agencies: consents, coordinations and parties, notes, meetings, plan action owners and change log",
	up: func(d Dialect) []string {
		return []string{
			// A consent is recorded by the organisation that obtained it.
			// Written: the signed document's reference; oral: who heard it
			// and when. Withdrawal is a time, never a deletion.
			`CREATE TABLE consents (
				id               {{id}},
				person_id        BIGINT NOT NULL REFERENCES persons (id),
				recorded_by_org  BIGINT NOT NULL REFERENCES organisations (id),
				purpose          TEXT NOT NULL CHECK (purpose IN ('avstamningsmote', 'kartlaggning', 'sip', 'koordinering', 'insats')),
				valid_from       DATE NOT NULL,
				valid_until      DATE NOT NULL,
				method           TEXT NOT NULL CHECK (method IN ('written', 'oral')),
				document_ref     TEXT NOT NULL DEFAULT '',
				oral_recorded_by TEXT NOT NULL DEFAULT '',
				oral_recorded_on DATE,
				recorded_by_user BIGINT REFERENCES users (id),
				recorded_at      {{timestamp}} NOT NULL,
				withdrawn_at     {{timestamp}},
				withdrawn_by     BIGINT REFERENCES users (id),
				CHECK (valid_until >= valid_from),
				CHECK (method = 'oral' OR document_ref <> ''),
				CHECK (method = 'written' OR (oral_recorded_by <> '' AND oral_recorded_on IS NOT NULL))
			)`,
			`CREATE INDEX consents_person ON consents (person_id, valid_until)`,
			// The organisations a consent lets take part, each with the
			// parts of the person's data it may see (policy.Part bits).
			`CREATE TABLE consent_parties (
				consent_id BIGINT NOT NULL REFERENCES consents (id),
				org_id     BIGINT NOT NULL REFERENCES organisations (id),
				parts      INTEGER NOT NULL CHECK (parts > 0),
				PRIMARY KEY (consent_id, org_id)
			)`,
			// A coordination of one FK case, run by the organisation that
			// started it.
			`CREATE TABLE coordinations (
				id          {{id}},
				case_id     BIGINT NOT NULL REFERENCES sickness_cases (id),
				person_id   BIGINT NOT NULL REFERENCES persons (id),
				lead_org_id BIGINT NOT NULL REFERENCES organisations (id),
				started_by  BIGINT REFERENCES users (id),
				started_at  {{timestamp}} NOT NULL,
				status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
				UNIQUE (case_id)
			)`,
			`CREATE INDEX coordinations_person ON coordinations (person_id)`,
			// The organisations invited to take part; Mina
			// samordningsärenden reads them by organisation.
			`CREATE TABLE coordination_parties (
				coordination_id BIGINT NOT NULL REFERENCES coordinations (id),
				org_id          BIGINT NOT NULL REFERENCES organisations (id),
				invited_by      BIGINT REFERENCES users (id),
				invited_at      {{timestamp}} NOT NULL,
				seen_at         {{timestamp}},
				PRIMARY KEY (coordination_id, org_id)
			)`,
			`CREATE INDEX coordination_parties_org ON coordination_parties (org_id, coordination_id)`,
			// Each organisation's notes stay in its own secrecy space
			// unless the author shares one.
			`CREATE TABLE coordination_notes (
				id              {{id}},
				coordination_id BIGINT NOT NULL REFERENCES coordinations (id),
				org_id          BIGINT NOT NULL REFERENCES organisations (id),
				author_id       BIGINT REFERENCES users (id),
				body            TEXT NOT NULL CHECK (body <> ''),
				shared          {{bool}} NOT NULL DEFAULT FALSE,
				created_at      {{timestamp}} NOT NULL
			)`,
			`CREATE INDEX coordination_notes_coordination ON coordination_notes (coordination_id, created_at)`,
			`CREATE TABLE meetings (
				id              {{id}},
				coordination_id BIGINT NOT NULL REFERENCES coordinations (id),
				kind            TEXT NOT NULL CHECK (kind IN ('avstamningsmote', 'kartlaggning', 'sip', 'other')),
				status          TEXT NOT NULL CHECK (status IN ('planned', 'held', 'cancelled')),
				starts_at       {{timestamp}} NOT NULL,
				length_minutes  INTEGER NOT NULL CHECK (length_minutes BETWEEN 15 AND 480),
				place           TEXT NOT NULL DEFAULT '',
				video           {{bool}} NOT NULL DEFAULT FALSE,
				convened_by     BIGINT NOT NULL REFERENCES organisations (id),
				person_attends  {{bool}} NOT NULL DEFAULT FALSE,
				agenda          TEXT NOT NULL DEFAULT '',
				minutes         TEXT NOT NULL DEFAULT '',
				doctor_attended {{bool}} NOT NULL DEFAULT FALSE,
				created_by      BIGINT REFERENCES users (id),
				created_at      {{timestamp}} NOT NULL,
				updated_at      {{timestamp}} NOT NULL,
				CHECK (status <> 'held' OR minutes <> '')
			)`,
			`CREATE INDEX meetings_coordination ON meetings (coordination_id, starts_at)`,
			`CREATE TABLE meeting_parties (
				meeting_id BIGINT NOT NULL REFERENCES meetings (id),
				org_id     BIGINT NOT NULL REFERENCES organisations (id),
				PRIMARY KEY (meeting_id, org_id)
			)`,
			// The one plan: a case's actions get the person who owns them,
			// the plan they come from and, for agreed actions, the meeting.
			`ALTER TABLE plan_actions ADD COLUMN owner_person TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE plan_actions ADD COLUMN source TEXT NOT NULL DEFAULT 'rehab_plan'`,
			`ALTER TABLE plan_actions ADD COLUMN source_ref TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE plan_actions ADD COLUMN meeting_id BIGINT REFERENCES meetings (id)`,
			// Every change of an action: who, when, which field, from what
			// to what.
			`CREATE TABLE plan_action_changes (
				id         {{id}},
				action_id  BIGINT NOT NULL REFERENCES plan_actions (id),
				changed_by BIGINT REFERENCES users (id),
				org_id     BIGINT NOT NULL REFERENCES organisations (id),
				changed_at {{timestamp}} NOT NULL,
				field      TEXT NOT NULL,
				old_value  TEXT NOT NULL DEFAULT '',
				new_value  TEXT NOT NULL DEFAULT ''
			)`,
			`CREATE INDEX plan_action_changes_action ON plan_action_changes (action_id, changed_at)`,
		}
	},
}
