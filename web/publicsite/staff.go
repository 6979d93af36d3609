package publicsite

import (
	"encoding/csv"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/assoctabs"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/website"
)

// The association's staff edit its site under /forbund/{slug}/webb in the
// staff layout. The route admits ManageAssociation; staffSite checks that
// the actor runs this association (another association's staff get 404).

type staffSite struct {
	Org  organisation.Organisation
	Base string // /forbund/{slug}/webb
	// Public is the site's public address.
	Public string
	// Tabs are the association's tabs, which every staff page shows.
	Tabs assoctabs.Nav
}

func (s *Handlers) staffSite(r *http.Request, a *site.Actor) (staffSite, error) {
	org, err := s.PathAssociation(r, "slug")
	if err != nil {
		return staffSite{}, err
	}
	res := policy.Resource{OrgID: org.ID, Now: s.Now()}
	switch policy.Can(&a.Actor, policy.ManageAssociation, res) {
	case policy.Allow:
	case policy.Hidden:
		return staffSite{}, site.NotFound()
	default:
		return staffSite{}, &site.Error{Status: http.StatusForbidden, Code: "forbidden"}
	}
	if r.Method == http.MethodPost {
		// What the staff change shows on this server's public pages at
		// once: the next request reads the content version again.
		s.cache.recheck()
	}
	return staffSite{Org: org, Base: "/forbund/" + org.Slug + "/webb", Public: "/f/" + org.Slug + "/",
		Tabs: assoctabs.For(a, res, org.Slug, r.URL.Path)}, nil
}

// staffFormBytes is how large a staff form may be: a page's body and its
// easy-to-read text are the longest texts they post.
const staffFormBytes = 1 << 20

// staffForm is staffSite for a staff write, with its posted form parsed.
func (s *Handlers) staffForm(w http.ResponseWriter, r *http.Request, a *site.Actor) (staffSite, error) {
	ss, err := s.staffSite(r, a)
	if err != nil {
		return staffSite{}, err
	}
	if err := site.ParseFormMax(w, r, staffFormBytes); err != nil {
		return staffSite{}, err
	}
	return ss, nil
}

// staffID is the id in the path value name: 0 where the route has none
// (a new page or event), and no such page (404) where it is not an id.
func staffID(r *http.Request, name string) (int64, error) {
	if r.PathValue(name) == "" {
		return 0, nil
	}
	id, ok := site.PathID(r, name)
	if !ok {
		return 0, site.NotFound()
	}
	return id, nil
}

// staffItem is staffSite with the id in the path value name (0 when the
// route has none: a new item).
func (s *Handlers) staffItem(r *http.Request, a *site.Actor, name string) (staffSite, int64, error) {
	ss, err := s.staffSite(r, a)
	if err != nil {
		return ss, 0, err
	}
	id, err := staffID(r, name)
	return ss, id, err
}

// staffPage is the page (or news item) named by the path value pageID, of
// the site the actor edits.
func (s *Handlers) staffPage(r *http.Request, a *site.Actor) (staffSite, website.Page, error) {
	ss, id, err := s.staffItem(r, a, "pageID")
	if err != nil {
		return ss, website.Page{}, err
	}
	p, err := store.PageByID(r.Context(), s.Store, ss.Org.ID, id)
	return ss, p, err
}

// staffFormItem is staffForm with the id in the path value name (0 when
// the route has none: a new item).
func (s *Handlers) staffFormItem(w http.ResponseWriter, r *http.Request, a *site.Actor, name string) (staffSite, int64, error) {
	ss, err := s.staffForm(w, r, a)
	if err != nil {
		return ss, 0, err
	}
	id, err := staffID(r, name)
	return ss, id, err
}

