package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/internal/loadgen"
)

func runLoadtest(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "loadtest", "[flags]", `
Drives a running finsam server on this machine (loopback only) with a mix
of signed-in users and measures it: case workers (worklist, case pages,
certificate inbox, start view, search), managers (office worklist,
quality board, start view, search), the coordinators of
Arbetsförmedlingen, the region and the municipality (Mina
samordningsärenden, a coordinated person's page with the timeline across
the agencies, associations), association staff (insatser, reports), a
care provider's system posting certificates through the API (with
--token), and public visitors (start page, calculator). Every simulated
user signs in once with its own session. Before the mix, a static handler
this command serves on loopback itself is driven the same way, with the
same users, as the yardstick of the machine.

The run stops by itself after --duration or --max-requests, whichever
comes first, and prints throughput and p50/p95/p99 per kind of request,
the errors, and the static handler's figures. --only keeps the kinds it
names ("start view,search"), to measure them apart from the rest;
--roles gives all the users to the roles it names ("coordinator"), in
their shares of the mix.

The search (POST /sok, the query in the body) asks in turn for the
personnummer, a prefix of the given name and the number of cases the
user's own worklist shows.

The users are the demo's (finsam demo or finsam generate) and their
password is FINSAM_DEMO_PASSWORD (default "demo"); other users with the
flags. The care provider needs a token with the certificates:write
scope: finsam token create --org region-gotland --scope certificates:write`)
	base := fs.String("url", "http://127.0.0.1:8080", "the server's base `URL` (a loopback address)")
	users := fs.Int("users", 50, "`N` simulated users")
	think := fs.Duration("think", 0, "mean pause between a user's requests (0: none, the users saturate the server)")
	duration := fs.Duration("duration", 30*time.Second, "how long to measure the mix (the static handler: half of it)")
	warm := fs.Duration("warm", 2*time.Second, "warm-up before measuring, not counted")
	maxRequests := fs.Int("max-requests", 200000, "stop the mix after `N` measured requests")
	password := fs.String("password", demoPassword(e), "the users' password (default FINSAM_DEMO_PASSWORD or \"demo\")")
	token := fs.String("token", e.getenv("FINSAM_LOADTEST_TOKEN"), "API `TOKEN` of the care provider (env FINSAM_LOADTEST_TOKEN); none: no certificates are posted")
	assoc := fs.String("association", demo.OperatorOrg, "the association (`SLUG`) coordinators and staff work with")
	only := fs.String("only", "", "measure only these `KINDS` of request, comma-separated (\"start view,search\"); empty: all")
	onlyRoles := fs.String("roles", "", "simulate only these `ROLES`, comma-separated (\"coordinator\"); empty: all")
	roles := map[string]*string{
		"case worker":       fs.String("case-workers", "handlaggare", "case workers' user `NAMES`, comma-separated"),
		"manager":           fs.String("managers", "chef", "managers' user `NAMES`"),
		"coordinator":       fs.String("coordinators", "samordnare-region,samordnare-af,samordnare-kommun", "coordinators' user `NAMES`"),
		"association staff": fs.String("association-staff", "forbund", "association staff's user `NAMES`"),
	}
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	root, err := loopbackURL(*base)
	if err != nil {
		fmt.Fprintf(e.stderr, "--url: %v\n\n", err)
		fs.Usage()
		return errUsage
	}
	if *users < 1 || *duration <= 0 {
		fmt.Fprintf(e.stderr, "--users and --duration must be positive\n\n")
		fs.Usage()
		return errUsage
	}
	lt := &loadtest{e: e, root: root, password: *password, token: *token, assoc: *assoc, usernames: map[string][]string{}, warnedKinds: map[string]bool{}}
	lt.only, lt.roles = commaList(*only), commaList(*onlyRoles)
	for role, v := range roles {
		for _, n := range strings.Split(*v, ",") {
			if n = strings.TrimSpace(n); n != "" {
				lt.usernames[role] = append(lt.usernames[role], n)
			}
		}
	}
	sim, err := lt.prepare(ctx, *users)
	if err != nil {
		return err
	}
	for i := range sim {
		sim[i].Think = *think
	}
	// The static handler is driven by as many users as the mix has: a
	// role without users, or without kinds --only keeps, has none.
	static, stop, err := lt.static(ctx, len(sim), *think)
	if err != nil {
		return err
	}
	defer stop()
	fmt.Fprintf(e.stderr, "static handler: %d users for %v…\n", len(sim), *duration/2)
	rs := loadgen.RunMix(ctx, static, loadgen.Limits{Warm: *warm, Duration: *duration / 2, MaxRequests: *maxRequests})
	fmt.Fprintf(e.stderr, "mix on %s: %d users for %v…\n", root, len(sim), *duration)
	rm := loadgen.RunMix(ctx, sim, loadgen.Limits{Warm: *warm, Duration: *duration, MaxRequests: *maxRequests})
	lt.report(rm, rs.Total, len(sim), *think)
	if rm.Total.Errors > 0 {
		return fmt.Errorf("%d of %d requests failed", rm.Total.Errors, rm.Total.Requests)
	}
	return nil
}

