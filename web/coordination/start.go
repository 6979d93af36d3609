package coordination

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/organisation"
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
	fk, ok, err := store.CertificateOwner(ctx, h.Store)
	if err != nil || !ok {
		return nil, site.Unavailable("FK organisation", err)
	}
	l, err := h.caseOf(r, fk.ID)
	if err != nil {
		return nil, err
	}
	caseID := l.Case.ID
	// The consent register of a case is FK's own: no consent lets another
	// organisation in here.
	res := l.res
	res.Consents = nil
	if d := policy.Can(&a.Actor, policy.Coordinate, res); d != policy.Allow {
		return nil, h.refuse(r, a, policy.Coordinate, d, l, "case", itoa(caseID))
	}
	l.entry, l.back, l.backText = fmt.Sprintf("/arenden/%d/samordning", caseID), fmt.Sprintf("/arenden/%d", caseID), "coord.case.back"
	return l, h.coordinationOf(ctx, l)
}

// caseOf reads the case the path's id names, with its person's consents,
// as a case whose coordination lead would lead.
func (h *Handlers) caseOf(r *http.Request, lead int64) (*loaded, error) {
	caseID, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	c, err := store.CaseByID(r.Context(), h.Store, caseID)
	if err != nil {
		return nil, err
	}
	consents, err := store.PersonConsents(r.Context(), h.Store, c.PersonID)
	if err != nil {
		return nil, site.Unavailable("consents", err)
	}
	l := &loaded{Case: c, Consents: consents, res: h.resourceFor(c, lead, consents),
		key: h.Audit.Keys().PersonKey(personnummer.Number(c.Personnummer))}
	l.K.LeadOrgID = lead
	return l, nil
}

// coordinationOf fills in the case's coordination, if it has started.
func (h *Handlers) coordinationOf(ctx context.Context, l *loaded) error {
	k, err := store.CoordinationOfCase(ctx, h.Store, l.Case.ID)
	switch {
	case err == nil:
		l.K = k
	case !errors.Is(err, store.ErrNotFound):
		return site.Unavailable("coordination of case", err)
	}
	return nil
}

// regionEntry reads case caseID for the region's way into coordination,
// from its coordinators' view of their care units' patients: the
// person's consents, and the coordination if it has started. Only a
// case in that view (store.UnitCase: a current certificate from one of
// the region's care units) is the region's to coordinate, and then
// policy decides on it as the region's own (Coordinate with the region as
// owner); any other case is answered 404, audited, as if it did not
// exist. ADR 33 explains who may start a coordination.
func (h *Handlers) regionEntry(r *http.Request, a *site.Actor) (*loaded, error) {
	ctx := r.Context()
	l, err := h.caseOf(r, a.OrgID)
	if err != nil {
		return nil, err
	}
	caseID := l.Case.ID
	own := false
	if a.OrgType == organisation.Region {
		if own, err = store.UnitCase(ctx, h.Store, a.OrgID, caseID, site.SwedishDate(h.Now())); err != nil {
			return nil, site.Unavailable("unit case", err)
		}
	}
	// The region's own: no consent of another organisation lets anyone
	// else in, and the case's FK office does not bind the region.
	d := policy.Hidden
	if own {
		d = policy.Can(&a.Actor, policy.Coordinate, policy.Resource{OrgID: a.OrgID, Now: l.res.Now})
	}
	if d != policy.Allow {
		return nil, h.refuse(r, a, policy.Coordinate, d, l, "case", itoa(caseID))
	}
	l.entry, l.back, l.backText = fmt.Sprintf("/samordning/vardenheter/arenden/%d", caseID), "/samordning/vardenheter", "coord.units.back"
	return l, h.coordinationOf(ctx, l)
}

// entry is one way into coordinating a case: FK's (caseEntry) or the
// region's (regionEntry).
type entry func(*http.Request, *site.Actor) (*loaded, error)

// CasePage is GET /arenden/{id}/samordning: the person's consents and
// the way to start coordinating the case; once started, the coordination.
func (h *Handlers) CasePage(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return h.entryPage(w, r, a, h.caseEntry)
}

// RegionPage is GET /samordning/vardenheter/arenden/{id}: the region's
// coordinator's page of a patient's consents and the way to start
// coordinating the case with the region as lead.
func (h *Handlers) RegionPage(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return h.entryPage(w, r, a, h.regionEntry)
}

func (h *Handlers) entryPage(w http.ResponseWriter, r *http.Request, a *site.Actor, in entry) error {
	l, err := in(r, a)
	if err != nil {
		return err
	}
	if l.K.HasParty(a.OrgID) {
		http.Redirect(w, r, fmt.Sprintf("/samordning/%d", l.K.ID), http.StatusSeeOther)
		return nil
	}
	return h.renderCase(w, r, a, l, state{Status: http.StatusOK, Notice: r.URL.Query().Get("klart")})
}

