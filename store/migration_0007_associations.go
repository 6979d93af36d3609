package store

// migration0007 creates the coordination associations: settings, bodies,
// contributions, budget and outcome, equity, insatser, participants and their
// measurements.
var migration0007 = migration{
	version: 7, name: "coordination associations: settings, bodies, contributions, budget and outcome, equity, insatser, participants and their measurements",
	up: func(d Dialect) []string {
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
	},
}
