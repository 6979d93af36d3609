package store

// migration0006 turns sickness cases into case work: owner, status, facts
// and deadlines on the case; notes, decisions, plan actions and recompute runs.
var migration0006 = migration{
	version: 6, name: "case work: sickness cases with owner, status and deadlines; notes, decisions, plan actions, recompute runs",
	up: func(d Dialect) []string {
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
	},
}
