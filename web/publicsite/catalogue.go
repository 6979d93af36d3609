package publicsite

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/assocreport"
	"github.com/finsam/finsam/organisation/codelist"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/website"
)

// perPage is how many insatser a page of the catalogue lists.
const perPage = 20

type option struct {
	Value, Label string
	Selected     bool
}

type catalogueData struct {
	Items      []store.CatalogueItem
	Total      int
	Filter     url.Values
	Municipals []option
	Situations []option
	Organisers []option
	Statuses   []option
	Entries    []option
	Page       int
	Prev, Next string
}

// municipalityName is a kommunkod's name.
func municipalityName(code string) string {
	if m, ok := codelist.MunicipalityByCode(code); ok {
		return m.Name
	}
	return code
}

// Catalogue is GET /f/{site}/aktivitetskatalogen: the association's public
// insatser with filters by municipality, target group, organiser, status
// and entry route. The filters are a GET form, so a filtered list is a
// link, and it works without JavaScript.
func (s *Handlers) Catalogue(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
		ctx := r.Context()
		q := r.URL.Query()
		f := store.CatalogueQuery{AssociationID: ps.Org.ID, Municipality: q.Get("kommun"), Situation: website.Situation(q.Get("malgrupp")),
			Status: association.InsatsStatus(q.Get("status")), Entry: website.EntryRoute(q.Get("vag"))}
		f.OrganiserID, _ = strconv.ParseInt(q.Get("arrangor"), 10, 64)
		page, _ := strconv.Atoi(q.Get("sida"))
		page = max(page, 1)
		f.Limit, f.Offset = perPage, (page-1)*perPage
		items, err := store.Catalogue(ctx, s.Store, f)
		if err != nil {
			return site.Unavailable("catalogue", err)
		}
		total, err := store.CatalogueCount(ctx, s.Store, f)
		if err != nil {
			return site.Unavailable("catalogue count", err)
		}
		orgs, err := store.CatalogueOrganisers(ctx, s.Store, ps.Org.ID)
		if err != nil {
			return site.Unavailable("organisers", err)
		}
		d := catalogueData{Items: items, Total: total, Filter: q, Page: page}
		d.Municipals = append(d.Municipals, option{"", ps.T("pub.filter.all"), f.Municipality == ""})
		for _, c := range ps.Area {
			d.Municipals = append(d.Municipals, option{c, municipalityName(c), c == f.Municipality})
		}
		d.Situations = append(d.Situations, option{"", ps.T("pub.filter.all"), f.Situation == ""})
		for _, sit := range website.Situations {
			d.Situations = append(d.Situations, option{string(sit), ps.T("pub.situation." + string(sit)), sit == f.Situation})
		}
		d.Organisers = append(d.Organisers, option{"", ps.T("pub.filter.all"), f.OrganiserID == 0})
		for _, o := range orgs {
			d.Organisers = append(d.Organisers, option{strconv.FormatInt(o.ID, 10), o.Name, o.ID == f.OrganiserID})
		}
		d.Statuses = append(d.Statuses, option{"", ps.T("pub.filter.all"), f.Status == ""})
		for _, st := range []association.InsatsStatus{association.InsatsOngoing, association.InsatsPlanned, association.InsatsEnded} {
			d.Statuses = append(d.Statuses, option{string(st), ps.T("pub.status." + string(st)), st == f.Status})
		}
		d.Entries = append(d.Entries, option{"", ps.T("pub.filter.all"), f.Entry == ""})
		for _, e := range []website.EntryRoute{website.EntrySelf, website.EntryReferral} {
			d.Entries = append(d.Entries, option{string(e), ps.T("pub.entry." + string(e)), e == f.Entry})
		}
		link := func(p int) string {
			v := url.Values{}
			for k, vs := range q {
				v[k] = vs
			}
			v.Set("sida", strconv.Itoa(p))
			v.Del("lang")
			return ps.URL("/aktivitetskatalogen?" + v.Encode())
		}
		if page > 1 {
			d.Prev = link(page - 1)
		}
		if page*perPage < total {
			d.Next = link(page + 1)
		}
		return s.render(w, r, ps, http.StatusOK, "catalogue", ps.T("pub.catalogue.title"), ps.T("pub.catalogue.lead"), d)
	})(w, r, a)
}

