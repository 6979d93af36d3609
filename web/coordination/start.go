package coordination

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// caseEntry reads FK's case caseID for the case page's way into
// coordination: its person's consents, and the coordination if it has
// started. Only the case's own organisation and office get it (Coordinate
// on the case as FK's); others 404, audited.
func (h *Handlers) caseEntry(r *http.Request, a *site.Actor) (*loaded, error) {
	ctx := r.Context()
	caseID, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	c, err := store.CaseByID(ctx, h.Store, caseID)
	if err != nil {
		return nil, err
	}
	fk, ok, err := store.CertificateOwner(ctx, h.Store)
	if err != nil || !ok {
		return nil, site.Unavailable("FK organisation", err)
	}
	consents, err := store.PersonConsents(ctx, h.Store, c.PersonID)
	if err != nil {
		return nil, site.Unavailable("consents", err)
	}
	l := &loaded{Case: c, Consents: consents, res: h.resourceFor(c, fk.ID, consents),
		key: h.Audit.Keys().PersonKey(personnummer.Number(c.Personnummer))}
	l.K.LeadOrgID = fk.ID
	// The consent register of a case is FK's own: no consent lets another
	// organisation in here.
	res := l.res
	res.Consents = nil
	if d := policy.Can(&a.Actor, policy.Coordinate, res); d != policy.Allow {
		return nil, h.refuse(r, a, policy.Coordinate, d, l, "case", itoa(caseID))
	}
	k, err := store.CoordinationOfCase(ctx, h.Store, caseID)
	switch {
	case err == nil:
		l.K = k
	case !errors.Is(err, store.ErrNotFound):
		return nil, site.Unavailable("coordination of case", err)
	}
	return l, nil
}

// CasePage is GET /arenden/{id}/samordning: the person's consents and
// the way to start coordinating the case; once started, the coordination.
func (h *Handlers) CasePage(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	l, err := h.caseEntry(r, a)
	if err != nil {
		return err
	}
	if l.K.ID != 0 {
		http.Redirect(w, r, fmt.Sprintf("/samordning/%d", l.K.ID), http.StatusSeeOther)
		return nil
	}
	return h.renderCase(w, r, a, l, state{Status: http.StatusOK, Notice: r.URL.Query().Get("klart")})
}

type caseData struct {
	*pageData
	CanStart bool
}

func (h *Handlers) renderCase(w http.ResponseWriter, r *http.Request, a *site.Actor, l *loaded, st state) error {
	lang := site.Language(w, r)
	d := &pageData{CaseID: l.Case.ID, Person: personView{Name: l.Case.PersonName, Protected: l.Case.ProtectedIdentity}}
	if !l.Case.ProtectedIdentity {
		d.Person.Number = personnummer.Number(l.Case.Personnummer).String()
	}
	if st.Notice != "" {
		d.Notice = translate(lang, "coord.done."+st.Notice)
	}
	d.ConsentForm = newForm(lang)
	if st.Form != nil {
		st.Form.lang = lang
		d.ConsentForm = st.Form
		d.Errors = st.Form.Summary("consent-")
	}
	if err := h.consentsView(r.Context(), lang, a, l, d); err != nil {
		return site.Unavailable("consents", err)
	}
	cd := caseData{pageData: d}
	today := civilOf(l.res)
	for i := range l.Consents {
		cd.CanStart = cd.CanStart || l.Consents[i].RecordedByOrg == a.OrgID && l.Consents[i].Current(today)
	}
	e := a.Event(r, "read_consents", audit.OutcomeOK, "case", itoa(l.Case.ID))
	e.PersonKey, e.Purpose = l.key, via(0)
	h.auditRead(r, a, e)
	h.Render(w, r, st.Status, "coordination_case", site.Page{Lang: lang, Title: translate(lang, "coord.case.title") + ": " + d.Person.Name, Actor: a, Data: cd})
	return nil
}

// CaseConsent is POST /arenden/{id}/samordning/samtycken: FK records a
// consent it obtained for the case's person.
func (h *Handlers) CaseConsent(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	f, err := readForm(w, r)
	if err != nil {
		return err
	}
	l, err := h.caseEntry(r, a)
	if err != nil {
		return err
	}
	if _, err := h.recordConsent(r.Context(), r, a, l, f); err != nil {
		if ps, ok := site.ProblemsOf(err); ok {
			f.Problems = ps
			return h.renderCase(w, r, a, l, state{Status: http.StatusUnprocessableEntity, Which: "consent", Form: f})
		}
		return site.Unavailable("record consent", err)
	}
	http.Redirect(w, r, fmt.Sprintf("/arenden/%d/samordning?klart=consent", l.Case.ID), http.StatusSeeOther)
	return nil
}

// Start is POST /arenden/{id}/samordning: FK starts coordinating the
// case, once it holds a current consent of the person. Starting twice
// goes to the coordination that exists.
func (h *Handlers) Start(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ctx := r.Context()
	l, err := h.caseEntry(r, a)
	if err != nil {
		return err
	}
	if l.K.ID == 0 {
		today := civilOf(l.res)
		ok := false
		for i := range l.Consents {
			ok = ok || l.Consents[i].RecordedByOrg == a.OrgID && l.Consents[i].Current(today)
		}
		if !ok {
			f := newForm(site.Language(w, r))
			f.Problems = site.Problems{{Field: "purpose", Code: "no_consent"}}
			return h.renderCase(w, r, a, l, state{Status: http.StatusUnprocessableEntity, Which: "consent", Form: f})
		}
		err = h.Store.Tx(ctx, func(tx *store.Tx) error {
			id, err := store.StartCoordination(ctx, tx, l.Case.ID, l.Case.PersonID, a.OrgID, a.User.ID, h.Now())
			if err != nil {
				return err
			}
			l.K.ID = id
			e := a.Event(r, "start_coordination", audit.OutcomeOK, "coordination", itoa(id))
			e.PersonKey = l.key
			return store.AppendAudit(ctx, tx, h.Audit.Keys(), e)
		})
		if errors.Is(err, store.ErrConflict) {
			return h.Start(w, r, a)
		}
		if err != nil {
			return site.Unavailable("start coordination", err)
		}
	}
	http.Redirect(w, r, fmt.Sprintf("/samordning/%d", l.K.ID), http.StatusSeeOther)
	return nil
}
