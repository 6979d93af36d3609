package site

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/policy"
)

// Forbidden is the error of a refusal the actor may know about.
func Forbidden() error { return &Error{Status: http.StatusForbidden, Code: "forbidden"} }

// Authorize checks act on a particular resource, beyond the route's action
// that the guard checked: whose organisation, which office. A refusal is
// audited (it is how probing for other organisations' data shows up) and
// returned as the error Fail answers: 404 when the policy hides the
// resource, 403 when it only refuses, 401 to an actor who is not signed
// in (with the API's WWW-Authenticate header).
func (s *Site) Authorize(w http.ResponseWriter, r *http.Request, a *Actor, act policy.Action, res policy.Resource, resourceType, resourceID string) error {
	if res.Now.IsZero() {
		res.Now = s.Now()
	}
	d := policy.Can(&a.Actor, act, res)
	switch d {
	case policy.Allow:
		return nil
	case policy.Unauthenticated:
		if IsAPI(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="finsam"`)
		}
		return &Error{Status: http.StatusUnauthorized, Code: "unauthenticated"}
	}
	if err := s.Audit.Record(r.Context(), a.Event(r, act.String(), audit.OutcomeDenied, resourceType, resourceID)); err != nil {
		s.Log.ErrorContext(r.Context(), "audit denied access", "err", err)
	}
	if d == policy.Hidden {
		return NotFound()
	}
	return Forbidden()
}

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

// ParseForm reads a posted form of at most MaxFormBytes; its error is one
// Fail answers (413 for a body too large, 400 for one that cannot be
// parsed).
func ParseForm(w http.ResponseWriter, r *http.Request) error {
	return ParseFormMax(w, r, MaxFormBytes)
}

// ParseFormMax is ParseForm with a limit of its own.
func ParseFormMax(w http.ResponseWriter, r *http.Request, limit int64) error {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return TooLarge()
		}
		return BadRequest()
	}
	return nil
}

// PathID reads a positive numeric id from the path; anything else is no
// id.
func PathID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}

// LocalTime formats a time as people in Sweden read it; zero is "".
func LocalTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Stockholm).Format("2006-01-02 15:04")
}
