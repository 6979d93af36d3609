package store

// migration0003 creates persons, certificates, sick-leave periods, sickness
// cases and rejected certificates.
var migration0003 = migration{
	version: 3, name: "persons, certificates, sick-leave periods, sickness cases, rejected certificates",
	up: func(d Dialect) []string {
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
			// joined as the rehabilitation chain joins them. Migration 6
			// adds office, customer group, employment and the rest.
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
	},
}
