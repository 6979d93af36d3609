package store

// migration0004 creates the messages between FK and care: supplement requests
// (KOMPLT) and reminders (PAMINN).
var migration0004 = migration{
	version: 4, name: "messages between FK and care: supplement requests and reminders",
	up: func(d Dialect) []string {
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
	},
}
