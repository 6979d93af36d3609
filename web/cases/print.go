package cases

// The print view of a case, GET /arenden/{id}/utskrift: the case page
// read only, for paper. Fetching it is the printing the audit log can see
// (print_case, beside the reads of the case page); printing the case page
// from the browser's own menu sends nothing to the server and cannot be
// audited, which the view's help text says.

import (
	"net/http"
	"time"

	"github.com/finsam/finsam/web/internal/site"
)

// Print is GET /arenden/{id}/utskrift: the same loader, access check and
// purpose as the case page, and an audit entry of the printing.
func (s *Handlers) Print(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.renderCase(w, r, a, casePageState{Status: http.StatusOK, Print: true})
}

// printView makes the page read only and names who prints it and when.
func (d *caseData) printView(a *site.Actor, now time.Time) {
	d.Print = true
	d.MayWrite, d.MayAssign = false, false
	d.PrintedBy = a.AuditName()
	if a.User != nil && a.User.Name != "" {
		d.PrintedBy = a.User.Name
		if a.Org.Name != "" {
			d.PrintedBy += ", " + a.Org.Name
		}
	}
	d.PrintedAt = site.LocalTime(now)
}
