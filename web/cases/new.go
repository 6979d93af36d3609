package cases

// A sickness case entered by hand: a paper certificate for a person finsam
// may not know yet. The case worker gives the personnummer (or
// samordningsnummer), name, municipality, protected identity and the first
// period; the person is created or updated, the period joins the person's
// case when the rules engine says it does (SFB 27 kap. 51 §, via
// rules.Engine.SameCase) or starts a new case in the case worker's office,
// assigned to them. One transaction with the audit entry; on any problem
// nothing is written and the form comes back with field errors.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/organisation/codelist"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/form"
	"github.com/finsam/finsam/web/internal/site"
)

// newCaseData is what case_new.html shows.
type newCaseData struct {
	Form          caseForm
	Degrees       []site.Choice
	Municipality  string // the office's, as the default
	ProblemsCount int
	Problems      []form.Link
}

// First is the page's first control: the cursor starts there, unless the
// page shows problems, whose summary comes first.
func (d newCaseData) First(in form.Input) form.Input {
	in.Autofocus = d.ProblemsCount == 0
	return in
}

// New is GET /arenden/nytt.
func (s *Handlers) New(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	if err := s.mayCreateCase(r, a); err != nil {
		return err
	}
	s.renderNewCase(w, r, a, http.StatusOK, nil, nil)
	return nil
}

// mayCreateCase asks the policy whether the actor writes FK's cases: the
// route's check lets every writing role through (coordinators elsewhere
// too), so ask again with FK as the owner and the actor's office. Staff of
// other organisations get 404, as for any of FK's cases.
func (s *Handlers) mayCreateCase(r *http.Request, a *site.Actor) error {
	fk, err := s.fkOrganisation(r.Context(), "new case")
	if err != nil {
		return err
	}
	res := policy.Resource{OrgID: fk.ID, OfficeID: a.OfficeID, Now: s.Now()}
	if a.OrgID != fk.ID || !policy.Can(&a.Actor, policy.WritePerson, res).Allowed() {
		return site.NotFound()
	}
	return nil
}

func (s *Handlers) renderNewCase(w http.ResponseWriter, r *http.Request, a *site.Actor, status int, values url.Values, ps site.Problems) {
	lang := site.Language(w, r)
	f := caseForm{Lang: lang, Prefix: "new", Values: values, Errors: map[string]string{}}
	for _, p := range ps {
		f.Errors[p.Field] = p.Message(feature.Words, lang, "case.err.")
	}
	d := newCaseData{Form: f, ProblemsCount: len(ps), Problems: f.Summary(ps)}
	cur := f.V("degree", "100")
	for _, v := range caseDegrees {
		d.Degrees = append(d.Degrees, site.Choice{Value: v, Label: v + " %", Selected: v == cur})
	}
	if a.OfficeID != 0 {
		if o, err := store.OfficeByID(r.Context(), s.Store, a.OfficeID); err == nil {
			d.Municipality = o.MunicipalityCode
		}
	}
	s.Render(w, r, status, "case_new", site.Page{Lang: lang, Title: translate(lang, "newcase.title"), Actor: a, Data: d})
}

// newCaseInput is a validated form.
type newCaseInput struct {
	Person store.Person
	Period store.Period
}

// checkNewCase validates the form; today bounds the birth date.
func checkNewCase(f url.Values, today time.Time) (newCaseInput, site.Problems) {
	var in newCaseInput
	var ps site.Problems
	raw := strings.TrimSpace(f.Get("personnummer"))
	if raw == "" {
		ps.Add("personnummer", "required")
	} else if n, err := personnummer.Parse(raw, today); err != nil {
		switch {
		case errors.Is(err, personnummer.ErrChecksum):
			ps.Add("personnummer", "pnr_checksum")
		case errors.Is(err, personnummer.ErrDate):
			ps.Add("personnummer", "pnr_date")
		case errors.Is(err, personnummer.ErrFuture):
			ps.Add("personnummer", "pnr_future")
		default:
			ps.Add("personnummer", "pnr_format")
		}
	} else {
		in.Person.Personnummer = string(n)
	}
	in.Person.Name = caseText(&ps, "name", f.Get("name"), true, maxCaseLine, false)
	code := strings.TrimSpace(f.Get("municipality"))
	if code == "" {
		ps.Add("municipality", "required")
	} else if _, ok := codelist.MunicipalityByCode(code); !ok {
		ps.Add("municipality", "unknown_municipality")
	}
	in.Person.MunicipalityCode = code
	in.Person.ProtectedIdentity = isChecked(f.Get("protected"))
	p, pps := checkPeriod(f)
	for _, q := range pps {
		ps.Add(q.Field, q.Code)
	}
	in.Period = p
	return in, ps
}

