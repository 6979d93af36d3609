package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/organisation/codelist"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
)

// orgsPerPage keeps the organisation list readable: the country's 21
// regions and 290 municipalities are all there.
const orgsPerPage = 50

type orgRow struct {
	Slug, Name, Type, Code string
	// Open tells whether the administrator may open the organisation's
	// page (their own, or any for a system administrator).
	Open bool
}

// orgForm is what the new-organisation form submits.
type orgForm struct {
	Slug, Name, Type, Code string
}

type adminOrgsData struct {
	Orgs  []orgRow
	Query string
	Types []choice
	Total int
	// Page of Pages; Prev and Next are links, empty at the ends.
	Page, Pages int
	Prev, Next  string
	// CanCreate shows the new-organisation form (system administrators).
	CanCreate bool
	Form      orgForm
	NewTypes  []choice
	Errs      *formErrors
}

// adminOrganisations lists organisations, filtered by type and by a text
// that the name, slug or code contains, a page at a time.
func (s *Server) adminOrganisations(w http.ResponseWriter, r *http.Request, a *actor) {
	s.renderOrganisations(w, r, a, http.StatusOK, orgForm{}, nil)
}

func (s *Server) renderOrganisations(w http.ResponseWriter, r *http.Request, a *actor, status int, f orgForm, errs *formErrors) {
	ctx := r.Context()
	lang := language(w, r)
	q := r.URL.Query()
	typ := organisation.Type(q.Get("type"))
	if !typ.Valid() {
		typ = ""
	}
	text := strings.TrimSpace(q.Get("q"))
	orgs, err := store.Organisations(ctx, s.store, typ)
	if err != nil {
		s.unavailable(w, r, "list organisations", err)
		return
	}
	// Filtering ~320 rows here rather than in SQL folds case the same way
	// on both databases (SQLite's lower() knows only ASCII: not Å, Ä, Ö).
	if text != "" {
		needle := strings.ToLower(text)
		kept := orgs[:0]
		for _, o := range orgs {
			if strings.Contains(strings.ToLower(o.Name), needle) || strings.Contains(o.Slug, needle) || strings.HasPrefix(o.Code, text) {
				kept = append(kept, o)
			}
		}
		orgs = kept
	}
	d := adminOrgsData{Query: text, Total: len(orgs), CanCreate: policy.Can(&a.Actor, policy.ManageOrganisations, policy.Resource{}).Allowed(),
		Form: f, Errs: errs}
	d.Types = []choice{{Value: "", Label: translate(lang, "admin.orgs.type.all"), Selected: typ == ""}}
	for _, t := range organisation.Types {
		d.Types = append(d.Types, choice{Value: string(t), Label: orgTypeLabel(lang, t), Selected: t == typ})
		d.NewTypes = append(d.NewTypes, choice{Value: string(t), Label: orgTypeLabel(lang, t), Selected: string(t) == f.Type})
	}
	d.Pages = max(1, (len(orgs)+orgsPerPage-1)/orgsPerPage)
	d.Page, _ = strconv.Atoi(q.Get("page"))
	d.Page = min(max(d.Page, 1), d.Pages)
	link := func(p int) string {
		return withQuery("/admin/organisations", url.Values{"type": {string(typ)}, "q": {text}, "page": {strconv.Itoa(p)}})
	}
	if d.Page > 1 {
		d.Prev = link(d.Page - 1)
	}
	if d.Page < d.Pages {
		d.Next = link(d.Page + 1)
	}
	for _, o := range orgs[min((d.Page-1)*orgsPerPage, len(orgs)):min(d.Page*orgsPerPage, len(orgs))] {
		d.Orgs = append(d.Orgs, orgRow{Slug: o.Slug, Name: o.Name, Type: orgTypeLabel(lang, o.Type), Code: o.Code,
			Open: a.SystemAdmin || o.ID == a.OrgID})
	}
	s.render(w, r, status, "admin_organisations", page{Lang: lang, Title: translate(lang, "admin.orgs.title"), Actor: a, Data: d})
}

