package dashboards

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/caseload"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// listPage is the number of cases on one page of a figure's list.
const listPage = 100

// ListRow is one case of a figure's list. ID is 0 where the list must not
// tie a case to a diagnosis (a list by diagnosis chapter for a reader who
// may not read diagnoses: the row is counted, not identified).
type ListRow struct {
	ID       int64  `json:"id,omitempty"`
	FirstDay string `json:"first_day"`
	LastDay  string `json:"last_day"`
	Status   string `json:"status"`
	Office   string `json:"office"`
	Worker   string `json:"case_worker"`
	ChainDay int    `json:"chain_day"`
	Phase    string `json:"phase"`
	NextDue  string `json:"next_due,omitempty"`
	NextKind string `json:"next_kind,omitempty"`
	Warnings int    `json:"warnings"`
	Days     int    `json:"days,omitempty"`
	Sex      string `json:"sex,omitempty"`
	AgeGroup string `json:"age_group,omitempty"`
}

// List is one page of a figure's cases.
type List struct {
	Total int       `json:"total"`
	Rows  []ListRow `json:"rows"`
	// Next is the value of after for the next page; absent on the last.
	Next string `json:"next,omitempty"`
}

// loadList checks the filter and the figure and reads the list's page and
// its total in one snapshot, auditing the read of every identified case.
func (h *Handlers) loadList(r *http.Request, a *site.Actor) (filter, choices, caseload.Figure, List, error) {
	flt, ps := h.readFilter(r)
	var fig caseload.Figure
	var c choices
	var out List
	var after int64
	if v := r.URL.Query().Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			ps.Add("after", "unknown")
		}
		after = n
	}
	err := h.Store.ReadTx(r.Context(), func(tx *store.Tx) error {
		var err error
		if c, err = loadListChoices(r.Context(), tx, a, h.Now(), flt.Worker); err != nil {
			return site.Unavailable("dashboard choices", err)
		}
		flt.check(c, &ps)
		if !ps.Any() {
			var fps site.Problems
			fig, fps = readFigure(r.URL.Query(), flt)
			ps = append(ps, fps...)
		}
		if ps.Any() {
			return ps
		}
		flt.bound(a)
		if out.Total, err = store.CaseloadCount(r.Context(), tx, flt.scope, fig); err != nil {
			return site.Unavailable("dashboard list count", err)
		}
		rows, next, err := store.CaseloadList(r.Context(), tx, flt.scope, fig, after, listPage)
		if err != nil {
			return site.Unavailable("dashboard list", err)
		}
		if next != 0 {
			out.Next = strconv.FormatInt(next, 10)
		}
		identify := fig.Kind != caseload.Ended || fig.Chapter == ""
		// One entry for the list, naming the persons listed (see
		// audit.Event.Persons), when the list identifies them.
		e := a.Event(r, "list_cases", audit.OutcomeOK, "case_list", "dashboard")
		e.Purpose = "dashboard=" + fig.Kind
		for _, row := range rows {
			lr := ListRow{FirstDay: day(row.FirstDay), LastDay: day(row.LastDay), Status: row.Status, Office: row.Office,
				Worker: row.Assignee, ChainDay: row.ChainDay, Phase: row.Phase, NextKind: row.NextKind, Warnings: row.Warnings,
				Days: row.Days, Sex: row.Sex, AgeGroup: row.AgeGroup}
			if !row.NextDue.Equal(store.NoDue) {
				lr.NextDue = day(row.NextDue)
			}
			if identify {
				lr.ID = row.ID
				e.Persons = append(e.Persons, h.Audit.Keys().PersonKey(personnummer.Number(row.Personnummer)))
			}
			out.Rows = append(out.Rows, lr)
		}
		if len(e.Persons) > 0 && !h.UnauditedReads {
			a.QueueAudit(h.Audit.Start(r.Context(), e))
		}
		return nil
	})
	return flt, c, fig, out, err
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// listData is the list page.
type listData struct {
	Heading  string
	Scope    string
	Back     string
	List     List
	NextHref string
	Ended    bool // rows show length, sex and age group
	Identify bool
}

// ListPage shows the cases a figure counts.
func (h *Handlers) ListPage(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	lang := site.Language(w, r)
	flt, c, fig, out, err := h.loadList(r, a)
	if err != nil {
		return err
	}
	d := listData{Heading: figureLabel(lang, fig), Scope: scopeLabel(lang, flt, c), Back: site.WithQuery("/dashboards", flt.query()),
		List: out, Ended: fig.Kind == caseload.Ended, Identify: fig.Kind != caseload.Ended || fig.Chapter == ""}
	if out.Next != "" {
		q := r.URL.Query()
		q.Set("after", out.Next)
		d.NextHref = "/dashboards/lista?" + q.Encode()
	}
	h.Render(w, r, http.StatusOK, "dashboards_list", site.Page{Lang: lang, Title: d.Heading, Actor: a, Data: d})
	return nil
}

// ListAPI answers the same list as JSON.
func (h *Handlers) ListAPI(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	_, _, _, out, err := h.loadList(r, a)
	if err != nil {
		return err
	}
	if err := a.AwaitAudit(); err != nil {
		return site.Unavailable("audit dashboard list", err)
	}
	if out.Rows == nil {
		out.Rows = []ListRow{}
	}
	site.WriteJSON(w, http.StatusOK, out)
	return nil
}

// figureLabel says in words what a figure counts.
func figureLabel(lang string, f caseload.Figure) string {
	switch f.Kind {
	case caseload.Phase:
		p := f.Phase
		if p == "" {
			p = caseload.Unknown
		}
		return translate(lang, "dash.open") + ": " + translate(lang, "dash.phase."+p)
	case caseload.Past:
		return fmt.Sprintf(translate(lang, "dash.past"), f.Day)
	case caseload.Ongoing:
		return fmt.Sprintf(translate(lang, "dash.list.ongoing"), f.On)
	case caseload.Inflow, caseload.Outflow:
		return fmt.Sprintf(translate(lang, "dash.list."+f.Kind), f.From, f.To)
	case caseload.Ended:
		s := translate(lang, "dash.list.ended")
		if f.Chapter != "" {
			if ch, ok := caseload.ChapterByID(f.Chapter); ok {
				s += ", " + fmt.Sprintf(translate(lang, "dash.chapter"), ch.ID, ch.From, ch.To)
			} else {
				s += ", " + translate(lang, "dash.chapter.unknown")
			}
		}
		if f.Sex != "" {
			s += ", " + translate(lang, "dash.sex."+f.Sex)
		}
		if f.AgeGroup != "" {
			s += ", " + translate(lang, "dash.col.age") + " " + f.AgeGroup
		}
		return s
	case caseload.Deadline:
		s := translate(lang, "dash.deadline."+f.Deadline)
		if f.Met {
			return s + ": " + translate(lang, "dash.list.met")
		}
		return s + ": " + translate(lang, "dash.list.due")
	}
	return translate(lang, "dash."+f.Kind)
}

// scopeLabel says in words what the filter selects.
func scopeLabel(lang string, f filter, c choices) string {
	s := f.From + " – " + f.To
	if f.scope.CustomerGroupID != 0 {
		s += ", " + c.groupName(f.scope.CustomerGroupID)
	}
	if f.scope.OfficeID != 0 {
		s += ", " + c.officeName(f.scope.OfficeID)
	}
	switch {
	case f.scope.AssignedUserID == store.NoOne:
		s += ", " + translate(lang, "dash.unassigned")
	case f.scope.AssignedUserID != 0:
		s += ", " + c.workerName(f.scope.AssignedUserID)
	}
	return s
}
