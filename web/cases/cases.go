package cases

// What the worklists, the case page, its forms and the API share: finding
// a case and deciding who may see or change it, how its person is named,
// and the refresh of the case's stored state after an edit.

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
	"github.com/finsam/finsam/web/internal/caseaccess"
	"github.com/finsam/finsam/web/internal/site"
)

func itoa(i int64) string { return strconv.FormatInt(i, 10) }

// fkOrganisation is the organisation cases belong to: the one of type FK
// that certificates are addressed to. An installation without one has no
// case work: 404.
func (s *Handlers) fkOrganisation(ctx context.Context, what string) (organisation.Organisation, error) {
	fk, ok, err := store.CertificateOwner(ctx, s.Store)
	switch {
	case err != nil:
		return fk, site.Unavailable(what+": FK organisation", err)
	case !ok:
		return fk, site.NotFound()
	}
	return fk, nil
}

// caseResource is the policy's view of a case.
func (s *Handlers) caseResource(fk organisation.Organisation, c store.Case) policy.Resource {
	return caseaccess.Resource(fk, c, s.Now())
}

// LoadCase reads the case named by the path's {id} and authorizes act on
// it. A malformed id, a case that does not exist and a case of another
// office or organisation are all not found (404, the refusals audited).
func (s *Handlers) LoadCase(w http.ResponseWriter, r *http.Request, a *site.Actor, act policy.Action) (store.Case, organisation.Organisation, error) {
	id, ok := site.PathID(r, "id")
	if !ok {
		return store.Case{}, organisation.Organisation{}, site.NotFound()
	}
	return s.loadCaseByID(r, a, act, id)
}

// loadCaseByID is LoadCase for a case named other than by the path: the
// cases of a bulk assignment.
func (s *Handlers) loadCaseByID(r *http.Request, a *site.Actor, act policy.Action, id int64) (store.Case, organisation.Organisation, error) {
	fk, err := s.fkOrganisation(r.Context(), "case")
	if err != nil {
		return store.Case{}, fk, err
	}
	// Other organisations' staff are refused before the case is looked
	// up, so that they learn nothing about which ids exist.
	if err := s.Authorize(r, a, act, policy.Resource{OrgID: fk.ID, Now: s.Now()}, "case", itoa(id)); err != nil {
		return store.Case{}, fk, err
	}
	c, err := store.CaseByID(r.Context(), s.Store, id)
	if errors.Is(err, store.ErrNotFound) {
		return c, fk, site.NotFound()
	} else if err != nil {
		return c, fk, site.Unavailable("read case", err)
	}
	if err := s.Authorize(r, a, act, s.caseResource(fk, c), "case", itoa(id)); err != nil {
		return c, fk, err
	}
	return c, fk, nil
}

// may asks the policy about a case without answering or auditing a
// refusal: what a page offers (forms, diagnoses) depends on it.
func (s *Handlers) may(a *site.Actor, act policy.Action, fk organisation.Organisation, c store.Case) bool {
	return policy.Can(&a.Actor, act, s.caseResource(fk, c)) == policy.Allow
}

// seesProtected tells whether a may see the name of a person with a
// protected identity (skyddade personuppgifter): only the case worker the
// case is assigned to, who must be able to reach the person. Everyone
// else, managers included, sees "Skyddad identitet".
func seesProtected(a *site.Actor, c store.Case) bool {
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

func newPersonView(lang string, a *site.Actor, c store.Case) personView {
	if c.ProtectedIdentity && !seesProtected(a, c) {
		return personView{Name: translate(lang, "case.person.protected"), Protected: true, Hidden: true}
	}
	v := personView{Name: c.PersonName, Number: personnummer.Number(c.Personnummer).String(), Protected: c.ProtectedIdentity}
	if v.Name == "" {
		v.Name = v.Number
	}
	return v
}

// CaseEvent is an audit event of a about a case and its person.
func (s *Handlers) CaseEvent(r *http.Request, a *site.Actor, action string, c store.Case) audit.Event {
	e := a.Event(r, action, audit.OutcomeOK, "case", itoa(c.ID))
	e.PersonKey = s.Audit.Keys().PersonKey(personnummer.Number(c.Personnummer))
	return e
}

// ListEvent is the one audit entry of a list of cases shown: list_cases
// naming every listed case's person (audit.Event.Persons) in the order
// shown, so that a person's extract shows each list they appeared in while
// a page of fifty cases costs one chained entry, not fifty. resource names
// the list (its path); personnummer are the listed cases' persons. It
// returns false for an empty list, which shows no one.
func (s *Handlers) ListEvent(r *http.Request, a *site.Actor, resource string, personnummer []string) (audit.Event, bool) {
	if len(personnummer) == 0 {
		return audit.Event{}, false
	}
	e := a.Event(r, "list_cases", audit.OutcomeOK, "case_list", resource)
	e.Purpose = strconv.Itoa(len(personnummer)) + " cases"
	e.Persons = s.Audit.Keys().PersonKeys(personnummer)
	return e, true
}

// caseReadEvents are the audit entries of reading one case: read_case, and
// read_diagnoses when the diagnoses are shown. purpose says how the actor
// stands to the case (their own, their office's, another's).
func (s *Handlers) caseReadEvents(r *http.Request, a *site.Actor, c store.Case, diagnoses bool) []audit.Event {
	e := s.CaseEvent(r, a, "read_case", c)
	e.Purpose = caseaccess.Relation(a, c)
	events := []audit.Event{e}
	if diagnoses {
		e.Action = "read_diagnoses"
		events = append(events, e)
	}
	return events
}

// refreshCase brings the case's stored state (result, milestones,
// deadlines, warnings) up to date inside an edit's transaction, so that
// the worklist shows the edit at once and not after the nightly run.
func (s *Handlers) refreshCase(ctx context.Context, tx *store.Tx, caseID int64) error {
	cfg, err := casework.LoadConfig(ctx, tx)
	if err != nil {
		// A broken stored configuration is the administrator's to fix; the
		// edit goes on with the defaults LoadConfig returned.
		s.Log.ErrorContext(ctx, "case work configuration", "err", err)
	}
	rc := casework.Recomputer{Store: s.Store, Engine: s.Engine(), Config: cfg, FMB: s.fmb(), Now: s.Now}
	return rc.RefreshCase(ctx, tx, caseID, s.Today())
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

// storedDay is the calendar date of a stored DATE (midnight UTC); the
// zero time is the zero Date.
func storedDay(t time.Time) civil.Date {
	if t.IsZero() {
		return civil.Date{}
	}
	return civil.Of(t.UTC())
}
