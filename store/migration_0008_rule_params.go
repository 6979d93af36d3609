package store

// migration0008 stores the rule parameter values and scenarios added after a
// release with their version counter, and marks provisional results.
var migration0008 = migration{
	version: 8, name: "rules: parameter values and scenarios added after the release, their version counter; provisional results",
	up: func(d Dialect) []string {
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
	},
}
