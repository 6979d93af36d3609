package admin

// The page sizes, for the tests.
const (
	OrgsPerPage     = orgsPerPage
	AuditPerPage    = auditPerPage
	RejectedPerPage = rejectedPerPage
)