type caseData struct {
	*pageData
	CanStart bool
	// Back is the page this way into the case's coordination comes from,
	// BackText the link's words.
	Back, BackText string
	// LedBy names the organisation leading the case's coordination when
	// the actor's does not take part in it.
	LedBy string
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
	d.Entry = l.entry
	cd := caseData{pageData: d, CanStart: holdsConsent(a, l), Back: l.back, BackText: translate(lang, l.backText)}
	if l.K.ID != 0 {
		cd.CanStart, cd.LedBy = false, l.K.LeadOrgName
	}
	e := a.Event(r, "read_consents", audit.OutcomeOK, "case", itoa(l.Case.ID))
	e.PersonKey, e.Purpose = l.key, via(0)
	h.auditRead(r, a, e)
	h.Render(w, r, st.Status, "coordination_case", site.Page{Lang: lang, Title: translate(lang, "coord.case.title") + ": " + d.Person.Name, Actor: a, Data: cd})
	return nil
}

// holdsConsent reports whether a's organisation recorded a current
// consent of l's person: what starting a coordination needs.
func holdsConsent(a *site.Actor, l *loaded) bool {
	today := civilOf(l.res)
	for i := range l.Consents {
		if l.Consents[i].RecordedByOrg == a.OrgID && l.Consents[i].Current(today) {
			return true
		}
	}
	return false
}

// CaseConsent is POST /arenden/{id}/samordning/samtycken: FK records a
// consent it obtained for the case's person.
func (h *Handlers) CaseConsent(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return h.entryConsent(w, r, a, h.caseEntry)
}

// RegionConsent is POST /samordning/vardenheter/arenden/{id}/samtycken:
// the region records a consent it obtained from its patient.
func (h *Handlers) RegionConsent(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return h.entryConsent(w, r, a, h.regionEntry)
}

func (h *Handlers) entryConsent(w http.ResponseWriter, r *http.Request, a *site.Actor, in entry) error {
	f, err := readForm(w, r)
	if err != nil {
		return err
	}
	l, err := in(r, a)
	if err != nil {
		return err
	}
	if _, err := h.recordConsent(r, a, l, f); err != nil {
		if ps, ok := site.ProblemsOf(err); ok {
			f.Problems = ps
			return h.renderCase(w, r, a, l, state{Status: http.StatusUnprocessableEntity, Which: "consent", Form: f})
		}
		return site.Unavailable("record consent", err)
	}
	http.Redirect(w, r, l.entry+"?klart=consent", http.StatusSeeOther)
	return nil
}

// Start is POST /arenden/{id}/samordning: FK starts coordinating the
// case, once it holds a current consent of the person. Starting twice
// goes to the coordination that exists.
func (h *Handlers) Start(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return h.start(w, r, a, h.caseEntry)
}

// RegionStart is POST /samordning/vardenheter/arenden/{id}: the region
// starts coordinating its patient's case, as its lead, once it holds a
// current consent of the person; it then invites the organisations the
// consent covers on the coordination's page.
func (h *Handlers) RegionStart(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return h.start(w, r, a, h.regionEntry)
}

// cannotStart answers a start refused with status: the case's page, its
// consent form showing why (code, on the purpose).
func (h *Handlers) cannotStart(w http.ResponseWriter, r *http.Request, a *site.Actor, l *loaded, status int, code string) error {
	f := newForm(site.Language(w, r))
	f.Problems = site.Problems{{Field: "purpose", Code: code}}
	return h.renderCase(w, r, a, l, state{Status: status, Which: "consent", Form: f})
}

// start starts the case's coordination with the actor's organisation as
// lead. Without a current consent it recorded: 422, nothing written. A
// case coordinated already goes to its coordination when the actor's
// organisation takes part, and is refused with 409 (naming the lead, to
// ask for an invitation) when it does not.
func (h *Handlers) start(w http.ResponseWriter, r *http.Request, a *site.Actor, in entry) error {
	ctx := r.Context()
	l, err := in(r, a)
	if err != nil {
		return err
	}
	if l.K.ID != 0 && !l.K.HasParty(a.OrgID) {
		return h.cannotStart(w, r, a, l, http.StatusConflict, "coordinated")
	}
	if l.K.ID == 0 {
		if !holdsConsent(a, l) {
			return h.cannotStart(w, r, a, l, http.StatusUnprocessableEntity, "no_consent")
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
			return h.start(w, r, a, in)
		}
		if err != nil {
			return site.Unavailable("start coordination", err)
		}
	}
	http.Redirect(w, r, fmt.Sprintf("/samordning/%d", l.K.ID), http.StatusSeeOther)
	return nil
}
