package dashboards

// What-if over the caseload: a manager picks a rules scenario and a date,
// and finsam re-evaluates the open cases (of the manager's office, or a
// chosen office or customer group) under it beside the law, in the
// background (package whatif), showing its progress and then what would
// change. A run for the same scenario, date and selection that is going,
// or finished within whatifKeep, is joined rather than started again.
// Runs only read (store.ReadOnly: a replica serves them when there is
// one) and never touch the real cases.

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/finsam/finsam/caseload"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/intake"
	"github.com/finsam/finsam/ruleset"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/whatif"
)

const (
	// whatifKeep is how long a finished run is kept to be shown and joined.
	whatifKeep = time.Hour
	// whatifRunning bounds the runs going at once: each evaluates every
	// open case twice on the server's cores.
	whatifRunning = 2
)

// whatifKey is what makes two asks the same run.
type whatifKey struct {
	Scenario      string // the scenario's name, or the hash of an inline one
	Date          string
	Office, Group int64
}

// whatifRun is one run, going or done.
type whatifRun struct {
	ID       string
	Key      whatifKey
	Started  time.Time
	mu       sync.Mutex
	progress whatif.Progress
	done     bool
	finished time.Time
	sum      whatif.Summary
	err      error
}

// state is a copy of the run's progress and outcome.
func (r *whatifRun) state() (whatif.Progress, bool, whatif.Summary, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.progress, r.done, r.sum, r.err
}

// whatifRuns are the server's runs.
type whatifRuns struct {
	mu    sync.Mutex
	byKey map[whatifKey]*whatifRun
	byID  map[string]*whatifRun
}

func newWhatifRuns() *whatifRuns {
	return &whatifRuns{byKey: map[whatifKey]*whatifRun{}, byID: map[string]*whatifRun{}}
}

// errBusy means whatifRunning runs are going already.
var errBusy = errors.New("what-if: too many runs going")

// startOrJoin returns the run of key, going or recently finished, or
// starts one with start. joined says it was there already.
func (rs *whatifRuns) startOrJoin(key whatifKey, now time.Time, start func(*whatifRun)) (*whatifRun, bool, error) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	going := 0
	for id, r := range rs.byID {
		_, done, _, _ := r.state()
		r.mu.Lock()
		old := done && now.Sub(r.finished) > whatifKeep
		r.mu.Unlock()
		if old {
			delete(rs.byID, id)
			if rs.byKey[r.Key] == r {
				delete(rs.byKey, r.Key)
			}
			continue
		}
		if !done {
			going++
		}
	}
	if r, ok := rs.byKey[key]; ok {
		if _, _, _, err := r.state(); err == nil {
			return r, true, nil
		}
	}
	if going >= whatifRunning {
		return nil, false, errBusy
	}
	b := make([]byte, 8)
	rand.Read(b)
	r := &whatifRun{ID: hex.EncodeToString(b), Key: key, Started: now}
	rs.byKey[key], rs.byID[r.ID] = r, r
	start(r)
	return r, false, nil
}

func (rs *whatifRuns) get(id string) (*whatifRun, bool) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	r, ok := rs.byID[id]
	return r, ok
}

// whatifAsk is a run as asked for, by the form or the API.
type whatifAsk struct {
	Scenario json.RawMessage `json:"scenario"` // a stored scenario's name, or a scenario object
	Date     string          `json:"date"`
	Office   int64           `json:"office"`
	Group    int64           `json:"group"`
}