// save runs write in a transaction unless the form already has problems
// ps; the problems the domain finds in the write are returned as the
// form's, any other failure as the error.
func (s *Handlers) save(r *http.Request, ps site.Problems, write func(tx *store.Tx) error) (site.Problems, error) {
	if ps != nil {
		return ps, nil
	}
	err := s.Store.Tx(r.Context(), write)
	if wps, ok := site.ProblemsOf(err); ok {
		return wps, nil
	}
	return nil, err
}

// editor is the name a page's revision is saved under: the user's, or
// the actor's audit name where no user signed in.
func editor(a *site.Actor) string {
	if a.User != nil {
		return a.User.Name
	}
	return a.AuditName()
}

// problems is a form's problems (site.Problems) as a page shows them: at
// their fields and in a summary, in the page's language. Its zero value
// with a language is a form without problems.
type problems struct {
	list site.Problems
	lang string
}

// For is the message of field's problem, or "".
func (p problems) For(field string) string {
	if code := p.list.Code(field); code != "" {
		return Messages.T(p.lang, "pub.err."+code)
	}
	return ""
}

// List are the problems with their fields' labels for the summary.
func (p problems) List() []struct{ Field, Message string } {
	var out []struct{ Field, Message string }
	for _, x := range p.list {
		out = append(out, struct{ Field, Message string }{x.Field, Messages.T(p.lang, "site.field."+x.Field) + ": " + Messages.T(p.lang, "pub.err."+x.Code)})
	}
	return out
}

// Any reports whether there is a problem.
func (p problems) Any() bool { return p.list.Any() }

func (s *Handlers) staffRender(w http.ResponseWriter, r *http.Request, a *site.Actor, status int, name, titleID string, data any) error {
	lang := site.Language(w, r)
	s.Render(w, r, status, name, site.Page{Lang: lang, Title: s.T(lang, titleID), Actor: a, Data: data})
	return nil
}

type overviewData struct {
	Site      staffSite
	Settings  website.Settings
	Problems  problems
	Saved     bool
	Pages     []website.Page
	Events    []website.Event
	Catalogue []store.CatalogueItem
	Network   []website.Organisation
	Interests int
	Outbox    store.MailStatus
	Now       time.Time
}

// Overview is GET /forbund/{slug}/webb: the site's settings and what it
// holds, with links to edit each.
func (s *Handlers) Overview(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ss, err := s.staffSite(r, a)
	if err != nil {
		return err
	}
	set, err := store.SiteSettings(r.Context(), s.Store, ss.Org.ID)
	if err != nil {
		return site.Unavailable("site settings", err)
	}
	return s.overview(w, r, a, ss, http.StatusOK, set, nil, r.URL.Query().Get("sparat") == "1")
}

func (s *Handlers) overview(w http.ResponseWriter, r *http.Request, a *site.Actor, ss staffSite, status int, set website.Settings, ps site.Problems, saved bool) error {
	ctx := r.Context()
	lang := site.Language(w, r)
	d := overviewData{Site: ss, Settings: set, Problems: problems{ps, lang}, Saved: saved, Now: s.Now()}
	var err error
	if d.Pages, err = store.Pages(ctx, s.Store, store.PageQuery{AssociationID: ss.Org.ID}); err != nil {
		return site.Unavailable("pages", err)
	}
	if d.Events, err = store.Events(ctx, s.Store, ss.Org.ID, s.Now().AddDate(0, -6, 0), 0); err != nil {
		return site.Unavailable("events", err)
	}
	if d.Catalogue, err = store.Catalogue(ctx, s.Store, store.CatalogueQuery{AssociationID: ss.Org.ID}); err != nil {
		return site.Unavailable("catalogue", err)
	}
	if d.Network, err = store.NetworkOrgs(ctx, s.Store, ss.Org.ID); err != nil {
		return site.Unavailable("network", err)
	}
	in, err := store.Interests(ctx, s.Store, ss.Org.ID)
	if err != nil {
		return site.Unavailable("interests", err)
	}
	d.Interests = len(in)
	if d.Outbox, err = store.OutboxStatus(ctx, s.Store, ss.Org.ID); err != nil {
		return site.Unavailable("outbox", err)
	}
	return s.staffRender(w, r, a, status, "site_overview", "site.title", d)
}

