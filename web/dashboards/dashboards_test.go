package dashboards_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/dashboards"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/webtest"
)

// director and manager are the demo's försäkringsdirektör (no office) and
// the manager of the office in Visby.
const (
	director = "direktor"
	manager  = webtest.Manager
)

// caseloadServer is a demo server with the demo's certificates and cases,
// laid out around the harness's clock. With FINSAM_DASHBOARD_CASES=n it
// holds instead n generated open cases (demo.GenerateCases, with their
// earlier closed ones) evaluated by the recompute, so that the
// reconciliation runs on a larger data set too.
func caseloadServer(t *testing.T, st *store.Store) *webtest.Server {
	t.Helper()
	s := webtest.Demo(t, st)
	ctx := context.Background()
	if n := generated(); n > 0 {
		if err := demo.GenerateCases(ctx, st, n, 2, webtest.Start); err != nil {
			t.Fatal(err)
		}
		engine, err := rules.New()
		if err != nil {
			t.Fatal(err)
		}
		rc := &casework.Recomputer{Store: st, Engine: engine, Now: s.Clock.Now}
		if _, err := rc.Run(ctx, civil.Of(webtest.Start), "test"); err != nil {
			t.Fatal(err)
		}
		return s
	}
	webtest.LoadDemoCaseWork(t, st)
	return s
}

// generated is FINSAM_DASHBOARD_CASES, 0 when unset.
func generated() int {
	n, _ := strconv.Atoi(os.Getenv("FINSAM_DASHBOARD_CASES"))
	return n
}

func getJSON(t *testing.T, c *webtest.Client, target string, v any) int {
	t.Helper()
	rec := c.Do("GET", target, nil)
	if rec.Code == http.StatusOK {
		if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
			t.Fatalf("%s: %v", target, err)
		}
	} else if v != nil {
		json.Unmarshal(rec.Body.Bytes(), v)
	}
	return rec.Code
}

// counts finds every {"value", "list"} in a JSON answer.
func counts(v any, path string, out map[string][2]any) {
	switch v := v.(type) {
	case map[string]any:
		if list, ok := v["list"].(string); ok {
			out[path] = [2]any{int(v["value"].(float64)), list}
			return
		}
		for k, x := range v {
			counts(x, path+"."+k, out)
		}
	case []any:
		for i, x := range v {
			counts(x, path+"["+strconv.Itoa(i)+"]", out)
		}
	}
}

// firstPage reads the first page of a list through the list API.
func firstPage(c *webtest.Client, list string) (total int, ids []int64, rows int, err error) {
	var page struct {
		Total int `json:"total"`
		Rows  []struct {
			ID int64 `json:"id"`
		} `json:"rows"`
	}
	rec := c.Do("GET", list, nil)
	if rec.Code != http.StatusOK {
		return 0, nil, 0, fmt.Errorf("%s: %d", list, rec.Code)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
		return 0, nil, 0, fmt.Errorf("%s: %w", list, err)
	}
	for _, r := range page.Rows {
		if r.ID != 0 {
			ids = append(ids, r.ID)
		}
	}
	return page.Total, ids, len(page.Rows), nil
}

// TestEveryFigureEqualsItsList: every count the dashboard shows equals the
// number of rows of the list it links to, for the director's whole
// caseload and the Visby manager's office, on both databases. It holds for
// any data set: national_test.go runs it on 200,000 generated open cases.
func TestEveryFigureEqualsItsList(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := caseloadServer(t, st)
		for _, user := range []string{director, manager} {
			n, nonzero := reconcile(t, s, s.SignedIn(t, user), user, "/api/v1/dashboards/caseload?from=2026-05-25&to=2026-11-22")
			if n < 50 {
				t.Fatalf("%s: only %d figures", user, n)
			}
			if nonzero < n/3 && generated() == 0 {
				t.Errorf("%s: only %d of %d figures are above zero: the data set tests too little", user, nonzero, n)
			}
		}
	})
}

// reconcileWorkers is how many distinct lists reconcile checks at a time,
// each with a client of its own: a list's requests wait on the database
// and the server in turn, so two keep both busy.
const reconcileWorkers = 2