// results are an insats's participants as the public may see them: counts
// under 5 shown as "<5", with the secondary suppression of the yearly
// reports (association.SuppressRow), so that no one can be pointed out.
type results struct {
	Started string
	Ended   string
	Reasons []reasonRow
}

type reasonRow struct {
	Label, Count string
}

type insatsData struct {
	Item    store.CatalogueItem
	Area    []option
	Results *results
	Form    interestForm
	Sent    bool
	Print   bool
}

type interestForm struct {
	Name, Reach, Municipality string
	Problems                  website.Problems
}

// For is the problem of a field, as a message id.
func (f interestForm) For(field string) string { return problemFor(f.Problems, field) }

// problemFor is the message id of field's problem among ps, "" for none:
// what the For of a public form's data answers its template.
func problemFor(ps website.Problems, field string) string {
	for _, p := range ps {
		if p.Field == field {
			return "pub.err." + p.Code
		}
	}
	return ""
}

// loadInsats reads the request's {id} from the catalogue.
func (s *Handlers) loadInsats(r *http.Request, ps *pubSite) (store.CatalogueItem, error) {
	id, ok := site.PathID(r, "id")
	if !ok {
		return store.CatalogueItem{}, site.NotFound()
	}
	items, err := store.Catalogue(r.Context(), s.Store, store.CatalogueQuery{AssociationID: ps.Org.ID, InsatsID: id})
	if err != nil {
		return store.CatalogueItem{}, site.Unavailable("insats", err)
	}
	if len(items) == 0 {
		return store.CatalogueItem{}, site.NotFound()
	}
	return items[0], nil
}

// insatsResults counts the participants of an individual insats from its
// start to today: those who started, those who ended and why.
func (s *Handlers) insatsResults(r *http.Request, ps *pubSite, in association.Insats) (*results, error) {
	if in.FollowUp != association.FollowUpIndividual || in.Start.After(s.Today()) {
		return nil, nil
	}
	ctx := r.Context()
	codes, _, err := store.AssociationCodeLists(ctx, s.Store, ps.Org.ID)
	if err != nil {
		return nil, err
	}
	counts, err := store.ParticipantCounts(ctx, s.Store, ps.Org.ID)
	if err != nil {
		return nil, err
	}
	c := counts[in.ID]
	excluded := codes.WithFlag(association.ListEndReason, association.FlagExclude)
	reasons, err := store.EndReasons(ctx, s.Store, store.ReportFilter{AssociationID: ps.Org.ID, InsatsID: in.ID,
		From: in.Start, To: s.Today(), ExcludeEndReasons: excluded})
	if err != nil {
		return nil, err
	}
	// In the code list's order, as the yearly report shows them.
	order := map[string]int{}
	if l := codes.List(association.ListEndReason); l != nil {
		for i, c := range l.Codes {
			order[c.Code] = i + 1
		}
	}
	slices.SortStableFunc(reasons, func(a, b store.CodeCount) int { return order[a.Code] - order[b.Code] })
	var cells []int64
	var kept []store.CodeCount
	var ended int64
	for _, rc := range reasons {
		if excludedCode(excluded, rc.Code) {
			continue
		}
		kept = append(kept, rc)
		cells = append(cells, rc.N)
		ended += rc.N
	}
	shown, total := association.SuppressRow(cells)
	// Registrations ended as wrong (FlagExclude) count nowhere.
	started := int64(c[association.Active]) + ended
	res := &results{Started: association.CountCell(started), Ended: total}
	// Started less ended is those still taking part: when that is 1–4,
	// one of the two is withheld, or it could be worked out.
	if association.IsSuppressed(started-ended) && !association.IsSuppressed(ended) && !association.IsSuppressed(started) {
		res.Ended = association.Withheld
	}
	for i, rc := range kept {
		res.Reasons = append(res.Reasons, reasonRow{Label: assocreport.Label(codes, association.ListEndReason, rc.Code, ps.Lang), Count: shown[i]})
	}
	return res, nil
}

