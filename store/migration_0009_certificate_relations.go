package store

// migration0009 marks certificates signed in a test environment and
// indexes certificates by the one they refer to.
var migration0009 = migration{
	version: 9, name: "certificates signed in a test environment; certificates by the one they refer to",
	up: func(d Dialect) []string {
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
	},
}