// SaveSettings is POST /forbund/{slug}/webb/installningar.
func (s *Handlers) SaveSettings(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ss, err := s.staffForm(w, r, a)
	if err != nil {
		return err
	}
	f := r.PostForm
	set := website.Settings{Enabled: f.Get("enabled") == "on", Intro: f.Get("intro"), ContactEmail: f.Get("contact_email"),
		Statement: website.Statement{Compliance: f.Get("compliance"), Inaccessible: f.Get("inaccessible"), AssessedOn: f.Get("assessed_on"),
			Method: f.Get("method"), UpdatedOn: f.Get("updated_on"), FeedbackEmail: f.Get("feedback_email")}}
	set.RetentionDays, _ = strconv.Atoi(f.Get("retention_days"))
	err = s.Store.Tx(r.Context(), func(tx *store.Tx) error { return store.SaveSiteSettings(r.Context(), tx, ss.Org.ID, set, s.Now()) })
	if ps, ok := site.ProblemsOf(err); ok {
		return s.overview(w, r, a, ss, http.StatusUnprocessableEntity, set, ps, false)
	}
	if err != nil {
		return site.Unavailable("save site settings", err)
	}
	http.Redirect(w, r, ss.Base+"?sparat=1", http.StatusSeeOther)
	return nil
}

type interestsData struct {
	Site      staffSite
	Interests []store.InterestRow
}

// Interests is GET /forbund/{slug}/webb/intresse: the interest visitors
// sent, to follow up.
func (s *Handlers) Interests(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ss, err := s.staffSite(r, a)
	if err != nil {
		return err
	}
	list, err := store.Interests(r.Context(), s.Store, ss.Org.ID)
	if err != nil {
		return site.Unavailable("interests", err)
	}
	if len(list) > 0 {
		a.QueueAudit(s.Audit.Start(r.Context(), a.Event(r, "site.interest.read", "ok", "association", ss.Org.Slug)))
	}
	return s.staffRender(w, r, a, http.StatusOK, "site_interests", "site.interest.title", interestsData{Site: ss, Interests: list})
}

// InterestDone is POST /forbund/{slug}/webb/intresse/{interestID}/klar:
// the interest was followed up and is deleted.
func (s *Handlers) InterestDone(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ss, id, err := s.staffItem(r, a, "interestID")
	if err != nil {
		return err
	}
	err = s.Store.Tx(r.Context(), func(tx *store.Tx) error { return store.DeleteInterest(r.Context(), tx, ss.Org.ID, id) })
	if err != nil {
		return err
	}
	http.Redirect(w, r, ss.Base+"/intresse", http.StatusSeeOther)
	return nil
}

type entryData struct {
	Site       staffSite
	Item       store.CatalogueItem
	Entry      website.Entry
	Area       []option
	Situations []option
	Routes     []option
	Problems   problems
	Saved      bool
}

// Entry is GET /forbund/{slug}/webb/katalog/{insatsID}: the catalogue's
// details of an insats (whether it is public is set on the insats).
func (s *Handlers) Entry(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ss, err := s.staffSite(r, a)
	if err != nil {
		return err
	}
	return s.entryForm(w, r, a, ss, http.StatusOK, nil, nil, r.URL.Query().Get("sparat") == "1")
}

