package dashboards

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// maxYears bounds the period: five years of weeks is what a chart and a
// table can show, and what a manager steers by.
const maxYears = 5

// defaultWeeks is the period shown unless asked for another: this week and
// the 25 before it.
const defaultWeeks = 26

// unassigned is the worker filter's value for the cases nobody has.
const unassigned = "none"

// filter is the dashboard's selection as asked for, and the scope it
// selects once checked.
type filter struct {
	From, To              string // YYYY-MM-DD
	Group, Office, Worker string // ids; Worker may be unassigned
	scope                 store.CaseloadScope
}

// query is the filter as URL values, for links and exports.
func (f filter) query() url.Values {
	return url.Values{"from": {f.From}, "to": {f.To}, "group": {f.Group}, "office": {f.Office}, "worker": {f.Worker}}
}

// choices are what the filter offers the actor: FK's customer groups, the
// offices the actor may see and their case workers.
type choices struct {
	groups  []store.CustomerGroup
	offices []store.Office
	workers []store.User
}

func (c choices) officeName(id int64) string {
	for _, o := range c.offices {
		if o.ID == id {
			return o.Name
		}
	}
	return ""
}

func (c choices) workerName(id int64) string {
	for _, u := range c.workers {
		if u.ID == id {
			return u.Name
		}
	}
	return ""
}

func (c choices) groupName(id int64) string {
	for _, g := range c.groups {
		if g.ID == id {
			return g.Name
		}
	}
	return ""
}

// loadGroupsAndOffices reads the customer groups of the actor's
// organisation and the offices whose figures the actor may read.
func loadGroupsAndOffices(ctx context.Context, tx *store.Tx, a *site.Actor, now time.Time) (choices, error) {
	var c choices
	var err error
	if c.groups, err = store.CustomerGroups(ctx, tx, a.OrgID); err != nil {
		return c, err
	}
	offices, err := store.Offices(ctx, tx, a.OrgID)
	if err != nil {
		return c, err
	}
	for _, o := range offices {
		if policy.Can(&a.Actor, policy.ReadCaseloadFigures, policy.Resource{OrgID: a.OrgID, OfficeID: o.ID, Now: now}) == policy.Allow {
			c.offices = append(c.offices, o)
		}
	}
	return c, nil
}

// loadChoices reads the groups, offices and case workers of the actor's
// organisation that the actor may filter by: an office-bound manager their
// own office and its case workers.
func loadChoices(ctx context.Context, tx *store.Tx, a *site.Actor, now time.Time) (choices, error) {
	c, err := loadGroupsAndOffices(ctx, tx, a, now)
	if err != nil {
		return c, err
	}
	users, err := store.Users(ctx, tx, a.OrgID)
	if err != nil {
		return c, err
	}
	for _, u := range users {
		if choosableWorker(a, u) {
			c.workers = append(c.workers, u)
		}
	}
	return c, nil
}

// choosableWorker reports whether the actor may filter by the user: a
// case worker, of the actor's own office when the actor has one.
func choosableWorker(a *site.Actor, u store.User) bool {
	return u.Roles.Has(account.CaseWorker) && (a.OfficeID == 0 || u.OfficeID == a.OfficeID)
}

// loadListChoices is loadChoices for a list, which names at most one
// case worker: it reads that one (if worker is an id) instead of every
// case worker of the organisation, more than a thousand at national
// scale, for each list shown.
func loadListChoices(ctx context.Context, tx *store.Tx, a *site.Actor, now time.Time, worker string) (choices, error) {
	c, err := loadGroupsAndOffices(ctx, tx, a, now)
	if err != nil {
		return c, err
	}
	id, perr := strconv.ParseInt(worker, 10, 64)
	if perr != nil || id <= 0 {
		return c, nil
	}
	u, err := store.UserByID(ctx, tx, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return c, nil
	case err != nil:
		return c, err
	}
	if u.OrgID == a.OrgID && choosableWorker(a, u) {
		c.workers = []store.User{u}
	}
	return c, nil
}

// readFilter reads the filter's raw values; dates are checked here, the
// ids against the choices in check.
func (h *Handlers) readFilter(r *http.Request) (filter, site.Problems) {
	return readFilterAt(r.URL.Query(), h.Now())
}

// readFilterAt reads the filter of q at the moment now.
func readFilterAt(q url.Values, now time.Time) (filter, site.Problems) {
	v := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	f := filter{From: v("from"), To: v("to"), Group: v("group"), Office: v("office"), Worker: v("worker")}
	var ps site.Problems
	today := site.SwedishDate(now)
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	f.scope.Today = today
	date := func(field, v string, def time.Time) time.Time {
		if v == "" {
			return def
		}
		t, err := time.Parse(time.DateOnly, v)
		if err != nil || t.Year() < 2000 || t.Year() > 2100 {
			ps.Add(field, "date")
			return def
		}
		return t
	}
	monday := today.AddDate(0, 0, -(int(today.Weekday())+6)%7)
	f.scope.To = date("to", f.To, today)
	f.scope.From = date("from", f.From, monday.AddDate(0, 0, -7*(defaultWeeks-1)))
	if f.From == "" {
		f.From = f.scope.From.Format(time.DateOnly)
	}
	if f.To == "" {
		f.To = f.scope.To.Format(time.DateOnly)
	}
	switch {
	case ps.Any():
	case f.scope.From.After(f.scope.To):
		ps.Add("to", "order")
	case f.scope.To.After(today):
		ps.Add("to", "future")
	case f.scope.From.AddDate(maxYears, 0, 0).Before(f.scope.To):
		ps.Add("from", "span")
	}
	return f, ps
}

// check resolves the filter's ids against what the actor may choose: an
// unknown id, or an office the actor may not see, is a field problem (the
// same answer for both: which offices exist is no secret, but a filter
// the actor cannot use is simply not on offer).
func (f *filter) check(c choices, ps *site.Problems) {
	id := func(field, v string) int64 {
		if v == "" {
			return 0
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			ps.Add(field, "unknown")
			return 0
		}
		return n
	}
	if g := id("group", f.Group); g != 0 {
		if c.groupName(g) == "" {
			ps.Add("group", "unknown")
		}
		f.scope.CustomerGroupID = g
	}
	if o := id("office", f.Office); o != 0 {
		if c.officeName(o) == "" {
			ps.Add("office", "unknown")
		}
		f.scope.OfficeID = o
	}
	switch {
	case f.Worker == unassigned:
		f.scope.AssignedUserID = store.NoOne
	case f.Worker != "":
		if w := id("worker", f.Worker); w != 0 {
			if c.workerName(w) == "" {
				ps.Add("worker", "unknown")
			}
			f.scope.AssignedUserID = w
		}
	}
}

// shifted is the filter with its period moved by days (the year before:
// -364, the same weekdays).
func (f filter) shifted(days int) filter {
	g := f
	g.scope.From, g.scope.To = f.scope.From.AddDate(0, 0, days), f.scope.To.AddDate(0, 0, days)
	g.From, g.To = g.scope.From.Format(time.DateOnly), g.scope.To.Format(time.DateOnly)
	return g
}

// bound limits an office-bound actor's scope to their office, whatever
// the filter says (the filter offers no other).
func (f *filter) bound(a *site.Actor) {
	if a.OfficeID != 0 {
		f.scope.OfficeID = a.OfficeID
		f.Office = strconv.FormatInt(a.OfficeID, 10)
	}
}
