package site

import (
	"net/http"

	"github.com/finsam/finsam/audit"
)

// Forbidden is the error of a refusal the actor may know about.
func Forbidden() error { return &Error{Status: http.StatusForbidden, Code: "forbidden"} }

// AuditRead queues the audit entries of a read of personal data. The
// request goes on with its queries and rendering meanwhile; Render waits
// for the entries before it sends the page (WriteAuditedJSON before it
// sends JSON) and answers 503 instead if they failed.
func (s *Site) AuditRead(r *http.Request, a *Actor, events ...audit.Event) {
	if len(events) == 0 || s.UnauditedReads {
		return
	}
	a.QueueAudit(s.Audit.Start(r.Context(), events...))
}

// WriteAuditedJSON answers with JSON once the request's audit entries are
// committed; if they could not be, it writes nothing and returns the error
// (503).
func WriteAuditedJSON(w http.ResponseWriter, a *Actor, status int, v any) error {
	if err := a.AwaitAudit(); err != nil {
		return Unavailable("audit", err)
	}
	WriteJSON(w, status, v)
	return nil
}