func (s *Handlers) entryForm(w http.ResponseWriter, r *http.Request, a *site.Actor, ss staffSite, status int, e *website.Entry, ps site.Problems, saved bool) error {
	ctx := r.Context()
	id, ok := site.PathID(r, "insatsID")
	if !ok {
		return site.NotFound()
	}
	in, err := store.InsatsByID(ctx, s.Store, ss.Org.ID, id)
	if err != nil {
		return err
	}
	var it store.CatalogueItem
	items, err := store.Catalogue(ctx, s.Store, store.CatalogueQuery{AssociationID: ss.Org.ID, InsatsID: id})
	if err != nil {
		return site.Unavailable("catalogue", err)
	}
	if len(items) == 1 {
		it = items[0]
	} else {
		it = store.CatalogueItem{Insats: in, Entry: website.NewEntry(in.ID)}
	}
	if e == nil {
		e = &it.Entry
	}
	area, err := store.SiteArea(ctx, s.Store, ss.Org.ID)
	if err != nil {
		return site.Unavailable("area", err)
	}
	lang := site.Language(w, r)
	d := entryData{Site: ss, Item: it, Entry: *e, Problems: problems{ps, lang}, Saved: saved}
	d.Area = append(d.Area, option{"", Messages.T(lang, "pub.insats.wholearea"), e.MunicipalityCode == ""})
	for _, c := range area {
		d.Area = append(d.Area, option{c, municipalityName(c), c == e.MunicipalityCode})
	}
	d.Situations = append(d.Situations, option{"", Messages.T(lang, "pub.filter.all"), e.Situation == ""})
	for _, x := range website.Situations {
		d.Situations = append(d.Situations, option{string(x), Messages.T(lang, "pub.situation."+string(x)), x == e.Situation})
	}
	for _, x := range website.EntryRoutes {
		d.Routes = append(d.Routes, option{string(x), Messages.T(lang, "pub.entry."+string(x)), x == e.EntryRoute})
	}
	return s.staffRender(w, r, a, status, "site_entry", "site.entry.title", d)
}

// SaveEntry is POST /forbund/{slug}/webb/katalog/{insatsID}.
func (s *Handlers) SaveEntry(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ss, id, err := s.staffFormItem(w, r, a, "insatsID")
	if err != nil {
		return err
	}
	f := r.PostForm
	e := website.Entry{InsatsID: id, MunicipalityCode: f.Get("municipality"), Place: f.Get("place"), Situation: website.Situation(f.Get("situation")),
		EntryRoute: website.EntryRoute(f.Get("entry_route")), Contents: f.Get("contents"), Cost: f.Get("cost"), Accessibility: f.Get("accessibility"),
		ContactName: f.Get("contact_name"), ContactPhone: f.Get("contact_phone"), ContactEmail: f.Get("contact_email")}
	var ps site.Problems
	num := func(field string, def int) int {
		v := strings.TrimSpace(f.Get(field))
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			ps.Add(field, website.CodeInvalid)
		}
		return n
	}
	e.AgeMin, e.AgeMax, e.FreePlaces, e.WaitingWeeks = num("age_min", 0), num("age_max", 0), num("free_places", -1), num("waiting_weeks", -1)
	ps, err = s.save(r, ps, func(tx *store.Tx) error { return store.SaveCatalogueEntry(r.Context(), tx, ss.Org.ID, e, s.Now()) })
	if err != nil {
		return err
	}
	if ps != nil {
		return s.entryForm(w, r, a, ss, http.StatusUnprocessableEntity, &e, ps, false)
	}
	http.Redirect(w, r, fmt.Sprintf("%s/katalog/%d?sparat=1", ss.Base, id), http.StatusSeeOther)
	return nil
}

type pageFormData struct {
	Site        staffSite
	Page        website.Page
	PublishAt   string // YYYY-MM-DDTHH:MM in Swedish time; "" for a draft
	UnpublishAt string // likewise; "" keeps the page
	Revisions   []store.Revision
	Preview     bool
	// PreviewBody and PreviewEasy are the texts as the site shows them,
	// with the site's images.
	PreviewBody, PreviewEasy template.HTML
	Problems                 problems
	Saved                    bool
	Stale                    bool
	// Images are the site's images, which the page can place; Added is
	// the one just uploaded, Removed says one was removed.
	Images  []pageImage
	Added   int64
	Removed bool
	// ImageProblems, Alt and Decorative are the upload form's.
	ImageProblems problems
	Alt           string
	Decorative    bool
}