// prepare checks an ask and returns the run's options and key; field
// problems as site.Problems, nothing started.
func (h *Handlers) prepare(ctx context.Context, a *site.Actor, ask whatifAsk) (whatif.Options, whatifKey, error) {
	var ps site.Problems
	base := h.Engine()
	var ref string
	raw := strings.TrimSpace(string(ask.Scenario))
	switch {
	case raw == "" || raw == "null" || raw == `""`:
		ps.Add("scenario", "required")
	case strings.HasPrefix(raw, "{"):
		ref = raw
	default:
		if err := json.Unmarshal(ask.Scenario, &ref); err != nil || strings.TrimSpace(ref) == "" {
			ps.Add("scenario", "required")
		}
	}
	date := site.SwedishDate(h.Now())
	day := civil.Of(time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 0, 0, time.UTC))
	if ask.Date != "" {
		d, err := civil.Parse(ask.Date)
		first, last := base.DateRange()
		switch {
		case err != nil:
			ps.Add("date", "date")
		case d.Before(first) || d.After(last):
			ps.Add("date", "range")
		default:
			day = d
		}
	}
	var o whatif.Options
	var key whatifKey
	err := h.Store.ReadTx(ctx, func(tx *store.Tx) error {
		c, err := loadChoices(ctx, tx, a, h.Now())
		if err != nil {
			return site.Unavailable("what-if choices", err)
		}
		flt := filter{Office: idText(ask.Office), Group: idText(ask.Group)}
		flt.check(c, &ps)
		flt.bound(a)
		if ref != "" {
			se, err := ruleset.WithScenario(ctx, tx, base, ref)
			var inv *ruleset.Invalid
			switch {
			case errors.Is(err, ruleset.ErrNoScenario):
				ps.Add("scenario", "unknown")
			case errors.As(err, &inv):
				p := inv.Problems[0]
				ps.AddDetail("scenario", p.Code, p.MessageSV, p.Message)
			case err != nil:
				return site.Unavailable("what-if scenario", err)
			default:
				o.Scenario = se
			}
		}
		if ps.Any() {
			return ps
		}
		fmb, _, err := intake.StoredFMB(ctx, tx)
		if err != nil {
			return site.Unavailable("what-if FMB", err)
		}
		o = whatif.Options{Store: h.Store, Base: base, Scenario: o.Scenario, FMB: fmb, Date: day,
			OfficeID: flt.scope.OfficeID, CustomerGroupID: flt.scope.CustomerGroupID}
		name := ref
		if strings.HasPrefix(ref, "{") {
			sum := sha256.Sum256([]byte(ref))
			name = "inline:" + hex.EncodeToString(sum[:8])
		}
		key = whatifKey{Scenario: name, Date: day.String(), Office: o.OfficeID, Group: o.CustomerGroupID}
		return nil
	})
	return o, key, err
}

func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// start runs o in the background for r.
func (h *Handlers) start(o whatif.Options) func(*whatifRun) {
	return func(r *whatifRun) {
		o.Progress = func(p whatif.Progress) {
			r.mu.Lock()
			r.progress = p
			r.mu.Unlock()
		}
		go func() {
			ctx := store.ReadOnly(context.Background(), 0)
			sum, err := whatif.Run(ctx, o)
			if err != nil {
				h.Log.Error("what-if run", "run", r.ID, "err", err)
			}
			r.mu.Lock()
			r.done, r.finished, r.sum, r.err = true, h.Now(), sum, err
			r.mu.Unlock()
		}()
	}
}

// mayRead tells whether the actor may see a run: an office-bound manager
// only their office's.
func mayRead(a *site.Actor, r *whatifRun) bool {
	return a.OfficeID == 0 || r.Key.Office == a.OfficeID
}

// WhatifStatus is a run as the API answers it.
type WhatifStatus struct {
	ID       string          `json:"id"`
	Status   string          `json:"status"` // running, done, failed
	Joined   bool            `json:"joined"`
	Scenario string          `json:"scenario"`
	Date     string          `json:"date"`
	Done     int             `json:"done"`
	Total    int             `json:"total"`
	Summary  *whatif.Summary `json:"summary,omitempty"`
}

func status(r *whatifRun, joined bool) WhatifStatus {
	p, done, sum, err := r.state()
	s := WhatifStatus{ID: r.ID, Status: "running", Joined: joined, Scenario: r.Key.Scenario, Date: r.Key.Date, Done: p.Done, Total: p.Total}
	switch {
	case done && err != nil:
		s.Status = "failed"
	case done:
		s.Status = "done"
		s.Summary = &sum
		s.Done, s.Total = sum.Cases, sum.Cases
	}
	return s
}

// APIStart starts or joins a run: 202 with its status.
func (h *Handlers) APIStart(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	var ask whatifAsk
	if err := site.ReadJSON(w, r, &ask, 128<<10); err != nil {
		return err
	}
	o, key, err := h.prepare(r.Context(), a, ask)
	if err != nil {
		return err
	}
	run, joined, err := h.runs.startOrJoin(key, h.Now(), h.start(o))
	if errors.Is(err, errBusy) {
		return &site.Error{Status: http.StatusServiceUnavailable, Code: "busy", Message: "too many what-if runs are going; try again in a minute"}
	}
	site.WriteJSON(w, http.StatusAccepted, status(run, joined))
	return nil
}

// APIStatus answers a run's progress and, once done, its summary.
func (h *Handlers) APIStatus(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	id := r.URL.Query().Get("run")
	if id == "" {
		return site.Problems{{Field: "run", Code: "required"}}
	}
	run, ok := h.runs.get(id)
	if !ok || !mayRead(a, run) {
		return site.NotFound()
	}
	site.WriteJSON(w, http.StatusOK, status(run, false))
	return nil
}