// adminOrganisationCreate creates an organisation (system administrators).
// Regions and municipalities need their SCB code; a municipality is linked
// to its region when the region exists.
func (s *Server) adminOrganisationCreate(w http.ResponseWriter, r *http.Request, a *actor) {
	if !s.parseAdminForm(w, r) {
		return
	}
	ctx := r.Context()
	lang := language(w, r)
	errs := newFormErrors(lang)
	f := orgForm{Type: r.PostForm.Get("type")}
	f.Slug = checkSlug(errs, "slug", r.PostForm.Get("slug"))
	f.Name = text(errs, "name", r.PostForm.Get("name"), true, maxNameLen)
	typ := organisation.Type(f.Type)
	if !typ.Valid() {
		errs.add("type", "unknown_type")
	} else {
		f.Code = checkOrgCode(errs, typ, r.PostForm.Get("code"))
	}
	org := organisation.Organisation{Slug: f.Slug, Name: f.Name, Type: typ, Code: f.Code}
	if !errs.Any() {
		if _, err := store.OrganisationBySlug(ctx, s.store, f.Slug); err == nil {
			errs.add("slug", "slug_taken")
		} else if !errors.Is(err, store.ErrNotFound) {
			s.unavailable(w, r, "find organisation", err)
			return
		}
	}
	if !errs.Any() && (typ == organisation.Region || typ == organisation.Municipality) {
		same, err := store.Organisations(ctx, s.store, typ)
		if err != nil {
			s.unavailable(w, r, "list organisations", err)
			return
		}
		for _, o := range same {
			if o.Code == f.Code {
				errs.add("code", "code_taken")
			}
		}
		if typ == organisation.Municipality {
			m, _ := codelist.MunicipalityByCode(f.Code)
			regions, err := store.Organisations(ctx, s.store, organisation.Region)
			if err != nil {
				s.unavailable(w, r, "list organisations", err)
				return
			}
			for _, reg := range regions {
				if reg.Code == m.RegionCode {
					org.ParentID = reg.ID
				}
			}
		}
	}
	if errs.Any() {
		s.renderOrganisations(w, r, a, http.StatusUnprocessableEntity, f, errs)
		return
	}
	err := s.store.Tx(ctx, func(tx *store.Tx) error {
		created, err := store.CreateOrganisation(ctx, tx, org)
		if err != nil {
			return err
		}
		e := a.Event(r, "create_organisation", audit.OutcomeOK, "organisation", created.Slug)
		e.Purpose = "type=" + string(created.Type) + " code=" + created.Code
		return store.AppendAudit(ctx, tx, s.audit.Keys(), e)
	})
	if errors.Is(err, store.ErrConflict) {
		errs.add("slug", "slug_taken")
		s.renderOrganisations(w, r, a, http.StatusUnprocessableEntity, f, errs)
		return
	}
	if err != nil {
		s.unavailable(w, r, "create organisation", err)
		return
	}
	http.Redirect(w, r, "/admin/organisations/"+org.Slug+"?done=created", http.StatusSeeOther)
}

type officeRow struct {
	Slug, Name, Kind, Group, Municipality string
}

// officeForm is what the new-office form submits.
type officeForm struct {
	Slug, Name, Kind, Group, Municipality string
}

type adminOrgData struct {
	Org          organisation.Organisation
	Type         string
	Parent       string
	Offices      []officeRow
	Groups       []string
	Members      []string
	Users        int
	Tokens       int
	UsersHref    string
	TokensHref   string
	NewUserHref  string
	Message      string
	Form         officeForm
	Kinds        []choice
	GroupChoices []choice
	Errs         *formErrors
	// Recompute is the latest nightly case recompute, shown on FK's page.
	Recompute *recomputeView
}

// recomputeView is the latest recompute run as the admin page shows it.
type recomputeView struct {
	EvalDate, Started, Finished string
	Processed, Failed           int64
	Duration                    string
	Running                     bool
}

// adminOrganisation shows one organisation: its offices, customer groups,
// association members, and how many users and tokens it has.
func (s *Server) adminOrganisation(w http.ResponseWriter, r *http.Request, a *actor) {
	org, ok := s.adminOrg(w, r, a, policy.ManageUsers, r.PathValue("slug"))
	if !ok {
		return
	}
	msg := ""
	switch r.URL.Query().Get("done") {
	case "created", "office":
		msg = translate(language(w, r), "admin.org.done."+r.URL.Query().Get("done"))
	}
	s.renderOrganisation(w, r, a, http.StatusOK, org, officeForm{}, msg, nil)
}