// pageImage is one of the site's images on a page's edit form.
type pageImage struct {
	website.Image
	URL string // its small version
}

// formTime is t as a datetime-local field shows it.
func formTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(site.Stockholm).Format("2006-01-02T15:04")
}

// pageForm is the edit form of the stored page p: its revisions and the
// site's images.
func (s *Handlers) pageForm(r *http.Request, ss staffSite, p website.Page, lang string) (pageFormData, error) {
	d := pageFormData{Site: ss, Page: p, PublishAt: formTime(p.PublishAt), UnpublishAt: formTime(p.UnpublishAt),
		Problems: problems{lang: lang}, ImageProblems: problems{lang: lang}}
	var err error
	if p.ID != 0 {
		if d.Revisions, err = store.PageRevisions(r.Context(), s.Store, ss.Org.ID, p.ID); err != nil {
			return d, site.Unavailable("revisions", err)
		}
	}
	set, err := s.siteImages(r, ss.Org.ID, strings.TrimSuffix(ss.Public, "/"))
	if err != nil {
		return d, err
	}
	list, err := store.SiteImages(r.Context(), s.Store, ss.Org.ID)
	if err != nil {
		return d, site.Unavailable("site images", err)
	}
	for _, im := range list {
		d.Images = append(d.Images, pageImage{Image: im, URL: set.URL(im, true)})
	}
	return d, nil
}

// NewPage is GET /forbund/{slug}/webb/sidor/ny?typ=news|page.
func (s *Handlers) NewPage(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ss, err := s.staffSite(r, a)
	if err != nil {
		return err
	}
	kind := website.KindPage
	if r.URL.Query().Get("typ") == "news" {
		kind = website.KindNews
	}
	lang := site.Language(w, r)
	return s.staffRender(w, r, a, http.StatusOK, "site_page", "site.page.title", pageFormData{Site: ss, Page: website.Page{Kind: kind},
		Problems: problems{lang: lang}, ImageProblems: problems{lang: lang}})
}

// EditPage is GET /forbund/{slug}/webb/sidor/{pageID}.
func (s *Handlers) EditPage(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ss, p, err := s.staffPage(r, a)
	if err != nil {
		return err
	}
	d, err := s.pageForm(r, ss, p, site.Language(w, r))
	if err != nil {
		return err
	}
	q := r.URL.Query()
	d.Saved, d.Removed = q.Get("sparat") == "1", q.Get("bort") == "1"
	d.Added, _ = strconv.ParseInt(q.Get("bild"), 10, 64)
	return s.staffRender(w, r, a, http.StatusOK, "site_page", "site.page.title", d)
}

