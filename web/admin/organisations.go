package admin

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
	"github.com/finsam/finsam/web/internal/site"
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
	Types []site.Choice
	Total int
	// Page of Pages; Prev and Next are links, empty at the ends.
	Page, Pages int
	Prev, Next  string
	// CanCreate shows the new-organisation form (system administrators).
	CanCreate bool
	Form      orgForm
	NewTypes  []site.Choice
	Errs      formView
}

// Organisations lists organisations, filtered by type and by a text
// that the name, slug or code contains, a page at a time.
func (s *Handlers) Organisations(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.renderOrganisations(w, r, a, http.StatusOK, orgForm{}, nil)
}

func (s *Handlers) renderOrganisations(w http.ResponseWriter, r *http.Request, a *site.Actor, status int, f orgForm, errs site.Problems) error {
	ctx := r.Context()
	lang := site.Language(w, r)
	q := r.URL.Query()
	typ := organisation.Type(q.Get("type"))
	if !typ.Valid() {
		typ = ""
	}
	text := strings.TrimSpace(q.Get("q"))
	orgs, err := store.Organisations(ctx, s.Store, typ)
	if err != nil {
		return site.Unavailable("list organisations", err)
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
		Form: f, Errs: problemsView(lang, errs)}
	d.Types = []site.Choice{{Value: "", Label: translate(lang, "admin.orgs.type.all"), Selected: typ == ""}}
	for _, t := range organisation.Types {
		d.Types = append(d.Types, site.Choice{Value: string(t), Label: orgTypeLabel(lang, t), Selected: t == typ})
		d.NewTypes = append(d.NewTypes, site.Choice{Value: string(t), Label: orgTypeLabel(lang, t), Selected: string(t) == f.Type})
	}
	d.Pages = max(1, (len(orgs)+orgsPerPage-1)/orgsPerPage)
	d.Page, _ = strconv.Atoi(q.Get("page"))
	d.Page = min(max(d.Page, 1), d.Pages)
	link := func(p int) string {
		return site.WithQuery("/admin/organisations", url.Values{"type": {string(typ)}, "q": {text}, "page": {strconv.Itoa(p)}})
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
	s.Render(w, r, status, "admin_organisations", site.Page{Lang: lang, Title: translate(lang, "admin.orgs.title"), Actor: a, Data: d})
	return nil
}

// OrganisationCreate creates an organisation (system administrators).
// Regions and municipalities need their SCB code; a municipality is linked
// to its region when the region exists.
func (s *Handlers) OrganisationCreate(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	if err := site.ParseForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	var errs site.Problems
	f := orgForm{Type: r.PostForm.Get("type")}
	f.Slug = checkSlug(&errs, "slug", r.PostForm.Get("slug"))
	f.Name = text(&errs, "name", r.PostForm.Get("name"), true, maxNameLen)
	typ := organisation.Type(f.Type)
	if !typ.Valid() {
		errs.Add("type", "unknown_type")
	} else {
		f.Code = checkOrgCode(&errs, typ, r.PostForm.Get("code"))
	}
	org := organisation.Organisation{Slug: f.Slug, Name: f.Name, Type: typ, Code: f.Code}
	if !errs.Any() {
		if _, err := store.OrganisationBySlug(ctx, s.Store, f.Slug); err == nil {
			errs.Add("slug", "slug_taken")
		} else if !errors.Is(err, store.ErrNotFound) {
			return site.Unavailable("find organisation", err)
		}
	}
	if !errs.Any() && (typ == organisation.Region || typ == organisation.Municipality) {
		same, err := store.Organisations(ctx, s.Store, typ)
		if err != nil {
			return site.Unavailable("list organisations", err)
		}
		for _, o := range same {
			if o.Code == f.Code {
				errs.Add("code", "code_taken")
			}
		}
		if typ == organisation.Municipality {
			m, _ := codelist.MunicipalityByCode(f.Code)
			regions, err := store.Organisations(ctx, s.Store, organisation.Region)
			if err != nil {
				return site.Unavailable("list organisations", err)
			}
			for _, reg := range regions {
				if reg.Code == m.RegionCode {
					org.ParentID = reg.ID
				}
			}
		}
	}
	if errs.Any() {
		return s.renderOrganisations(w, r, a, http.StatusUnprocessableEntity, f, errs)
	}
	err := s.Store.Tx(ctx, func(tx *store.Tx) error {
		created, err := store.CreateOrganisation(ctx, tx, org)
		if err != nil {
			return err
		}
		e := a.Event(r, "create_organisation", audit.OutcomeOK, "organisation", created.Slug)
		e.Purpose = "type=" + string(created.Type) + " code=" + created.Code
		return store.AppendAudit(ctx, tx, s.Audit.Keys(), e)
	})
	if errors.Is(err, store.ErrConflict) {
		errs.Add("slug", "slug_taken")
		return s.renderOrganisations(w, r, a, http.StatusUnprocessableEntity, f, errs)
	}
	if err != nil {
		return site.Unavailable("create organisation", err)
	}
	http.Redirect(w, r, "/admin/organisations/"+org.Slug+"?done=created", http.StatusSeeOther)
	return nil
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
	Kinds        []site.Choice
	GroupChoices []site.Choice
	Errs         formView
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

// Organisation shows one organisation: its offices, customer groups,
// association members, and how many users and tokens it has.
func (s *Handlers) Organisation(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	org, err := s.adminOrg(r, a, policy.ManageUsers, r.PathValue("slug"))
	if err != nil {
		return err
	}
	msg := ""
	switch r.URL.Query().Get("done") {
	case "created", "office":
		msg = translate(site.Language(w, r), "admin.org.done."+r.URL.Query().Get("done"))
	}
	return s.renderOrganisation(w, r, a, http.StatusOK, org, officeForm{}, msg, nil)
}

func (s *Handlers) renderOrganisation(w http.ResponseWriter, r *http.Request, a *site.Actor, status int, org organisation.Organisation, f officeForm, msg string, errs site.Problems) error {
	ctx := r.Context()
	lang := site.Language(w, r)
	d := adminOrgData{Org: org, Type: orgTypeLabel(lang, org.Type), Message: msg, Form: f, Errs: problemsView(lang, errs),
		UsersHref:   site.WithQuery("/admin/users", url.Values{"org": {org.Slug}}),
		TokensHref:  site.WithQuery("/admin/tokens", url.Values{"org": {org.Slug}}),
		NewUserHref: site.WithQuery("/admin/users/new", url.Values{"org": {org.Slug}})}
	err := s.Store.ReadTx(ctx, func(tx *store.Tx) error {
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
		d.GroupChoices = []site.Choice{{Value: "", Label: translate(lang, "admin.office.group.none"), Selected: f.Group == ""}}
		for _, g := range groups {
			groupNames[g.ID] = g.Name
			d.Groups = append(d.Groups, g.Name)
			d.GroupChoices = append(d.GroupChoices, site.Choice{Value: strconv.FormatInt(g.ID, 10), Label: g.Name, Selected: f.Group == strconv.FormatInt(g.ID, 10)})
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
				v := &recomputeView{EvalDate: run.EvalDate.Format(time.DateOnly), Started: site.LocalTime(run.StartedAt),
					Processed: run.Processed, Failed: run.Failed, Running: run.FinishedAt.IsZero()}
				if !v.Running {
					v.Finished = site.LocalTime(run.FinishedAt)
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
		return site.Unavailable("show organisation", err)
	}
	for _, k := range officeKinds(org.Type) {
		d.Kinds = append(d.Kinds, site.Choice{Value: k, Label: translate(lang, "admin.office.kind."+k), Selected: f.Kind == k})
	}
	s.Render(w, r, status, "admin_organisation", site.Page{Lang: lang, Title: org.Name, Actor: a, Data: d})
	return nil
}

// OfficeCreate adds an office to an organisation.
func (s *Handlers) OfficeCreate(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	if err := site.ParseForm(w, r); err != nil {
		return err
	}
	org, err := s.adminOrg(r, a, policy.ManageUsers, r.PathValue("slug"))
	if err != nil {
		return err
	}
	ctx := r.Context()
	var errs site.Problems
	f := officeForm{Kind: r.PostForm.Get("kind"), Group: r.PostForm.Get("group")}
	f.Slug = checkSlug(&errs, "slug", r.PostForm.Get("slug"))
	f.Name = text(&errs, "name", r.PostForm.Get("name"), true, maxNameLen)
	f.Municipality = strings.TrimSpace(r.PostForm.Get("municipality"))
	o := store.Office{OrgID: org.ID, Slug: f.Slug, Name: f.Name, Kind: f.Kind, MunicipalityCode: f.Municipality}
	kindOK := false
	for _, k := range officeKinds(org.Type) {
		kindOK = kindOK || k == f.Kind
	}
	if !kindOK {
		errs.Add("kind", "unknown_kind")
	}
	if f.Municipality != "" {
		if _, ok := codelist.MunicipalityByCode(f.Municipality); !ok {
			errs.Add("municipality", "unknown_municipality_code")
		}
	}
	groups, err := store.CustomerGroups(ctx, s.Store, org.ID)
	if err != nil {
		return site.Unavailable("list customer groups", err)
	}
	if f.Group != "" {
		for _, g := range groups {
			if strconv.FormatInt(g.ID, 10) == f.Group {
				o.CustomerGroupID = g.ID
			}
		}
		if o.CustomerGroupID == 0 {
			errs.Add("group", "unknown_group")
		}
	}
	if !errs.Any() {
		offices, err := store.Offices(ctx, s.Store, org.ID)
		if err != nil {
			return site.Unavailable("list offices", err)
		}
		for _, existing := range offices {
			if existing.Slug == f.Slug {
				errs.Add("slug", "slug_taken")
			}
		}
	}
	if errs.Any() {
		return s.renderOrganisation(w, r, a, http.StatusUnprocessableEntity, org, f, "", errs)
	}
	err = s.Store.Tx(ctx, func(tx *store.Tx) error {
		id, err := store.CreateOffice(ctx, tx, o)
		if err != nil {
			return err
		}
		e := a.Event(r, "create_office", audit.OutcomeOK, "office", strconv.FormatInt(id, 10))
		e.Purpose = "org=" + org.Slug + " slug=" + o.Slug + " kind=" + o.Kind
		return store.AppendAudit(ctx, tx, s.Audit.Keys(), e)
	})
	if errors.Is(err, store.ErrConflict) {
		errs.Add("slug", "slug_taken")
		return s.renderOrganisation(w, r, a, http.StatusUnprocessableEntity, org, f, "", errs)
	}
	if err != nil {
		return site.Unavailable("create office", err)
	}
	http.Redirect(w, r, "/admin/organisations/"+org.Slug+"?done=office", http.StatusSeeOther)
	return nil
}