// reconcile reads the dashboard at target and, for every figure in it,
// the list it links to, twice: its first page through the list API (the
// list's total and the rows of the page), and every case of it from the
// store in one pass (store.CaseloadIDs, the list's query without its
// pages). The total and the cases streamed must equal the figure, the
// page must hold the first of them in order (the page and the stream are
// the same list), and the stream must name each case once, in id order.
// Figures linking to the same list are read once (and must agree). The
// distinct lists are checked reconcileWorkers at a time and what each
// found is reported in the order of the figures' paths. It returns how
// many figures there were and how many were above zero.
func reconcile(t *testing.T, s *webtest.Server, c *webtest.Client, who, target string) (n, nonzero int) {
	t.Helper()
	ctx := context.Background()
	var d map[string]any
	start := time.Now()
	if code := getJSON(t, c, target, &d); code != http.StatusOK {
		t.Fatalf("%s: dashboard %d", who, code)
	}
	t.Logf("%s: %s: the dashboard computed in %s", who, target, time.Since(start).Round(time.Millisecond))
	fk, err := store.OrganisationBySlug(ctx, s.Store, "fk")
	if err != nil {
		t.Fatal(err)
	}
	choices, err := dashboards.LoadListChoices(ctx, s.Store, fk.ID)
	if err != nil {
		t.Fatal(err)
	}
	figures := map[string][2]any{}
	counts(d, "", figures)
	paths := make([]string, 0, len(figures))
	for path := range figures {
		paths = append(paths, path)
	}
	slices.Sort(paths)
	// The distinct lists, each with the first figure (in path order) that
	// links to it; the others must show the same value.
	var checks []listCheck
	seen := map[string]int{}
	for _, path := range paths {
		value, list := figures[path][0].(int), figures[path][1].(string)
		if value > 0 {
			nonzero++
		}
		if v, ok := seen[list]; ok {
			if v != value {
				t.Errorf("%s: %s is %d, another figure with the same list %d", who, path, value, v)
			}
			continue
		}
		seen[list] = value
		checks = append(checks, listCheck{path: path, list: list, value: value})
	}
	clients := []*webtest.Client{c}
	for len(clients) < reconcileWorkers {
		clients = append(clients, s.SignedIn(t, who))
	}
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	for _, wc := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !failed.Load() {
				i := int(next.Add(1)) - 1
				if i >= len(checks) {
					return
				}
				ch := &checks[i]
				ch.problems, ch.fatal = checkList(ctx, s, wc, choices, who, ch.path, ch.list, ch.value)
				ch.done = true
				if ch.fatal != nil {
					failed.Store(true)
				}
			}
		}()
	}
	wg.Wait()
	for _, ch := range checks {
		if !ch.done {
			break // after a list that could not be read
		}
		for _, p := range ch.problems {
			t.Error(p)
		}
		if ch.fatal != nil {
			t.Fatal(ch.fatal)
		}
	}
	return len(figures), nonzero
}

// listCheck is one distinct list of a dashboard and what checking it
// found: the figures it does not reconcile, or the error that kept it
// from being read.
type listCheck struct {
	path, list string
	value      int
	done       bool
	problems   []string
	fatal      error
}