// SavePage is POST /forbund/{slug}/webb/sidor/ny and
// /forbund/{slug}/webb/sidor/{pageID}: saves the page, or shows it
// rendered (preview) without saving.
func (s *Handlers) SavePage(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ss, id, err := s.staffFormItem(w, r, a, "pageID")
	if err != nil {
		return err
	}
	f := r.PostForm
	p := website.Page{ID: id, Kind: website.Kind(f.Get("kind")), Title: f.Get("title"), Slug: f.Get("slug"), Summary: f.Get("summary"),
		Body: f.Get("body"), EasyBody: f.Get("easy_body")}
	p.Version, _ = strconv.Atoi(f.Get("version"))
	p.MenuOrder, _ = strconv.Atoi(f.Get("menu_order"))
	lang := site.Language(w, r)
	d, err := s.pageForm(r, ss, website.Page{}, lang)
	if err != nil {
		return err
	}
	d.Page, d.PublishAt, d.UnpublishAt = p, f.Get("publish_at"), f.Get("unpublish_at")
	if d.PublishAt != "" && f.Get("draft") != "on" {
		t, err := time.ParseInLocation("2006-01-02T15:04", d.PublishAt, site.Stockholm)
		if err != nil {
			d.Problems.list.Add("publish_at", website.CodeInvalid)
		}
		p.PublishAt = &t
	}
	if d.UnpublishAt != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", d.UnpublishAt, site.Stockholm)
		if err != nil {
			d.Problems.list.Add("unpublish_at", website.CodeInvalid)
		}
		p.UnpublishAt = &t
	}
	if f.Get("preview") != "" || d.Problems.Any() {
		d.Preview = true
		set, err := s.siteImages(r, ss.Org.ID, strings.TrimSuffix(ss.Public, "/"))
		if err != nil {
			return err
		}
		d.PreviewBody, d.PreviewEasy = markdownWith(p.Body, set), markdownWith(p.EasyBody, set)
		status := http.StatusOK
		if d.Problems.Any() {
			status = http.StatusUnprocessableEntity
		}
		return s.staffRender(w, r, a, status, "site_page", "site.page.title", d)
	}
	err = s.Store.Tx(r.Context(), func(tx *store.Tx) error {
		var err error
		p, err = store.SavePage(r.Context(), tx, ss.Org.ID, p, editor(a), s.Now())
		return err
	})
	ps, invalid := site.ProblemsOf(err)
	switch {
	case invalid:
		d.Problems.list = ps
		return s.staffRender(w, r, a, http.StatusUnprocessableEntity, "site_page", "site.page.title", d)
	case errors.Is(err, store.ErrStale):
		d.Stale = true
		return s.staffRender(w, r, a, http.StatusConflict, "site_page", "site.page.title", d)
	case err != nil:
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("%s/sidor/%d?sparat=1", ss.Base, p.ID), http.StatusSeeOther)
	return nil
}

