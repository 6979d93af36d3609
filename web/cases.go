package web

// Case work (issue 7) for Försäkringskassan's staff: the worklists
// (worklist.go), the case page with its forms (cases_page.go,
// cases_forms.go), the timeline picture (case_timeline.go) and the JSON API
// (cases_api.go). This file holds what they share: finding a case and
// deciding who may see or change it, how its person is named, and the
// refresh of the case's stored state after an edit.
//
// Ownership: a sickness case belongs to the FK organisation (the one
// certificates are addressed to, store.CertificateOwner) and to an office.
// Reads need policy.ReadPerson and writes policy.WritePerson on
// Resource{OrgID: FK, OfficeID: the case's office}: FK's case workers and
// managers of the office read, its case workers write; staff of another
// office and of other organisations get 404 (audited), as for anything
// that is not theirs. Re-assignment needs policy.AssignCases (managers).
//
// Audit: every read of a case is audited with the person's key before the
// page or answer leaves (read_case; read_diagnoses when diagnoses are
// shown), and a worklist writes one list_cases entry per case listed, as
// the certificate inbox does, so that a person's access-log extract shows
// every list their case appeared in. Every write is one transaction with
// its audit entry and the refresh of the case's stored state.
//
// Optimistic locking: every form and API write carries the case's version;
// store.ErrStale (someone saved first) writes nothing and answers 409 with
// the page as it now stands.

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
)

// caseToday is the date in Sweden: the day deadlines and the rules result
// are reckoned from.
func (s *Server) caseToday() civil.Date { return civil.Of(swedishDate(s.now())) }

// caseResource is the policy's view of a case.
func (s *Server) caseResource(fk organisation.Organisation, c store.Case) policy.Resource {
	return policy.Resource{OrgID: fk.ID, OfficeID: c.OfficeID, Now: s.now()}
}

// loadCase reads the case named by the path's {id} and authorizes act on
// it. A malformed id, a case that does not exist and a case of another
// office or organisation all answer 404; on false the handler returns.
func (s *Server) loadCase(w http.ResponseWriter, r *http.Request, a *actor, act policy.Action) (store.Case, organisation.Organisation, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "not_found", "")
		return store.Case{}, organisation.Organisation{}, false
	}
	fk, hasFK, err := s.fkOrganisation(r.Context())
	if err != nil {
		s.unavailable(w, r, "case: FK organisation", err)
		return store.Case{}, fk, false
	}
	if !hasFK {
		s.fail(w, r, http.StatusNotFound, "not_found", "")
		return store.Case{}, fk, false
	}
	// Other organisations' staff are refused before the case is looked
	// up, so that they learn nothing about which ids exist.
	if !s.authorize(w, r, a, act, policy.Resource{OrgID: fk.ID, Now: s.now()}, "case", itoa(id)) {
		return store.Case{}, fk, false
	}
	c, err := store.CaseByID(r.Context(), s.store, id)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "not_found", "")
		return c, fk, false
	} else if err != nil {
		s.unavailable(w, r, "read case", err)
		return c, fk, false
	}
	if !s.authorize(w, r, a, act, s.caseResource(fk, c), "case", itoa(id)) {
		return c, fk, false
	}
	return c, fk, true
}

// may asks the policy about a case without answering or auditing a
// refusal: what a page offers (forms, diagnoses) depends on it.
func (s *Server) may(a *actor, act policy.Action, fk organisation.Organisation, c store.Case) bool {
	return policy.Can(&a.Actor, act, s.caseResource(fk, c)) == policy.Allow
}

// seesProtected tells whether a may see the name of a person with a
// protected identity (skyddade personuppgifter): only the case worker the
// case is assigned to, who must be able to reach the person. Everyone
// else, managers included, sees "Skyddad identitet".
func seesProtected(a *actor, c store.Case) bool {
	return a.Has(account.CaseWorker) && c.AssignedUserID != 0 && c.AssignedUserID == a.UserID
}