func (s *Server) renderOrganisation(w http.ResponseWriter, r *http.Request, a *actor, status int, org organisation.Organisation, f officeForm, msg string, errs *formErrors) {
	ctx := r.Context()
	lang := language(w, r)
	d := adminOrgData{Org: org, Type: orgTypeLabel(lang, org.Type), Message: msg, Form: f, Errs: errs,
		UsersHref:   withQuery("/admin/users", url.Values{"org": {org.Slug}}),
		TokensHref:  withQuery("/admin/tokens", url.Values{"org": {org.Slug}}),
		NewUserHref: withQuery("/admin/users/new", url.Values{"org": {org.Slug}})}
	err := s.store.ReadTx(ctx, func(tx *store.Tx) error {
		if org.ParentID != 0 {
			p, err := store.OrganisationByID(ctx, tx, org.ParentID)
			if err != nil {
				return err
			}
			d.Parent = p.Name
		}
		groups, err := store.CustomerGroups(ctx, tx, org.ID)
		if err != nil {
			return err
		}
		groupNames := map[int64]string{}
		d.GroupChoices = []choice{{Value: "", Label: translate(lang, "admin.office.group.none"), Selected: f.Group == ""}}
		for _, g := range groups {
			groupNames[g.ID] = g.Name
			d.Groups = append(d.Groups, g.Name)
			d.GroupChoices = append(d.GroupChoices, choice{Value: itoa(g.ID), Label: g.Name, Selected: f.Group == itoa(g.ID)})
		}
		offices, err := store.Offices(ctx, tx, org.ID)
		if err != nil {
			return err
		}
		for _, o := range offices {
			row := officeRow{Slug: o.Slug, Name: o.Name, Kind: translate(lang, "admin.office.kind."+o.Kind), Group: groupNames[o.CustomerGroupID]}
			if m, ok := codelist.MunicipalityByCode(o.MunicipalityCode); ok {
				row.Municipality = m.Name + " (" + m.Code + ")"
			}
			d.Offices = append(d.Offices, row)
		}
		if org.Type == organisation.FK {
			run, ok, err := casework.LatestRun(ctx, tx)
			if err != nil {
				return err
			}
			if ok {
				v := &recomputeView{EvalDate: run.EvalDate.Format(time.DateOnly), Started: localTime(run.StartedAt),
					Processed: run.Processed, Failed: run.Failed, Running: run.FinishedAt.IsZero()}
				if !v.Running {
					v.Finished = localTime(run.FinishedAt)
					v.Duration = run.FinishedAt.Sub(run.StartedAt).Round(time.Second).String()
				}
				d.Recompute = v
			}
		}
		if org.Type == organisation.Association {
			members, err := store.AssociationMembers(ctx, tx, org.ID)
			if err != nil {
				return err
			}
			for _, m := range members {
				d.Members = append(d.Members, m.Name)
			}
		}
		if d.Users, err = store.CountUsers(ctx, tx, org.ID); err != nil {
			return err
		}
		d.Tokens, err = store.CountActiveTokens(ctx, tx, org.ID)
		return err
	})
	if err != nil {
		s.unavailable(w, r, "show organisation", err)
		return
	}
	for _, k := range officeKinds(org.Type) {
		d.Kinds = append(d.Kinds, choice{Value: k, Label: translate(lang, "admin.office.kind."+k), Selected: f.Kind == k})
	}
	s.render(w, r, status, "admin_organisation", page{Lang: lang, Title: org.Name, Actor: a, Data: d})
}

// adminOfficeCreate adds an office to an organisation.
func (s *Server) adminOfficeCreate(w http.ResponseWriter, r *http.Request, a *actor) {
	if !s.parseAdminForm(w, r) {
		return
	}
	org, ok := s.adminOrg(w, r, a, policy.ManageUsers, r.PathValue("slug"))
	if !ok {
		return
	}
	ctx := r.Context()
	lang := language(w, r)
	errs := newFormErrors(lang)
	f := officeForm{Kind: r.PostForm.Get("kind"), Group: r.PostForm.Get("group")}
	f.Slug = checkSlug(errs, "slug", r.PostForm.Get("slug"))
	f.Name = text(errs, "name", r.PostForm.Get("name"), true, maxNameLen)
	f.Municipality = strings.TrimSpace(r.PostForm.Get("municipality"))
	o := store.Office{OrgID: org.ID, Slug: f.Slug, Name: f.Name, Kind: f.Kind, MunicipalityCode: f.Municipality}
	kindOK := false
	for _, k := range officeKinds(org.Type) {
		kindOK = kindOK || k == f.Kind
	}
	if !kindOK {
		errs.add("kind", "unknown_kind")
	}
	if f.Municipality != "" {
		if _, ok := codelist.MunicipalityByCode(f.Municipality); !ok {
			errs.add("municipality", "unknown_municipality_code")
		}
	}
	groups, err := store.CustomerGroups(ctx, s.store, org.ID)
	if err != nil {
		s.unavailable(w, r, "list customer groups", err)
		return
	}
	if f.Group != "" {
		for _, g := range groups {
			if itoa(g.ID) == f.Group {
				o.CustomerGroupID = g.ID
			}
		}
		if o.CustomerGroupID == 0 {
			errs.add("group", "unknown_group")
		}
	}
	if !errs.Any() {
		offices, err := store.Offices(ctx, s.store, org.ID)
		if err != nil {
			s.unavailable(w, r, "list offices", err)
			return
		}
		for _, existing := range offices {
			if existing.Slug == f.Slug {
				errs.add("slug", "slug_taken")
			}
		}
	}
	if errs.Any() {
		s.renderOrganisation(w, r, a, http.StatusUnprocessableEntity, org, f, "", errs)
		return
	}
	err = s.store.Tx(ctx, func(tx *store.Tx) error {
		id, err := store.CreateOffice(ctx, tx, o)
		if err != nil {
			return err
		}
		e := a.Event(r, "create_office", audit.OutcomeOK, "office", itoa(id))
		e.Purpose = "org=" + org.Slug + " slug=" + o.Slug + " kind=" + o.Kind
		return store.AppendAudit(ctx, tx, s.audit.Keys(), e)
	})
	if errors.Is(err, store.ErrConflict) {
		errs.add("slug", "slug_taken")
		s.renderOrganisation(w, r, a, http.StatusUnprocessableEntity, org, f, "", errs)
		return
	}
	if err != nil {
		s.unavailable(w, r, "create office", err)
		return
	}
	http.Redirect(w, r, "/admin/organisations/"+org.Slug+"?done=office", http.StatusSeeOther)
}