func excludedCode(list []string, code string) bool {
	for _, c := range list {
		if c == code {
			return true
		}
	}
	return false
}

// Insats is GET /f/{site}/aktivitetskatalogen/{id}: one insats with all a
// visitor needs, its results and the interest form.
func (s *Handlers) Insats(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
		return s.showInsats(w, r, ps, http.StatusOK, interestForm{}, r.URL.Query().Get("skickat") == "1", false)
	})(w, r, a)
}

// InsatsPrint is GET /f/{site}/aktivitetskatalogen/{id}/utskrift: the
// insats on one printable sheet.
func (s *Handlers) InsatsPrint(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
		return s.showInsats(w, r, ps, http.StatusOK, interestForm{}, false, true)
	})(w, r, a)
}

func (s *Handlers) showInsats(w http.ResponseWriter, r *http.Request, ps *pubSite, status int, form interestForm, sent, print bool) error {
	it, err := s.loadInsats(r, ps)
	if err != nil {
		return err
	}
	res, err := s.insatsResults(r, ps, it.Insats)
	if err != nil {
		return site.Unavailable("insats results", err)
	}
	d := insatsData{Item: it, Results: res, Form: form, Sent: sent, Print: print}
	for _, c := range ps.Area {
		d.Area = append(d.Area, option{c, municipalityName(c), c == form.Municipality})
	}
	name := "insats"
	if print {
		name = "insats_print"
	}
	return s.render(w, r, ps, status, name, it.Insats.Name, firstLine(it.Insats.Description), d)
}

// Interest is POST /f/{site}/aktivitetskatalogen/{id}/intresse: a
// visitor's interest in an insats, which the staff see as a pending
// registration. A filled-in honeypot field or too many forms from one
// address are answered as if sent and store nothing.
func (s *Handlers) Interest(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
		it, err := s.loadInsats(r, ps)
		if err != nil {
			return err
		}
		if err := site.ParseFormMax(w, r, 16<<10); err != nil {
			return err
		}
		done := ps.URL(fmt.Sprintf("/aktivitetskatalogen/%d?skickat=1#intresse", it.Insats.ID))
		if r.PostForm.Get("webbplats") != "" || !s.limiter.allow(r, s.Now()) {
			http.Redirect(w, r, done, http.StatusSeeOther)
			return nil
		}
		form := interestForm{Name: r.PostForm.Get("name"), Reach: r.PostForm.Get("reach"), Municipality: r.PostForm.Get("municipality")}
		in := website.Interest{InsatsID: it.Insats.ID, Name: form.Name, Reach: form.Reach, MunicipalityCode: form.Municipality}
		err = s.Store.Tx(r.Context(), func(tx *store.Tx) error {
			_, err := store.AddInterest(r.Context(), tx, ps.Org.ID, in, s.Now())
			return err
		})
		var ps2 website.Problems
		if errors.As(err, &ps2) {
			form.Problems = ps2
			return s.showInsats(w, r, ps, http.StatusUnprocessableEntity, form, false, false)
		}
		if err != nil {
			return site.Unavailable("interest", err)
		}
		http.Redirect(w, r, done, http.StatusSeeOther)
		return nil
	})(w, r, a)
}

// period is an insats's period in words.
func period(in association.Insats, lang string) string {
	if in.End.IsZero() {
		return Messages.T(lang, "pub.from") + " " + in.Start.String() + ", " + Messages.T(lang, "pub.ongoing")
	}
	return in.Start.String() + " – " + in.End.String()
}