// checkList reads one list of a dashboard twice, as reconcile says, and
// returns how it differs from the figure at path, value: nothing when
// they reconcile.
func checkList(ctx context.Context, s *webtest.Server, c *webtest.Client, choices dashboards.ListChoices, who, path, list string, value int) (problems []string, fatal error) {
	total, pageIDs, pageRows, err := firstPage(c, list)
	if err != nil {
		return nil, err
	}
	if total != value || pageRows != min(value, dashboards.ListPage) {
		problems = append(problems, fmt.Sprintf("%s: %s is %d, its list says %d and shows %d rows on its first page", who, path, value, total, pageRows))
	}
	scope, fig, err := choices.ListScope(list, s.Site().Now())
	if err != nil {
		return problems, err
	}
	streamed, last := 0, int64(0)
	first := make([]int64, 0, len(pageIDs))
	err = s.Store.ReadTx(ctx, func(tx *store.Tx) error {
		return store.CaseloadIDs(ctx, tx, scope, fig, func(id int64) error {
			if id <= last {
				return fmt.Errorf("case %d after %d: not in id order, or twice", id, last)
			}
			if streamed < len(pageIDs) {
				first = append(first, id)
			}
			streamed, last = streamed+1, id
			return nil
		})
	})
	if err != nil {
		return problems, fmt.Errorf("%s: %s: %w", who, list, err)
	}
	if streamed != value {
		problems = append(problems, fmt.Sprintf("%s: %s is %d, its list has %d cases", who, path, value, streamed))
	}
	if !slices.Equal(first, pageIDs) {
		problems = append(problems, fmt.Sprintf("%s: %s: the list's first page shows cases %v, the list begins with %v", who, path, pageIDs, first))
	}
	return problems, nil
}
func TestOfficeManagerSeesOwnOfficeOnly(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s := caseloadServer(t, st)
	ctx := context.Background()
	offices, err := store.Offices(ctx, st, 0)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, o := range offices {
		ids[o.Slug] = o.ID
	}
	visby, roma := strconv.FormatInt(ids["lfc-visby"], 10), strconv.FormatInt(ids["lk-roma"], 10)
	c := s.SignedIn(t, manager)
	var d dashboards.Dashboard
	var raw map[string]any
	getJSON(t, c, "/api/v1/dashboards/caseload", &raw)
	b, _ := json.Marshal(raw)
	if strings.Contains(string(b), "Roma") {
		t.Error("the Visby manager's dashboard shows Roma")
	}
	_ = d
	var e site.APIErrorBody
	if code := getJSON(t, c, "/api/v1/dashboards/caseload?office="+roma, &e); code != http.StatusUnprocessableEntity ||
		len(e.Error.Fields) != 1 || e.Error.Fields[0].Field != "office" || e.Error.Fields[0].Code != "unknown" {
		t.Errorf("another office: %d %+v", code, e)
	}
	if code := getJSON(t, c, "/api/v1/dashboards/caseload/cases?fig=open&office="+roma, &e); code != http.StatusUnprocessableEntity {
		t.Errorf("another office's list: %d", code)
	}
	// A list names only a case worker the reader may choose: the Visby
	// manager not one in Roma (nor a user who is no case worker), the
	// director both.
	dir := s.SignedIn(t, director)
	var romaWorker, visbyWorker int64
	users, _ := store.Users(context.Background(), st, webtest.UserNamed(t, st, manager).OrgID)
	for _, u := range users {
		switch {
		case !u.Roles.Has(account.CaseWorker):
		case u.OfficeID == ids["lk-roma"]:
			romaWorker = u.ID
		case u.OfficeID == ids["lfc-visby"]:
			visbyWorker = u.ID
		}
	}
	if romaWorker == 0 || visbyWorker == 0 {
		t.Fatal("the demo has no case worker in Roma or in Visby")
	}
	for _, tc := range []struct {
		c      *webtest.Client
		who    string
		worker int64
		want   int
	}{{c, manager, romaWorker, http.StatusUnprocessableEntity}, {c, manager, visbyWorker, http.StatusOK},
		{c, manager, webtest.UserNamed(t, st, manager).ID, http.StatusUnprocessableEntity},
		{dir, director, romaWorker, http.StatusOK}, {dir, director, 999999, http.StatusUnprocessableEntity}} {
		if code := tc.c.Do("GET", "/api/v1/dashboards/caseload/cases?fig=open&worker="+strconv.FormatInt(tc.worker, 10), nil).Code; code != tc.want {
			t.Errorf("%s: the list of case worker %d: %d, want %d", tc.who, tc.worker, code, tc.want)
		}
	}
	// The director sees both offices.
	getJSON(t, dir, "/api/v1/dashboards/caseload", &raw)
	b, _ = json.Marshal(raw)
	if !strings.Contains(string(b), "Roma") || !strings.Contains(string(b), "Visby") {
		t.Error("the director's dashboard lacks an office")
	}
	var mine, all struct {
		Totals []struct {
			Key   string `json:"key"`
			Count struct {
				Value int `json:"value"`
			} `json:"count"`
		} `json:"totals"`
	}
	getJSON(t, c, "/api/v1/dashboards/caseload", &mine)
	getJSON(t, dir, "/api/v1/dashboards/caseload?office="+visby, &all)
	if mine.Totals[0].Count.Value == 0 || mine.Totals[0].Count.Value != all.Totals[0].Count.Value {
		t.Errorf("the Visby manager's open cases %d, the director's for Visby %d", mine.Totals[0].Count.Value, all.Totals[0].Count.Value)
	}
	// Case workers and other organisations' managers have no dashboard.
	for _, u := range []string{webtest.CaseWorker, "ekonomi-kommun", "styrelse"} {
		if rec := s.SignedIn(t, u).Do("GET", "/dashboards", nil); rec.Code != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", u, rec.Code)
		}
	}
}

