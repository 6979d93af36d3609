package search

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/coordination"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/caseaccess"
	"github.com/finsam/finsam/web/internal/site"
)

// Query kinds, as the audit entry names them (never the query itself).
const (
	kindPersonnummer = "personnummer"
	kindName         = "name"
	kindNumber       = "number"
)

// Problem codes of a query, stable for the API; the page says them in
// words (search.problem.<code>).
const (
	problemRequired  = "required"
	problemTooShort  = "too_short"
	problemTooLong   = "too_long"
	problemChecksum  = "checksum"
	problemInvalidPN = "personnummer_invalid"
)

// minName is the fewest letters a name search takes: one letter would
// list half the country.
const minName = 2

// maxQuery is the longest query taken, in characters.
const maxQuery = 100

// parsed is a query read: the terms for the store and the kind for the
// audit entry; number is a case number or certificate id.
type parsed struct {
	kind   string
	terms  store.SearchTerms
	number int64
}

// parse reads what the user typed. A query of digits (with at most one "-"
// or "+" and spaces) of ten or twelve digits is a personnummer or
// samordningsnummer, any other run of digits a case number or certificate
// id; anything else a name. It returns a problem code for a query it
// cannot search.
func parse(q string, today time.Time) (parsed, string) {
	q = strings.TrimSpace(q)
	switch {
	case q == "":
		return parsed{}, problemRequired
	case utf8.RuneCountInString(q) > maxQuery || !utf8.ValidString(q):
		return parsed{}, problemTooLong
	}
	compact := strings.ReplaceAll(q, " ", "")
	numeric := strings.IndexFunc(compact, func(r rune) bool { return (r < '0' || r > '9') && r != '-' && r != '+' }) < 0
	if numeric {
		digits := strings.Count(compact, "") - 1 - strings.Count(compact, "-") - strings.Count(compact, "+")
		if digits == 10 || digits == 12 {
			n, err := personnummer.Parse(compact, today)
			switch {
			case errors.Is(err, personnummer.ErrChecksum):
				return parsed{}, problemChecksum
			case err != nil:
				return parsed{}, problemInvalidPN
			}
			return parsed{kind: kindPersonnummer, terms: store.SearchTerms{Personnummer: string(n)}}, ""
		}
		if strings.ContainsAny(compact, "-+") {
			return parsed{}, problemInvalidPN
		}
		id, err := strconv.ParseInt(compact, 10, 64)
		if err != nil || id <= 0 {
			return parsed{}, problemInvalidPN
		}
		return parsed{kind: kindNumber, number: id}, ""
	}
	letters := 0
	for _, r := range q {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if letters < minName {
		return parsed{}, problemTooShort
	}
	return parsed{kind: kindName, terms: store.SearchTerms{Name: q}}, ""
}

// Hit is one row of the result: what it is, whose, and where it is opened.
type Hit struct {
	// Kind is "case", "certificate", "coordination" or "participant".
	Kind string `json:"kind"`
	ID   int64  `json:"id"`
	// Href is the page the row opens; it carries ids only.
	Href string `json:"href"`
	// What names the row for people: "Ärende 12", "Intyg 7".
	What string `json:"-"`
	// Name is the person's name, or the words for a protected identity.
	Name string `json:"name"`
	// Number is the personnummer written YYYYMMDD-NNNN, "" when hidden.
	Number string `json:"personnummer,omitempty"`
	// Where is the office, the leading organisation or the insats.
	Where string `json:"where,omitempty"`
	// Who is the case's case worker, "" for none.
	Who    string `json:"assignee,omitempty"`
	Status string `json:"status,omitempty"`
	Period string `json:"period,omitempty"`

	personKey string
}

// run searches p within what a may see: the rows found, already narrowed
// by the policy as each row's page would, in the order shown.
func (h *Handlers) run(r *http.Request, a *site.Actor, lang string, p parsed) ([]Hit, error) {
	var out []Hit
	if a.ShowsCases() {
		hits, err := h.cases(r, a, lang, p)
		if err != nil {
			return nil, err
		}
		out = append(out, hits...)
	}
	if a.Has(account.Coordinator) && a.OrgType != organisation.FK {
		hits, err := h.coordinations(r, a, lang, p)
		if err != nil {
			return nil, err
		}
		out = append(out, hits...)
	}
	if a.OrgType == organisation.Association && a.Has(account.AssociationStaff) {
		hits, err := h.participants(r, a, lang, p)
		if err != nil {
			return nil, err
		}
		out = append(out, hits...)
	}
	return out, nil
}

// cases are Försäkringskassan's cases and certificates found, of the
// actor's office (every office for staff without one), each allowed by
// the policy on the case's office as the case page and the certificate
// page allow it.
func (h *Handlers) cases(r *http.Request, a *site.Actor, lang string, p parsed) ([]Hit, error) {
	ctx := r.Context()
	fk, ok, err := store.CertificateOwner(ctx, h.Store)
	if err != nil {
		return nil, site.Unavailable("find FK organisation", err)
	}
	if !ok || fk.ID != a.OrgID {
		return nil, nil
	}
	scope := store.CaseSearch{OfficeID: a.OfficeID}
	if a.Has(account.CaseWorker) {
		scope.ProtectedFor = a.UserID
	}
	var found []store.CaseHit
	if p.kind == kindNumber {
		// A number is a case number or a certificate id: both are asked.
		for _, t := range []store.SearchTerms{{CaseID: p.number}, {CertificateID: p.number}} {
			hs, err := store.SearchCases(ctx, h.Store, t, scope)
			if err != nil {
				return nil, site.Unavailable("search cases", err)
			}
			found = append(found, hs...)
		}
	} else if found, err = store.SearchCases(ctx, h.Store, p.terms, scope); err != nil {
		return nil, site.Unavailable("search cases", err)
	}
	now := h.Now()
	out := make([]Hit, 0, len(found))
	for _, f := range found {
		c := store.Case{ID: f.CaseID, OfficeID: f.OfficeID, AssignedUserID: f.AssignedUserID}
		if !policy.Can(&a.Actor, policy.ReadPerson, caseaccess.Resource(fk, c, now)).Allowed() {
			continue
		}
		hit := Hit{Kind: "case", ID: f.CaseID, Href: "/arenden/" + itoa(f.CaseID), What: translate(lang, "search.what.case") + " " + itoa(f.CaseID),
			Where: f.OfficeName, Who: f.Assignee, Period: period(f.FirstDay, f.LastDay),
			personKey: h.Audit.Keys().PersonKey(personnummer.Number(f.Personnummer))}
		if f.Status != "" {
			hit.Status = translate(lang, "search.status."+f.Status)
		}
		if f.CertificateID != 0 {
			hit.Kind, hit.ID, hit.Href = "certificate", f.CertificateID, "/certificates/"+itoa(f.CertificateID)
			hit.What = translate(lang, "search.what.certificate") + " " + itoa(f.CertificateID)
		}
		// A protected identity is shown only to the case's own case
		// worker, as on the case page.
		if f.ProtectedIdentity && !(a.Has(account.CaseWorker) && f.AssignedUserID != 0 && f.AssignedUserID == a.UserID) {
			hit.Name = translate(lang, "search.protected")
		} else {
			hit.Name, hit.Number = f.Name, personnummer.Number(f.Personnummer).String()
			if hit.Name == "" {
				hit.Name = hit.Number
			}
		}
		out = append(out, hit)
	}
	return out, nil
}

// coordinations are the coordinations found that the persons' consents let
// the actor see today, as Mina samordningsärenden lists them.
func (h *Handlers) coordinations(r *http.Request, a *site.Actor, lang string, p parsed) ([]Hit, error) {
	ctx := r.Context()
	t := p.terms
	if p.kind == kindNumber {
		t = store.SearchTerms{CaseID: p.number}
	}
	found, err := store.SearchCoordinations(ctx, h.Store, t, a.OrgID)
	if err != nil {
		return nil, site.Unavailable("search coordinations", err)
	}
	ids := make([]int64, 0, len(found))
	for _, f := range found {
		ids = append(ids, f.PersonID)
	}
	consents, err := store.PersonsConsents(ctx, h.Store, ids)
	if err != nil {
		return nil, site.Unavailable("search consents", err)
	}
	day := site.SwedishDate(h.Now())
	var out []Hit
	for _, f := range found {
		res := policy.Resource{OrgID: f.LeadOrgID, OfficeID: f.OfficeID, Now: day, Consents: coordination.PolicyAll(consents[f.PersonID])}
		if d, _ := policy.Decide(&a.Actor, policy.ReadPerson, res); d != policy.Allow {
			continue
		}
		hit := Hit{Kind: "coordination", ID: f.ID, Href: "/samordning/" + itoa(f.ID), What: translate(lang, "search.what.coordination") + " " + itoa(f.CaseID),
			Name: f.Name, Where: f.LeadOrgName, Status: translate(lang, "search.status."+f.Status),
			personKey: h.Audit.Keys().PersonKey(personnummer.Number(f.Personnummer))}
		if !f.ProtectedIdentity {
			hit.Number = personnummer.Number(f.Personnummer).String()
		}
		out = append(out, hit)
	}
	return out, nil
}

// participants are the association's participants found, for its staff
// (ManageAssociation on the association, as the participant's page asks).
func (h *Handlers) participants(r *http.Request, a *site.Actor, lang string, p parsed) ([]Hit, error) {
	if p.kind == kindNumber || !policy.Can(&a.Actor, policy.ManageAssociation, policy.Resource{OrgID: a.OrgID, Now: h.Now()}).Allowed() {
		return nil, nil
	}
	found, err := store.SearchParticipants(r.Context(), h.Store, p.terms, a.OrgID)
	if err != nil {
		return nil, site.Unavailable("search participants", err)
	}
	base := "/forbund/" + url.PathEscape(a.Org.Slug) + "/deltagare/"
	out := make([]Hit, 0, len(found))
	for _, f := range found {
		out = append(out, Hit{Kind: "participant", ID: f.ID, Href: base + itoa(f.ID), What: translate(lang, "search.what.participant"),
			Name: f.Name, Number: personnummer.Number(f.Personnummer).String(), Where: f.InsatsName,
			Status:    translate(lang, "search.participant."+f.Status),
			personKey: h.Audit.Keys().PersonKey(personnummer.Number(f.Personnummer))})
	}
	return out, nil
}

// auditHits queues the one audit entry of a search that found persons:
// search_persons naming each person found once, in the order shown, with
// the kind of query and the number of rows, never the query.
func (h *Handlers) auditHits(r *http.Request, a *site.Actor, kind string, hits []Hit) {
	if len(hits) == 0 {
		return
	}
	e := a.Event(r, "search_persons", audit.OutcomeOK, "search", kind)
	e.Purpose = "by=" + kind + " rows=" + strconv.Itoa(len(hits))
	seen := make(map[string]bool, len(hits))
	for _, hit := range hits {
		if !seen[hit.personKey] {
			seen[hit.personKey] = true
			e.Persons = append(e.Persons, hit.personKey)
		}
	}
	h.AuditRead(r, a, e)
}

func period(from, to time.Time) string {
	if from.IsZero() {
		return ""
	}
	return from.Format(time.DateOnly) + " – " + to.Format(time.DateOnly)
}

// pageData is what search.html shows.
type pageData struct {
	Query string
	// Error is the query's problem in words, "" for none.
	Error    string
	Searched bool
	Hits     []Hit
	// Capped says the result reached the most rows a search shows.
	Capped bool
}

// Page is GET /sok: the search form alone (where the language switch of
// a result leads, and for a browser that lost the header's field).
func (h *Handlers) Page(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	if !a.ShowsSearch() {
		return site.NotFound()
	}
	lang := site.Language(w, r)
	h.Render(w, r, http.StatusOK, "search", site.Page{Lang: lang, Title: translate(lang, "search.title"), Actor: a, Data: pageData{}})
	return nil
}

// Search is POST /sok: the query from the form's body, the rows found and
// the audit entry naming their persons. A query that cannot be searched
// shows the form again with the problem beside the field (422).
func (h *Handlers) Search(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	if !a.ShowsSearch() {
		return site.NotFound()
	}
	if err := site.ParseFormMax(w, r, 4<<10); err != nil {
		return err
	}
	lang := site.Language(w, r)
	d := pageData{Query: r.PostForm.Get("q")}
	title := translate(lang, "search.title")
	p, problem := parse(d.Query, site.SwedishDate(h.Now()))
	if problem != "" {
		d.Error = translate(lang, "search.problem."+problem)
		h.Render(w, r, http.StatusUnprocessableEntity, "search", site.Page{Lang: lang, Title: translate(lang, "search.error.title") + " " + title, Actor: a, Data: d})
		return nil
	}
	hits, err := h.run(r, a, lang, p)
	if err != nil {
		return err
	}
	h.auditHits(r, a, p.kind, hits)
	d.Searched, d.Hits, d.Capped = true, hits, len(hits) >= store.MaxSearchHits
	h.Render(w, r, http.StatusOK, "search", site.Page{Lang: lang, Title: title, Actor: a, Data: d})
	return nil
}
