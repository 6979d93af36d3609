package site

import (
	"net/http"

	"github.com/finsam/finsam/audit"
)

// AuditRead queues the audit entries of a read of personal data. The
// request goes on with its queries and rendering meanwhile; Render waits
// for the entries before it sends the page, and answers 503 instead if
// they failed.
func (s *Site) AuditRead(r *http.Request, a *Actor, events ...audit.Event) {
	if len(events) == 0 || s.UnauditedReads {
		return
	}
	a.QueueAudit(s.Audit.Start(r.Context(), events...))
}