// RestorePage is POST /forbund/{slug}/webb/sidor/{pageID}/aterstall: an
// earlier text (form field revision) becomes the current one.
func (s *Handlers) RestorePage(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ss, id, err := s.staffFormItem(w, r, a, "pageID")
	if err != nil {
		return err
	}
	rev, err := strconv.ParseInt(r.PostForm.Get("revision"), 10, 64)
	if err != nil {
		return site.BadRequest()
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	err = s.Store.Tx(r.Context(), func(tx *store.Tx) error {
		_, err := store.RestoreRevision(r.Context(), tx, ss.Org.ID, id, rev, version, editor(a), s.Now())
		return err
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("%s/sidor/%d?sparat=1", ss.Base, id), http.StatusSeeOther)
	return nil
}

type eventFormData struct {
	Site         staffSite
	Event        website.Event
	Starts, Ends string
	Signups      []website.Signup
	Problems     problems
	Saved        bool
}

// NewEvent is GET /forbund/{slug}/webb/moten/ny.
func (s *Handlers) NewEvent(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ss, err := s.staffSite(r, a)
	if err != nil {
		return err
	}
	return s.staffRender(w, r, a, http.StatusOK, "site_event", "site.event.title", eventFormData{Site: ss, Problems: problems{lang: site.Language(w, r)}})
}

// EditEvent is GET /forbund/{slug}/webb/moten/{eventID}: the event and
// how many signed up (the list itself is the CSV export).
func (s *Handlers) EditEvent(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ss, err := s.staffSite(r, a)
	if err != nil {
		return err
	}
	e, sus, err := s.staffEvent(r, ss)
	if err != nil {
		return err
	}
	return s.staffRender(w, r, a, http.StatusOK, "site_event", "site.event.title", eventFormData{Site: ss, Event: e, Signups: sus,
		Starts: e.Starts.In(site.Stockholm).Format("2006-01-02T15:04"), Ends: e.Ends.In(site.Stockholm).Format("2006-01-02T15:04"),
		Saved: r.URL.Query().Get("sparat") == "1", Problems: problems{lang: site.Language(w, r)}})
}

// staffEvent is the event in the path, of the site ss, and who signed up
// for it.
func (s *Handlers) staffEvent(r *http.Request, ss staffSite) (website.Event, []website.Signup, error) {
	id, ok := site.PathID(r, "eventID")
	if !ok {
		return website.Event{}, nil, site.NotFound()
	}
	e, err := store.EventByID(r.Context(), s.Store, ss.Org.ID, id)
	if err != nil {
		return website.Event{}, nil, err
	}
	sus, err := store.Signups(r.Context(), s.Store, ss.Org.ID, id)
	if err != nil {
		return website.Event{}, nil, site.Unavailable("sign-ups", err)
	}
	return e, sus, nil
}

// SaveEvent is POST /forbund/{slug}/webb/moten/ny and
// /forbund/{slug}/webb/moten/{eventID}.
func (s *Handlers) SaveEvent(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ss, id, err := s.staffFormItem(w, r, a, "eventID")
	if err != nil {
		return err
	}
	f := r.PostForm
	e := website.Event{ID: id, Title: f.Get("title"), Description: f.Get("description"), Speaker: f.Get("speaker"), Place: f.Get("place"), Online: f.Get("online") == "on"}
	d := eventFormData{Site: ss, Starts: f.Get("starts"), Ends: f.Get("ends"), Problems: problems{lang: site.Language(w, r)}}
	var ps site.Problems
	parse := func(field, v string) time.Time {
		if v == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation("2006-01-02T15:04", v, site.Stockholm)
		if err != nil {
			ps.Add(field, website.CodeInvalid)
		}
		return t
	}
	e.Starts, e.Ends = parse("starts", d.Starts), parse("ends", d.Ends)
	if c := strings.TrimSpace(f.Get("capacity")); c != "" {
		if e.Capacity, err = strconv.Atoi(c); err != nil {
			ps.Add("capacity", website.CodeInvalid)
		}
	}
	ps, err = s.save(r, ps, func(tx *store.Tx) error {
		var err error
		e, err = store.SaveEvent(r.Context(), tx, ss.Org.ID, e, s.Now())
		return err
	})
	if err != nil {
		return err
	}
	if ps != nil {
		d.Event, d.Problems.list = e, ps
		return s.staffRender(w, r, a, http.StatusUnprocessableEntity, "site_event", "site.event.title", d)
	}
	http.Redirect(w, r, fmt.Sprintf("%s/moten/%d?sparat=1", ss.Base, e.ID), http.StatusSeeOther)
	return nil
}

// SignupsCSV is GET /forbund/{slug}/webb/moten/{eventID}/anmalningar.csv:
// the sign-ups for the organisers (audited: it holds names and
// addresses).
func (s *Handlers) SignupsCSV(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ss, err := s.staffSite(r, a)
	if err != nil {
		return err
	}
	e, sus, err := s.staffEvent(r, ss)
	if err != nil {
		return err
	}
	a.QueueAudit(s.Audit.Start(r.Context(), a.Event(r, "site.signups.export", "ok", "site_event", strconv.FormatInt(e.ID, 10))))
	if err := a.AwaitAudit(); err != nil {
		return site.Unavailable("audit", err)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="anmalningar-%d.csv"`, e.ID))
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("\xEF\xBB\xBF")) // Excel reads UTF-8 with the mark
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.Write([]string{"status", "namn", "e-post", "organisation", "roll", "kommun", "deltar", "specialkost", "behov", "anmäld"})
	for _, su := range sus {
		cw.Write([]string{Messages.T("sv", "site.signup."+string(su.Status)), csvSafe(su.Name), su.Email, csvSafe(su.Organisation), csvSafe(su.Role),
			municipalityName(su.MunicipalityCode), Messages.T("sv", "pub.signup."+map[website.Attendance]string{website.OnSite: "onsite", website.Digital: "digital"}[su.Attendance]),
			csvSafe(su.Food), csvSafe(su.AccessNeeds), su.Created.In(site.Stockholm).Format("2006-01-02 15:04")})
	}
	cw.Flush()
	return nil
}

// csvSafe keeps a spreadsheet from reading a visitor's text as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// networkForm is the organisation of the network a staff form posts, with
// what is wrong with its fields.
func networkForm(r *http.Request) (website.Organisation, site.Problems) {
	f := r.PostForm
	o := website.Organisation{Name: strings.TrimSpace(f.Get("name")), Kind: strings.TrimSpace(f.Get("kind")), Description: strings.TrimSpace(f.Get("description")),
		URL: strings.TrimSpace(f.Get("url"))}
	var ps site.Problems
	if v := strings.TrimSpace(f.Get("sort")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			ps.Add("sort", website.CodeInvalid)
		}
		o.Sort = n
	}
	if o.URL != "" {
		if u, err := url.Parse(o.URL); err != nil || u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
			ps.Add("url", website.CodeInvalid)
		}
	}
	return o, ps
}

// AddNetworkOrg is POST /forbund/{slug}/webb/natverket: one more
// organisation in the network.
func (s *Handlers) AddNetworkOrg(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ss, err := s.staffForm(w, r, a)
	if err != nil {
		return err
	}
	o, ps := networkForm(r)
	ps, err = s.save(r, ps, func(tx *store.Tx) error { _, err := store.SaveNetworkOrg(r.Context(), tx, ss.Org.ID, o); return err })
	if err != nil {
		return err
	}
	if ps != nil {
		set, err := store.SiteSettings(r.Context(), s.Store, ss.Org.ID)
		if err != nil {
			return site.Unavailable("settings", err)
		}
		return s.overview(w, r, a, ss, http.StatusUnprocessableEntity, set, ps, false)
	}
	http.Redirect(w, r, ss.Base+"#natverket", http.StatusSeeOther)
	return nil
}

type networkData struct {
	Site     staffSite
	Org      website.Organisation
	Problems problems
}

// NetworkOrg is GET /forbund/{slug}/webb/natverket/{orgID}: an
// organisation of the network to change or remove.
func (s *Handlers) NetworkOrg(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ss, id, err := s.staffItem(r, a, "orgID")
	if err != nil {
		return err
	}
	o, err := store.NetworkOrgByID(r.Context(), s.Store, ss.Org.ID, id)
	if err != nil {
		return err
	}
	return s.staffRender(w, r, a, http.StatusOK, "site_network", "site.network.edit", networkData{Site: ss, Org: o, Problems: problems{lang: site.Language(w, r)}})
}

// SaveNetworkOrg is POST /forbund/{slug}/webb/natverket/{orgID}: the
// organisation changed, or removed with the form's delete button.
func (s *Handlers) SaveNetworkOrg(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ss, id, err := s.staffFormItem(w, r, a, "orgID")
	if err != nil {
		return err
	}
	ctx := r.Context()
	if _, err := store.NetworkOrgByID(ctx, s.Store, ss.Org.ID, id); err != nil {
		return err
	}
	if r.PostForm.Get("delete") != "" {
		if err := s.Store.Tx(ctx, func(tx *store.Tx) error { return store.DeleteNetworkOrg(ctx, tx, ss.Org.ID, id) }); err != nil {
			return err
		}
		http.Redirect(w, r, ss.Base+"#natverket", http.StatusSeeOther)
		return nil
	}
	o, ps := networkForm(r)
	o.ID = id
	ps, err = s.save(r, ps, func(tx *store.Tx) error { _, err := store.SaveNetworkOrg(ctx, tx, ss.Org.ID, o); return err })
	if err != nil {
		return err
	}
	if ps != nil {
		return s.staffRender(w, r, a, http.StatusUnprocessableEntity, "site_network", "site.network.edit",
			networkData{Site: ss, Org: o, Problems: problems{ps, site.Language(w, r)}})
	}
	http.Redirect(w, r, ss.Base+"#natverket", http.StatusSeeOther)
	return nil
}