// loopbackURL accepts only a server on this machine: a load test on
// somebody else's server is an attack.
func loopbackURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q is not an http:// or https:// URL", raw)
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); (ip == nil || !ip.IsLoopback()) && host != "localhost" {
		return nil, fmt.Errorf("%s is not a loopback address: loadtest drives only a server on this machine", host)
	}
	return u, nil
}

type loadtest struct {
	e         *env
	root      *url.URL
	password  string
	token     string
	assoc     string
	usernames map[string][]string
	// warnedKinds are the kinds left out, said once each.
	warnedKinds map[string]bool
	// only are the kinds measured; none: all.
	only []string
	// roles are the roles simulated; none: all.
	roles []string
}

// commaList is the non-empty items of a comma-separated list.
func commaList(s string) []string {
	var out []string
	for _, k := range strings.Split(s, ",") {
		if k = strings.TrimSpace(k); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// kind is a kind of request of a role: the i-th request of it.
type kind struct {
	name string
	req  func(i int) loadgen.Request
}

func newClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4},
		// A redirect (to the sign-in page, to a purpose form) is an answer
		// of its own, not the page measured.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (lt *loadtest) url(path string) string { return lt.root.String() + path }

func get(path string, lt *loadtest, name string) kind {
	return kind{name, func(int) loadgen.Request { return loadgen.Request{Kind: name, URL: lt.url(path)} }}
}

// signIn signs a new client in as username.
func (lt *loadtest) signIn(ctx context.Context, username string) (*http.Client, error) {
	c := newClient()
	form := url.Values{"username": {username}, "password": {lt.password}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, lt.url("/login"), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("sign in as %s: %w", username, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("sign in as %s: %s (is the password FINSAM_DEMO_PASSWORD's?)", username, resp.Status)
	}
	return c, nil
}

var (
	caseLink         = regexp.MustCompile(`href="/arenden/([0-9]+)"`)
	coordinationLink = regexp.MustCompile(`href="/samordning/([0-9]+)"`)
)

// prepare signs the users in, finds what they will ask for and checks
// every kind of request once; a kind that fails is left out with a note.
func (lt *loadtest) prepare(ctx context.Context, n int) ([]loadgen.User, error) {
	type role struct {
		name  string
		share int // in twentieths of the users
		kinds func(c *http.Client) ([]kind, error)
	}
	a := "/forbund/" + url.PathEscape(lt.assoc)
	rs := []role{
		{"case worker", 9, func(c *http.Client) ([]kind, error) {
			body, err := fetch(ctx, c, lt.url("/arenden"))
			if err != nil {
				return nil, err
			}
			ids := caseIDs(body)
			ks := []kind{get("/arenden", lt, "worklist"), get("/certificates", lt, "certificate inbox")}
			if len(ids) > 0 {
				ks = append(ks, kind{"case page", func(i int) loadgen.Request {
					return loadgen.Request{Kind: "case page", URL: lt.url("/arenden/" + ids[i%len(ids)])}
				}}, ks[0]) // a case page half the time
			}
			ks = append(ks, get("/", lt, "start view"))
			if k, ok := lt.search(ctx, c, ids); ok {
				ks = append(ks, k)
			}
			return ks, nil
		}},
		{"manager", 2, func(c *http.Client) ([]kind, error) {
			ks := []kind{get("/arenden/kontor", lt, "office worklist"), get("/quality", lt, "quality board"), get("/", lt, "start view")}
			if body, err := fetch(ctx, c, lt.url("/arenden/kontor")); err == nil {
				if k, ok := lt.search(ctx, c, caseIDs(body)); ok {
					ks = append(ks, k)
				}
			}
			ks = append(ks, lt.dashboards(ctx, c)...)
			return ks, nil
		}},
		{"coordinator", 2, func(c *http.Client) ([]kind, error) {
			// Mina samordningsärenden, and the coordinations it lists
			// in turn: each person's page with the timeline.
			ks := []kind{get("/samordning", lt, "coordinations")}
			if body, err := fetch(ctx, c, lt.url("/samordning")); err == nil {
				if ids := linkedIDs(coordinationLink, body); len(ids) > 0 {
					ks = append(ks, kind{"timeline", func(i int) loadgen.Request {
						return loadgen.Request{Kind: "timeline", URL: lt.url("/samordning/" + ids[i%len(ids)])}
					}})
				}
			}
			return append(ks, get("/forbund", lt, "associations")), nil
		}},
		{"association staff", 2, func(*http.Client) ([]kind, error) {
			return []kind{get(a+"/insatser", lt, "insatser"), get(a+"/rapporter", lt, "association reports")}, nil
		}},
		{"care provider", 1, nil},
		{"public", 4, nil},
	}
	if len(lt.roles) > 0 {
		rs = slices.DeleteFunc(rs, func(r role) bool { return !slices.Contains(lt.roles, r.name) })
		if len(rs) == 0 {
			return nil, fmt.Errorf("--roles %s: no such role", strings.Join(lt.roles, ","))
		}
	}
	shares := 0
	for _, r := range rs {
		shares += r.share
	}
	var out []loadgen.User
	for i := range n {
		// Spread the roles over the users by their shares, in turn.
		r, k := rs[0], i%shares
		for _, x := range rs {
			if r = x; k < x.share {
				break
			}
			k -= x.share
		}
		var c *http.Client
		var ks []kind
		var err error
		switch r.name {
		case "public":
			c, ks = newClient(), []kind{get("/", lt, "start page"), get("/rakna", lt, "calculator")}
		case "care provider":
			if lt.token == "" {
				c, ks = newClient(), []kind{get("/", lt, "start page"), get("/rakna", lt, "calculator")}
				break
			}
			c, ks = newClient(), []kind{lt.certificates(i)}
		default:
			names := lt.usernames[r.name]
			if len(names) == 0 {
				continue
			}
			if c, err = lt.signIn(ctx, names[i%len(names)]); err != nil {
				return nil, err
			}
			if ks, err = r.kinds(c); err != nil {
				return nil, fmt.Errorf("%s %s: %w", r.name, names[i%len(names)], err)
			}
		}
		ks = lt.check(ctx, c, lt.kept(ks))
		if len(ks) == 0 {
			continue
		}
		out = append(out, loadgen.User{Client: c, Request: func(i int) loadgen.Request { return ks[i%len(ks)].req(i / len(ks)) }})
	}
	if len(out) == 0 {
		return nil, errors.New("no user could make any request")
	}
	return out, nil
}

// check makes every kind's first request once and leaves out those that
// fail, saying so (once per kind).
func (lt *loadtest) check(ctx context.Context, c *http.Client, ks []kind) []kind {
	var ok []kind
	for _, k := range ks {
		r := k.req(0)
		if r.Method == http.MethodPost {
			ok = append(ok, k) // a certificate is not sent twice to check; a search's answer is checked when it is made
			continue
		}
		if _, err := fetch(ctx, c, r.URL); err != nil {
			if !lt.warned(k.name) {
				fmt.Fprintf(lt.e.stderr, "note: %s left out: %v\n", k.name, err)
			}
			continue
		}
		ok = append(ok, k)
	}
	return ok
}

// kept are the kinds of ks that --only keeps.
func (lt *loadtest) kept(ks []kind) []kind {
	if len(lt.only) == 0 {
		return ks
	}
	var out []kind
	for _, k := range ks {
		if slices.Contains(lt.only, k.name) {
			out = append(out, k)
		}
	}
	return out
}

// caseIDs are the ids of the cases a page links to, each once.
func caseIDs(body string) []string { return linkedIDs(caseLink, body) }

// linkedIDs are the ids of the links of link a page holds, each once.
func linkedIDs(link *regexp.Regexp, body string) []string {
	var ids []string
	for _, m := range link.FindAllStringSubmatch(body, -1) {
		if !slices.Contains(ids, m[1]) {
			ids = append(ids, m[1])
		}
	}
	return ids
}

var (
	caseHeading = regexp.MustCompile(`<h1>[^<:]*: ([^<]+)</h1>`)
	shownNumber = regexp.MustCompile(`\b(?:19|20)\d{6}-\d{4}\b`)
)

// search is the search of the page header as the user would make it, in
// turn by the personnummer (with and without century), a prefix of the
// given name and the number of the cases ids, as their case pages show
// them; ok is false when none could be read.
func (lt *loadtest) search(ctx context.Context, c *http.Client, ids []string) (kind, bool) {
	var queries []string
	for _, id := range ids[:min(len(ids), 5)] {
		body, err := fetch(ctx, c, lt.url("/arenden/"+id))
		if err != nil {
			continue
		}
		queries = append(queries, id)
		if n := shownNumber.FindString(body); n != "" {
			queries = append(queries, n, n[2:])
		}
		if m := caseHeading.FindStringSubmatch(body); m != nil {
			if given, _, _ := strings.Cut(m[1], " "); len([]rune(given)) >= 3 {
				queries = append(queries, strings.ToLower(string([]rune(given)[:3])))
			}
		}
	}
	if len(queries) == 0 {
		return kind{}, false
	}
	return kind{"search", func(i int) loadgen.Request {
		return loadgen.Request{Kind: "search", Method: http.MethodPost, URL: lt.url("/sok"),
			Body:   []byte(url.Values{"q": {queries[i%len(queries)]}}.Encode()),
			Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}}
	}}, true
}

func (lt *loadtest) warned(name string) bool {
	w := lt.warnedKinds[name]
	lt.warnedKinds[name] = true
	return w
}

// certificates posts new synthetic certificates as the care provider's
// system would, each with an id of its own.
func (lt *loadtest) certificates(user int) kind {
	persons := demo.Persons(demo.DefaultSeed, 300)
	to := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -1)
	run := time.Now().UnixNano()
	return kind{"certificate post", func(i int) loadgen.Request {
		c := demo.Certificates(uint64(run)+uint64(user)<<20+uint64(i), 1, persons, to.AddDate(0, 0, -30), to)[0]
		c.ID = fmt.Sprintf("loadtest-%d-%d-%d", run, user, i)
		body, _ := json.Marshal(c)
		return loadgen.Request{Kind: "certificate post", Method: http.MethodPost, URL: lt.url("/api/v1/certificates"), Body: body,
			Header: http.Header{"Authorization": {"Bearer " + lt.token}, "Content-Type": {"application/json"}}}
	}}
}