func TestBadFilterRunsNothingAndSaysWhichField(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s := caseloadServer(t, st)
	c := s.SignedIn(t, director)
	tests := []struct {
		query, field, code string
	}{
		{"from=2026-13-01", "from", "date"},
		{"to=igår", "to", "date"},
		{"from=2026-11-01&to=2026-10-01", "to", "order"},
		{"from=2020-01-01&to=2026-11-01", "from", "span"},
		{"to=2027-01-01", "to", "future"},
		{"group=999999", "group", "unknown"},
		{"office=abc", "office", "unknown"},
		{"worker=999999", "worker", "unknown"},
	}
	for _, tc := range tests {
		var e site.APIErrorBody
		code := getJSON(t, c, "/api/v1/dashboards/caseload?"+tc.query, &e)
		if code != http.StatusUnprocessableEntity || e.Error.Code != "validation_failed" || len(e.Error.Fields) == 0 ||
			e.Error.Fields[0].Field != tc.field || e.Error.Fields[0].Code != tc.code {
			t.Errorf("%s: %d %+v, want 422 %s %s", tc.query, code, e, tc.field, tc.code)
		}
		rec := c.Do("GET", "/dashboards?"+tc.query, nil)
		body := rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity || !regexp.MustCompile(`id="`+tc.field+`" name="`+tc.field+`"[^>]*aria-invalid="true"`).MatchString(body) {
			t.Errorf("page %s: %d, the field %s is not marked invalid", tc.query, rec.Code, tc.field)
		}
		if strings.Contains(body, "finsam-chart") || strings.Contains(body, "/dashboards/lista") {
			t.Errorf("page %s shows figures", tc.query)
		}
	}
	for _, q := range []string{"fig=nonsense", "fig=past&day=100", "fig=phase&phase=x", "fig=ongoing&on=2020-01-01", "fig=deadline&deadline=x",
		"fig=inflow&wfrom=2026-11-10&wto=2026-11-01", "fig=ended&chapter=XL", "fig=ended&sex=x", "fig=open&after=-1"} {
		var e site.APIErrorBody
		if code := getJSON(t, c, "/api/v1/dashboards/caseload/cases?"+q, &e); code != http.StatusUnprocessableEntity || len(e.Error.Fields) == 0 {
			t.Errorf("list %s: %d %+v", q, code, e)
		}
	}
	if rec := c.Do("GET", "/dashboards.csv?table=nonsense", nil); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("CSV of an unknown table: %d", rec.Code)
	}
}