// whatifData is the what-if page.
type whatifData struct {
	Scenarios []site.Choice
	Offices   []site.Choice
	Groups    []site.Choice
	Date      string
	Problems  []problemView
	Run       *WhatifStatus
	Percent   int
	Self      string
	Chapters  map[string]string
}

func (d whatifData) Error(field string) string {
	for _, p := range d.Problems {
		if p.Field == field {
			return p.Text
		}
	}
	return ""
}

// WhatifPage shows the form, or a run (?run=).
func (h *Handlers) WhatifPage(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	lang := site.Language(w, r)
	d, err := h.whatifForm(r, a, lang, whatifAsk{})
	if err != nil {
		return err
	}
	if id := r.URL.Query().Get("run"); id != "" {
		run, ok := h.runs.get(id)
		if !ok || !mayRead(a, run) {
			return site.NotFound()
		}
		st := status(run, false)
		d.Run = &st
		if st.Total > 0 {
			d.Percent = 100 * st.Done / st.Total
		}
		d.Self = "/dashboards/vad-om?run=" + run.ID
	}
	h.Render(w, r, http.StatusOK, "dashboards_whatif", site.Page{Lang: lang, Title: translate(lang, "dash.whatif.title"), Actor: a, Data: d})
	return nil
}

// whatifForm is the form's choices, with ask's values selected.
func (h *Handlers) whatifForm(r *http.Request, a *site.Actor, lang string, ask whatifAsk) (whatifData, error) {
	var d whatifData
	var scen []store.RuleScenario
	var c choices
	err := h.Store.ReadTx(r.Context(), func(tx *store.Tx) error {
		var err error
		if scen, err = store.RuleScenarios(r.Context(), tx); err != nil {
			return err
		}
		c, err = loadChoices(r.Context(), tx, a, h.Now())
		return err
	})
	if err != nil {
		return d, site.Unavailable("what-if form", err)
	}
	var name string
	json.Unmarshal(ask.Scenario, &name)
	d.Scenarios = []site.Choice{{Value: "", Label: translate(lang, "dash.whatif.choose"), Selected: name == ""}}
	for _, s := range scen {
		d.Scenarios = append(d.Scenarios, site.Choice{Value: s.Name, Label: s.Name, Selected: s.Name == name})
	}
	flt := filter{Office: idText(ask.Office), Group: idText(ask.Group)}
	d.Groups, d.Offices, _ = formChoices(lang, c, flt, a)
	d.Date = ask.Date
	if d.Date == "" {
		d.Date = site.SwedishDate(h.Now()).Format(time.DateOnly)
	}
	d.Chapters = map[string]string{caseload.Unknown: translate(lang, "dash.chapter.unknown")}
	for _, ch := range caseload.Chapters {
		d.Chapters[ch.ID] = ch.ID + " (" + ch.From + "–" + ch.To + ")"
	}
	return d, nil
}

// WhatifStart starts or joins a run from the form and shows it.
func (h *Handlers) WhatifStart(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	lang := site.Language(w, r)
	if err := r.ParseForm(); err != nil {
		return site.BadRequest()
	}
	ask := whatifAsk{Date: strings.TrimSpace(r.PostForm.Get("date"))}
	if name := strings.TrimSpace(r.PostForm.Get("scenario")); name != "" {
		ask.Scenario, _ = json.Marshal(name)
	}
	var ps site.Problems
	for field, dst := range map[string]*int64{"office": &ask.Office, "group": &ask.Group} {
		if v := r.PostForm.Get(field); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				ps.Add(field, "unknown")
			}
			*dst = n
		}
	}
	var o whatif.Options
	var key whatifKey
	var err error
	if !ps.Any() {
		o, key, err = h.prepare(r.Context(), a, ask)
		if p, ok := err.(site.Problems); ok {
			ps, err = p, nil
		}
	}
	if err != nil {
		return err
	}
	if ps.Any() {
		d, err := h.whatifForm(r, a, lang, ask)
		if err != nil {
			return err
		}
		d.Problems = problems(lang, ps)
		for i, p := range ps {
			if p.DetailSV != "" || p.DetailEN != "" {
				d.Problems[i].Text = p.Message(messages, lang, "")
			}
		}
		h.Render(w, r, http.StatusUnprocessableEntity, "dashboards_whatif", site.Page{Lang: lang, Title: translate(lang, "dash.whatif.title"), Actor: a, Data: d})
		return nil
	}
	run, _, err := h.runs.startOrJoin(key, h.Now(), h.start(o))
	if errors.Is(err, errBusy) {
		return &site.Error{Status: http.StatusServiceUnavailable, Code: "busy"}
	}
	http.Redirect(w, r, "/dashboards/vad-om?run="+run.ID, http.StatusSeeOther)
	return nil
}