func fetch(ctx context.Context, c *http.Client, u string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", err
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode/100 != 2 {
		err = fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return string(b), err
}

// static serves, on loopback, the server's own stylesheet from memory and
// returns users that fetch it as the mix's users fetch their pages.
func (lt *loadtest) static(ctx context.Context, n int, think time.Duration) ([]loadgen.User, func(), error) {
	body, err := fetch(ctx, newClient(), lt.url("/static/finsam.css"))
	if err != nil {
		body = strings.Repeat("static ", 2000)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	content := []byte(body)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Write(content)
	}), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	u := "http://" + ln.Addr().String() + "/static/finsam.css"
	users := make([]loadgen.User, n)
	for i := range users {
		users[i] = loadgen.User{Client: newClient(), Think: think,
			Request: func(int) loadgen.Request { return loadgen.Request{Kind: "static", URL: u} }}
	}
	return users, func() { srv.Close() }, nil
}

func (lt *loadtest) report(mix loadgen.Report, static loadgen.Result, users int, think time.Duration) {
	w := tabwriter.NewWriter(lt.e.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(lt.e.stdout, "%d users, think time %v, against %s\n", users, think, lt.root)
	fmt.Fprintln(w, "kind\trequests\tper s\tp50\tp95\tp99\tmax\terrors\t")
	row := func(name string, r loadgen.Result) {
		ms := func(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }
		fmt.Fprintf(w, "%s\t%d\t%.1f\t%s\t%s\t%s\t%s\t%d\t\n", name, r.Requests, r.Throughput(), ms(r.P50), ms(r.P95), ms(r.P99), ms(r.Max), r.Errors)
	}
	names := make([]string, 0, len(mix.ByKind))
	for k := range mix.ByKind {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		row(k, mix.ByKind[k])
	}
	row("all", mix.Total)
	row("static handler", static)
	w.Flush()
	if static.Throughput() > 0 {
		fmt.Fprintf(lt.e.stdout, "throughput against the static handler's: %.4f× in all", mix.Total.Throughput()/static.Throughput())
		if wl, ok := mix.ByKind["worklist"]; ok {
			fmt.Fprintf(lt.e.stdout, " (worklist alone %.4f×: its share of the mix)", wl.Throughput()/static.Throughput())
		}
		fmt.Fprintln(lt.e.stdout)
	}
	for _, k := range names {
		if r := mix.ByKind[k]; r.Errors > 0 {
			fmt.Fprintf(lt.e.stdout, "first error of %s: %s\n", k, r.FirstFail)
		}
	}
}

// groupOption is a customer group offered by the dashboard's filter.
var groupOption = regexp.MustCompile(`<select[^>]*name="group"[^>]*>\s*<option value=""[^>]*>[^<]*</option><option value="([0-9]+)"`)

// dashboards are a manager's (or director's) customer-group dashboard
// (/dashboards of the first customer group the filter offers) and the
// plain list of that group's open cases the dashboard links to; none for
// a user without the dashboards.
func (lt *loadtest) dashboards(ctx context.Context, c *http.Client) []kind {
	body, err := fetch(ctx, c, lt.url("/dashboards"))
	if err != nil {
		return nil
	}
	m := groupOption.FindStringSubmatch(body)
	if m == nil {
		return nil
	}
	return []kind{get("/dashboards?group="+m[1], lt, "customer-group dashboard"),
		get("/dashboards/lista?fig=open&group="+m[1], lt, "customer-group list")}
}