// personView is the person of a case as a may see them.
type personView struct {
	// Name is the name, "Skyddad identitet" or, for a person whose name
	// finsam does not know (certificates carry no name), the personnummer.
	Name string
	// Number is the personnummer written YYYYMMDD-NNNN, "" when hidden.
	Number    string
	Protected bool
	// Hidden is true when the name and number are withheld from a.
	Hidden bool
}

func newPersonView(lang string, a *actor, c store.Case) personView {
	if c.ProtectedIdentity && !seesProtected(a, c) {
		return personView{Name: translate(lang, "case.person.protected"), Protected: true, Hidden: true}
	}
	v := personView{Name: c.PersonName, Number: personnummer.Number(c.Personnummer).String(), Protected: c.ProtectedIdentity}
	if v.Name == "" {
		v.Name = v.Number
	}
	return v
}

// caseEvent is an audit event of a about a case and its person.
func (s *Server) caseEvent(r *http.Request, a *actor, action string, c store.Case) audit.Event {
	e := a.Event(r, action, audit.OutcomeOK, "case", itoa(c.ID))
	e.PersonKey = s.audit.Keys().PersonKey(personnummer.Number(c.Personnummer))
	return e
}

// caseReadEvents are the audit entries of reading one case: read_case, and
// read_diagnoses when the diagnoses are shown. purpose says how the actor
// stands to the case (their own, their office's, another's).
func (s *Server) caseReadEvents(r *http.Request, a *actor, c store.Case, diagnoses bool) []audit.Event {
	e := s.caseEvent(r, a, "read_case", c)
	e.Purpose = caseRelation(a, c)
	events := []audit.Event{e}
	if diagnoses {
		e.Action = "read_diagnoses"
		events = append(events, e)
	}
	return events
}

// caseRelation says in the audit log how the reader stands to the case:
// "assigned" (their own caseload) or "office" (a case of the office they
// may see but do not handle).
func caseRelation(a *actor, c store.Case) string {
	if c.AssignedUserID != 0 && c.AssignedUserID == a.UserID {
		return "relation=assigned"
	}
	return "relation=office"
}

// refreshCase brings the case's stored state (result, milestones,
// deadlines, warnings) up to date inside an edit's transaction, so that
// the worklist shows the edit at once and not after the nightly run.
func (s *Server) refreshCase(ctx context.Context, tx *store.Tx, caseID int64) error {
	cfg, err := casework.LoadConfig(ctx, tx)
	if err != nil {
		// A broken stored configuration is the administrator's to fix; the
		// edit goes on with the defaults LoadConfig returned.
		s.log.ErrorContext(ctx, "case work configuration", "err", err)
	}
	fmb, _ := s.intake.table()
	rc := casework.Recomputer{Store: s.store, Engine: s.engine(), Config: cfg, FMB: fmb, Now: s.now}
	return rc.RefreshCase(ctx, tx, caseID, s.caseToday())
}

// daysText says how many days are left until d, or how many it is late.
func daysText(lang string, today, d civil.Date) string {
	n := d.Sub(today)
	switch {
	case n == 0:
		return translate(lang, "case.days.today")
	case n == 1:
		return translate(lang, "case.days.tomorrow")
	case n > 1:
		return strconv.Itoa(n) + " " + translate(lang, "case.days.left")
	case n == -1:
		return translate(lang, "case.days.late_one")
	}
	return strconv.Itoa(-n) + " " + translate(lang, "case.days.late")
}

// dateText is a date as YYYY-MM-DD, "–" when zero.
func dateText(d civil.Date) string {
	if d.IsZero() {
		return "–"
	}
	return d.String()
}

// storedDay is the calendar date of a stored DATE (midnight UTC); the
// zero time is the zero Date.
func storedDay(t time.Time) civil.Date {
	if t.IsZero() {
		return civil.Date{}
	}
	return civil.Of(t.UTC())
}