func TestDashboardPageChartsTablesListsAndExports(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s := caseloadServer(t, st)
	c := s.SignedIn(t, director)
	rec := c.Do("GET", "/dashboards", nil)
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	for _, want := range []string{"<h1>Styrning per kundgrupp och kontor</h1>", `role="img" aria-labelledby="chart-ongoing-title chart-ongoing-desc"`,
		`<title id="chart-phases-title">`, "<caption>Pågående, nya och avslutade sjukfall per vecka</caption>", "Kapitel V (F00–F99)",
		"Plan för återgång i arbete senast dag 30", "Lokalt kontor Roma", `href="/dashboards"`, "/dashboards.xlsx"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", " style=", "%!"} {
		if strings.Contains(body, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	// A figure and its list.
	m := regexp.MustCompile(`<dt>Öppna ärenden</dt><dd><a class="anchor" href="([^"]+)">(\d+)</a>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no link on the open cases")
	}
	list := c.Do("GET", strings.ReplaceAll(m[1], "&amp;", "&"), nil).Body.String()
	if !strings.Contains(list, "Antal ärenden: <strong>"+m[2]+"</strong>") || !strings.Contains(list, `href="/arenden/`) {
		t.Errorf("the list of %s open cases does not say so or link the cases", m[2])
	}
	// The list view is one audit entry naming every person listed.
	listViews := func() (entries, persons int) {
		t.Helper()
		ctx := context.Background()
		if err := st.QueryRow(ctx, "SELECT count(*) FROM audit_log WHERE actor_name = $1 AND action = 'list_cases'", director).Scan(&entries); err != nil {
			t.Fatal(err)
		}
		if err := st.QueryRow(ctx, `SELECT count(*) FROM audit_persons p JOIN audit_log l ON l.seq = p.seq
			WHERE l.actor_name = $1 AND l.action = 'list_cases'`, director).Scan(&persons); err != nil {
			t.Fatal(err)
		}
		return entries, persons
	}
	entries, persons := listViews()
	if rows := strings.Count(list, `href="/arenden/`); entries != 1 || persons != rows {
		t.Errorf("the list view wrote %d entries naming %d persons, want 1 naming the %d listed", entries, persons, rows)
	}
	// A list by diagnosis chapter names no case, and audits none.
	ch := c.Do("GET", "/dashboards/lista?fig=ended&chapter=V", nil).Body.String()
	if strings.Contains(ch, `href="/arenden/`) || !strings.Contains(ch, "sorterad efter diagnos") {
		t.Error("a list by diagnosis chapter identifies the cases")
	}
	if e, _ := listViews(); e != 1 {
		t.Errorf("a list by diagnosis chapter wrote %d list_cases entries", e-1)
	}
	csv := c.Do("GET", "/dashboards.csv?table=offices", nil)
	if csv.Code != 200 || !strings.HasPrefix(csv.Body.String(), "\ufeffKontor;Öppna;Passerad frist;Tidiga signaler\r\n") {
		t.Errorf("CSV: %d %q", csv.Code, csv.Body.String()[:min(80, csv.Body.Len())])
	}
	x := c.Do("GET", "/dashboards.xlsx", nil)
	if x.Code != 200 || !strings.HasPrefix(x.Body.String(), "PK") {
		t.Errorf("XLSX: %d", x.Code)
	}
	var nav bool
	for _, it := range (site.Page{Lang: "sv", Actor: nil}).Nav() {
		nav = nav || it.Href == "/dashboards"
	}
	if nav {
		t.Error("the navigation offers the dashboards to nobody signed in")
	}
	if home := c.Do("GET", "/", nil).Body.String(); !strings.Contains(home, `<a href="/dashboards">Styrning</a>`) {
		t.Error("the director's navigation lacks the dashboards")
	}
	if en := c.Do("GET", "/dashboards?lang=en", nil).Body.String(); !strings.Contains(en, "Steering by customer group and office") {
		t.Error("no English dashboard")
	}
}

// TestMessagesComplete: the package finds every word it uses in its own
// catalogue and those it builds on.
func TestMessagesComplete(t *testing.T) {
	webtest.MessagesComplete(t, ".", site.MustMerge(dashboards.Messages, site.Core))
}

// TestCoordinationFigures: the coordination figures count the open cases
// the coordination tables hold (counted here by a query of their own),
// their share of the open cases, and the medians exist exactly when there
// are cases to take them of. That each equals its list is
// TestEveryFigureEqualsItsList.
func TestCoordinationFigures(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := caseloadServer(t, st)
		ctx := context.Background()
		var coordinated, held int
		if err := st.QueryRow(ctx, `SELECT count(*) FROM coordinations co JOIN sickness_cases c ON c.id = co.case_id
			WHERE c.status = 'open'`).Scan(&coordinated); err != nil {
			t.Fatal(err)
		}
		if err := st.QueryRow(ctx, `SELECT count(DISTINCT co.case_id) FROM coordinations co JOIN sickness_cases c ON c.id = co.case_id
			JOIN meetings m ON m.coordination_id = co.id WHERE c.status = 'open' AND m.kind = 'avstamningsmote' AND m.status = 'held'`).Scan(&held); err != nil {
			t.Fatal(err)
		}
		if coordinated == 0 || held == 0 {
			t.Fatalf("the demo data hold %d coordinated cases, %d with an avstämningsmöte held: nothing to test", coordinated, held)
		}
		var raw struct {
			Coord struct {
				Open        int      `json:"open"`
				Share       float64  `json:"share_percent"`
				DaysToStart *float64 `json:"median_days_to_coordination"`
				DaysToHeld  *float64 `json:"median_days_to_avstamningsmote"`
				Coordinated struct {
					Value int `json:"value"`
				} `json:"coordinated"`
				Reconciled struct {
					Value int `json:"value"`
				} `json:"reconciled"`
			} `json:"coordination"`
		}
		if code := getJSON(t, s.SignedIn(t, director), "/api/v1/dashboards/caseload", &raw); code != http.StatusOK {
			t.Fatalf("dashboard %d", code)
		}
		co := raw.Coord
		if co.Coordinated.Value != coordinated || co.Reconciled.Value != held {
			t.Errorf("coordinated %d, with an avstämningsmöte %d; the tables hold %d and %d", co.Coordinated.Value, co.Reconciled.Value, coordinated, held)
		}
		if want := float64(int64(1000*float64(coordinated)/float64(co.Open)+0.5)) / 10; co.Open == 0 || co.Share != want {
			t.Errorf("share %v of %d open, want %v", co.Share, co.Open, want)
		}
		if co.DaysToStart == nil || co.DaysToHeld == nil || *co.DaysToStart < 0 || *co.DaysToHeld < 0 {
			t.Errorf("medians %v, %v", co.DaysToStart, co.DaysToHeld)
		}
		page := s.SignedIn(t, director).Do("GET", "/dashboards", nil).Body.String()
		if !strings.Contains(page, "<h2>Samordning</h2>") || !strings.Contains(page, "fig=coordinated") {
			t.Error("the page lacks the coordination figures")
		}
	})
}