// Create is POST /arenden/nytt.
func (s *Handlers) Create(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	if err := site.ParseForm(w, r); err != nil {
		return err
	}
	if err := s.mayCreateCase(r, a); err != nil {
		return err
	}
	ctx := r.Context()
	in, ps := checkNewCase(r.PostForm, site.SwedishDate(s.Now()))
	if len(ps) > 0 {
		s.renderNewCase(w, r, a, http.StatusUnprocessableEntity, r.PostForm, ps)
		return nil
	}
	var caseID int64
	err := s.Store.Tx(ctx, func(tx *store.Tx) error {
		var err error
		caseID, err = s.createCaseByHand(ctx, tx, a, in)
		if err != nil {
			return err
		}
		c, err := store.CaseByID(ctx, tx, caseID)
		if err != nil {
			return err
		}
		ev := s.CaseEvent(r, a, "create_case", c)
		ev.Purpose = "manual"
		return store.AppendAudit(ctx, tx, s.Audit.Keys(), ev)
	})
	var found site.Problems
	switch {
	case errors.As(err, &found):
		s.renderNewCase(w, r, a, http.StatusUnprocessableEntity, r.PostForm, found)
		return nil
	case err != nil:
		return site.Unavailable("new case", err)
	}
	http.Redirect(w, r, fmt.Sprintf("/arenden/%d", caseID), http.StatusSeeOther)
	return nil
}

// createCaseByHand writes the person, the period and the case inside tx
// and returns the case id. A period that overlaps one the person has, or
// that joins a case of another office, is the person's to fix
// (site.Problems).
func (s *Handlers) createCaseByHand(ctx context.Context, tx *store.Tx, a *site.Actor, in newCaseInput) (int64, error) {
	now := s.Now()
	personID, err := store.SavePerson(ctx, tx, in.Person, now)
	if err != nil {
		return 0, err
	}
	p := in.Period
	overlapping, err := store.PersonPeriods(ctx, tx, personID, p.From, p.To)
	if err != nil {
		return 0, err
	}
	if len(overlapping) > 0 {
		return 0, site.Problems{{Field: "from", Code: "overlap"}}
	}
	sameCase := func(prevLast, nextFirst time.Time) bool {
		return s.Engine().SameCase(civil.Of(prevLast), civil.Of(nextFirst))
	}
	caseID, err := store.AttachToCase(ctx, tx, personID, p.From, p.To, now, sameCase)
	if err != nil {
		return 0, err
	}
	c, err := store.CaseByID(ctx, tx, caseID)
	if err != nil {
		return 0, err
	}
	switch {
	case c.OfficeID == 0 || c.OfficeID == a.OfficeID && c.AssignedUserID == 0:
		// A new case (or one nobody owns): the case worker's office and
		// customer group, and the case worker.
		var group int64
		if a.OfficeID != 0 {
			o, err := store.OfficeByID(ctx, tx, a.OfficeID)
			if err != nil {
				return 0, err
			}
			group = o.CustomerGroupID
		}
		assignee := int64(0)
		if a.Roles.Has(account.CaseWorker) {
			assignee = a.UserID
		}
		if err := store.SetCaseOwner(ctx, tx, caseID, a.OfficeID, group, assignee); err != nil {
			return 0, err
		}
	case a.OfficeID != 0 && c.OfficeID != a.OfficeID:
		return 0, site.Problems{{Field: "personnummer", Code: "other_office"}}
	}
	if err := store.InsertPeriods(ctx, tx, personID, 0, []store.Period{{From: p.From, To: p.To, Degree: p.Degree}}, p.Source, now); err != nil {
		return 0, err
	}
	return caseID, s.refreshCase(ctx, tx, caseID)
}
