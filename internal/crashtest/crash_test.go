package crashtest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/finsam/finsam/internal/loopback"
	"github.com/finsam/finsam/internal/syncbuf"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// evalDate is the date the cases are recomputed for: inside the synthetic
// certificates' periods and the rules' parameters.
const evalDate = "2026-11-23"

// kills is how often each scenario kills finsam: a few in CI, 20 with
// FINSAM_CRASH_FULL=1.
func kills() int {
	if os.Getenv("FINSAM_CRASH_FULL") == "1" {
		return 20
	}
	return 3
}

func TestKilledImportsLoseAndDuplicateNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash test builds and kills the finsam binary")
	}
	bin := buildFinsam(t)
	storetest.EachDialect(t, func(t *testing.T, d store.Dialect) {
		h := newHarness(t, bin, storetest.Config(t, d))
		h.run(t, "demo") // organisations, users, the demo's certificates and cases; makes the audit key
		h.demoCerts = h.lastCertificate(t)
		t.Run("import", h.importScenario)
		t.Run("serve", h.serveScenario)
		t.Run("recompute", h.recomputeScenario)
	})
}

// buildFinsam builds the binary once for the whole test.
func buildFinsam(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "finsam")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/finsam")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// harness runs the binary against one database.
type harness struct {
	bin  string
	cfg  store.Config
	data string // the data folder: the SQLite file, the audit key
	rng  *rand.Rand
	// demoCerts is the last certificate id the demo wrote. Its generated
	// share is loaded in bulk, which no one received and nothing audits;
	// only certificates received after it must have their audit entry.
	demoCerts int64
}

func newHarness(t *testing.T, bin string, cfg store.Config) *harness {
	data := cfg.DataDir
	if data == "" {
		data = filepath.Join(t.TempDir(), "data")
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("kill times drawn with seed %d", seed)
	return &harness{bin: bin, cfg: cfg, data: data, rng: rand.New(rand.NewPCG(seed, 0))}
}

// command is the binary with the database flags after the command words
// (before the first flag: flags end at the first file name).
func (h *harness) command(ctx context.Context, words ...string) *exec.Cmd {
	db := []string{"--data", h.data}
	if h.cfg.DatabaseURL != "" {
		db = append(db, "--database", h.cfg.DatabaseURL)
	}
	at := len(words)
	for i, w := range words {
		if strings.HasPrefix(w, "-") {
			at = i
			break
		}
	}
	args := append(append(append([]string(nil), words[:at]...), db...), words[at:]...)
	cmd := exec.CommandContext(ctx, h.bin, args...)
	cmd.Env = append(os.Environ(), "FINSAM_DATA=", "FINSAM_DATABASE_URL=", "FINSAM_SECRET_FILE=")
	return cmd
}

// run runs a command to its end and returns its standard output; it fails
// the test when the command fails.
func (h *harness) run(t *testing.T, words ...string) string {
	t.Helper()
	cmd := h.command(context.Background(), words...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("finsam %s: %v\n%s%s", strings.Join(words, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// killer draws when to kill: around a delay that shrinks when the process
// ended before the kill and grows when the kill landed, so that kills keep
// falling inside the work whatever the machine's speed.
type killer struct {
	delay         time.Duration
	landed, early int
}

func (k *killer) next(h *harness) time.Duration {
	return time.Duration(float64(k.delay) * (0.3 + 1.4*h.rng.Float64()))
}

// startKill starts cmd and kills it with SIGKILL after the next delay. It
// returns when the process has ended and tells whether the kill landed.
func (k *killer) startKill(t *testing.T, h *harness, cmd *exec.Cmd) bool {
	t.Helper()
	output := &syncbuf.Buffer{}
	if cmd.Stderr == nil {
		cmd.Stderr = output
	}
	if cmd.Stdout == nil {
		cmd.Stdout = output
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("%s failed: %v\n%s%s", cmd.Args[1], err, output.String(), cmd.Stderr)
		}
		k.early++
		k.delay /= 2
		return false
	case <-time.After(k.next(h)):
		cmd.Process.Signal(syscall.SIGKILL)
		err := <-done
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			k.landed++
			k.delay = k.delay * 11 / 10
			return true
		}
		if err != nil {
			t.Fatalf("%s failed: %v\n%s%s", cmd.Args[1], err, output.String(), cmd.Stderr)
		}
		k.early++
		return false
	}
}

// more tells whether to run once more: n times, and up to 3n while no kill
// has landed yet (on a fast machine the first runs may end before it).
func (k *killer) more(i, n int) bool { return i < n || k.landed == 0 && i < 3*n }

func (k *killer) report(t *testing.T, what string) {
	t.Logf("%s: %d kills landed, %d runs ended first", what, k.landed, k.early)
	if k.landed == 0 {
		t.Errorf("%s: no kill landed while finsam worked", what)
	}
}

// certificates writes n synthetic certificates (personnummer in the test
// series) and returns the file and their ids in order.
func (h *harness) certificates(t *testing.T, seed, n int) (string, []string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), fmt.Sprintf("certificates-%d.jsonl", seed))
	cmd := exec.Command(h.bin, "demo", "--certificates-out", file, "--count", strconv.Itoa(n), "--seed", strconv.Itoa(seed))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("synthetic certificates: %v\n%s", err, out)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		var c struct{ ID string }
		if err := json.Unmarshal(line, &c); err != nil || c.ID == "" {
			t.Fatalf("certificate line %.80s: %v", line, err)
		}
		ids = append(ids, c.ID)
	}
	return file, ids
}

// splitLines writes the lines of file into parts files of size lines each.
func splitLines(t *testing.T, file string, parts, size int) []string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(bytes.TrimSpace(b), []byte("\n"))
	var out []string
	for i := 0; i < parts; i++ {
		name := filepath.Join(filepath.Dir(file), fmt.Sprintf("part-%03d.jsonl", i))
		var buf bytes.Buffer
		for _, l := range lines[i*size : (i+1)*size] {
			buf.Write(bytes.TrimRight(l, "\n"))
			buf.WriteByte('\n')
		}
		if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		out = append(out, name)
	}
	return out
}

var progress = regexp.MustCompile(`(\d+) certificates, `)

// importScenario kills `finsam import` while it imports ever more files:
// each run imports the files of the runs before (duplicates, which it must
// recognise) and one more. A certificate counted in the progress on
// standard error was committed and must be there after the kill.
func (h *harness) importScenario(t *testing.T) {
	const size = 150
	n := kills()
	file, ids := h.certificates(t, 11, n*size)
	parts := splitLines(t, file, n, size)
	k := &killer{delay: 250 * time.Millisecond}
	committed := map[string]bool{}
	for i := 0; k.more(i, n); i++ {
		cmd := h.command(context.Background(), append([]string{"import", "certificates", "--org", "region-gotland", "--batch", "10"}, parts[:min(i, n-1)+1]...)...)
		var stderr syncbuf.Buffer
		cmd.Stderr = &stderr
		k.startKill(t, h, cmd)
		if m := progress.FindAllStringSubmatch(stderr.String(), -1); len(m) > 0 {
			done, _ := strconv.Atoi(m[len(m)-1][1])
			for _, id := range ids[:min(done, len(ids))] {
				committed[id] = true
			}
		}
		h.check(t, fmt.Sprintf("after import run %d", i+1), committed)
	}
	k.report(t, "import")
	out := h.run(t, append([]string{"import", "certificates", "--org", "region-gotland", "--quiet"}, parts...)...)
	if !strings.Contains(out, fmt.Sprintf("imported %d certificates", len(ids))) || !strings.Contains(out, " 0 rejected") {
		t.Fatalf("the import run to its end: %s", out)
	}
	all := map[string]bool{}
	for _, id := range ids {
		all[id] = true
	}
	h.check(t, "after the import ran to its end", all)
	h.verifyAudit(t)
}

// serveScenario kills `finsam serve` while two clients post certificates
// through the API; every certificate it answered 201 or 200 for must be
// there after the kills.
func (h *harness) serveScenario(t *testing.T) {
	out := h.run(t, "token", "create", "--org", "region-gotland", "--scope", "certificates:write", "--name", "crash test")
	token := regexp.MustCompile(`fst_[A-Za-z0-9_-]{43}`).FindString(out)
	if token == "" {
		t.Fatalf("no token in %q", out)
	}
	n := kills()
	file, ids := h.certificates(t, 12, n*400)
	bodies, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(bodies), []byte("\n"))
	acknowledged := map[string]bool{}
	var mu sync.Mutex
	var nextIndex atomic.Int64
	k := &killer{delay: 700 * time.Millisecond}
	for i := 0; i < n; i++ {
		addr, err := loopback.FreeAddr()
		if err != nil {
			t.Fatal(err)
		}
		cmd := h.command(context.Background(), "serve", "--addr", addr, "--log-format", "json", "--recompute-at", "off")
		var logs syncbuf.Buffer
		cmd.Stdout, cmd.Stderr = &logs, &logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		if err := waitReady(addr, exited); err != nil {
			t.Fatalf("serve did not get ready: %v\n%s", err, logs.String())
		}
		stop := make(chan struct{})
		var clients sync.WaitGroup
		for c := 0; c < 2; c++ {
			clients.Add(1)
			go func() {
				defer clients.Done()
				client := &http.Client{Timeout: 10 * time.Second}
				for {
					select {
					case <-stop:
						return
					default:
					}
					j := int(nextIndex.Add(1) - 1)
					if j >= len(lines) {
						return
					}
					req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/certificates", bytes.NewReader(lines[j]))
					req.Header.Set("Authorization", "Bearer "+token)
					req.Header.Set("Content-Type", "application/json")
					resp, err := client.Do(req)
					if err != nil {
						nextIndex.Store(int64(j)) // killed mid-request: send it again next time
						return
					}
					resp.Body.Close()
					if resp.StatusCode == http.StatusCreated || resp.StatusCode == http.StatusOK {
						mu.Lock()
						acknowledged[ids[j]] = true
						mu.Unlock()
					}
				}
			}()
		}
		select {
		case err := <-exited:
			t.Fatalf("serve ended by itself: %v\n%s", err, logs.String())
		case <-time.After(k.next(h)):
		}
		cmd.Process.Signal(syscall.SIGKILL)
		<-exited
		k.landed++
		close(stop)
		clients.Wait()
		h.check(t, fmt.Sprintf("after serve run %d", i+1), acknowledged)
	}
	k.report(t, "serve")
	if len(acknowledged) == 0 {
		t.Fatal("no certificate was acknowledged")
	}
	t.Logf("serve: %d certificates acknowledged before the kills", len(acknowledged))
	h.verifyAudit(t)
}

// recomputeScenario kills `finsam cases recompute` at random points; run to
// its end afterwards, it must leave every case as a recompute that was never
// interrupted does.
func (h *harness) recomputeScenario(t *testing.T) {
	k := &killer{delay: 200 * time.Millisecond}
	for i := 0; k.more(i, kills()); i++ {
		cmd := h.command(context.Background(), "cases", "recompute", "--date", evalDate, "--batch", "5", "--quiet")
		if !k.startKill(t, h, cmd) {
			// It finished: the next run recomputes every case again.
			t.Logf("recompute run %d finished before the kill", i+1)
		}
		h.check(t, fmt.Sprintf("after recompute run %d", i+1), nil)
	}
	k.report(t, "recompute")
	h.run(t, "cases", "recompute", "--date", evalDate, "--quiet")
	resumed := h.caseState(t)
	t.Logf("recompute: %d rows of case state compared", strings.Count(resumed, "\n"))
	h.run(t, "cases", "recompute", "--date", evalDate, "--quiet")
	if fresh := h.caseState(t); fresh != resumed {
		t.Errorf("the cases after killed and resumed recomputes differ from a full recompute:\n%s", firstDifference(resumed, fresh))
	}
	h.check(t, "after recompute", nil)
	h.verifyAudit(t)
}

// check opens the database and checks that nothing is half-written: the
// engine's own integrity check, certificates each once with their periods,
// case and audit entry, cases agreeing with their deadlines and warnings,
// and every certificate in want present exactly once.
// lastCertificate is the highest certificate id stored.
func (h *harness) lastCertificate(t *testing.T) int64 {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, h.cfg)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer st.Close()
	var n int64
	if err := st.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM certificates`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (h *harness) check(t *testing.T, when string, want map[string]bool) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, h.cfg)
	if err != nil {
		t.Fatalf("%s: open: %v", when, err)
	}
	defer st.Close()
	if st.Dialect() == store.SQLite {
		var res string
		if err := st.QueryRow(ctx, "PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
			t.Errorf("%s: PRAGMA integrity_check: %q %v", when, res, err)
		}
		rows, err := st.Query(ctx, "PRAGMA foreign_key_check")
		if err != nil {
			t.Fatalf("%s: foreign_key_check: %v", when, err)
		}
		if rows.Next() {
			t.Errorf("%s: PRAGMA foreign_key_check finds rows whose reference is missing", when)
		}
		rows.Close()
	}
	for _, c := range []struct{ what, query string }{
		{"certificates stored twice", `SELECT count(*) FROM (SELECT sender_org_id, cert_id FROM certificates GROUP BY sender_org_id, cert_id HAVING count(*) > 1) d`},
		{"certificates without sick-leave periods", `SELECT count(*) FROM certificates WHERE id NOT IN (SELECT certificate_id FROM sick_leave_periods WHERE certificate_id IS NOT NULL)`},
		{"certificates without a case", `SELECT count(*) FROM certificates WHERE case_id IS NULL`},
		{"periods of a certificate that is not there", `SELECT count(*) FROM sick_leave_periods p WHERE p.certificate_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.id = p.certificate_id)`},
		{"certificates without their audit entry", `SELECT count(*) FROM certificates c WHERE c.id > ` + strconv.FormatInt(h.demoCerts, 10) + ` AND CAST(c.id AS TEXT) NOT IN (SELECT resource_id FROM audit_log WHERE action = 'receive_certificate')`},
		{"cases whose warning count disagrees with their warnings", `SELECT count(*) FROM sickness_cases c WHERE warning_count <> (SELECT count(*) FROM case_warnings w WHERE w.case_id = c.id)`},
		{"cases whose open deadline count disagrees with their deadlines", `SELECT count(*) FROM sickness_cases c WHERE open_deadlines <> (SELECT count(*) FROM case_deadlines d WHERE d.case_id = c.id AND NOT d.done)`},
		{"audit checkpoints past the log's end", `SELECT count(*) FROM audit_checkpoints WHERE seq > (SELECT coalesce(max(seq), 0) FROM audit_log)`},
	} {
		var n int
		if err := st.QueryRow(ctx, c.query).Scan(&n); err != nil {
			t.Fatalf("%s: %s: %v", when, c.what, err)
		}
		if n != 0 {
			t.Errorf("%s: %d %s", when, n, c.what)
		}
	}
	if len(want) == 0 {
		return
	}
	stored := map[string]int{}
	rows, err := st.Query(ctx, `SELECT c.cert_id FROM certificates c JOIN organisations o ON o.id = c.sender_org_id WHERE o.slug = 'region-gotland'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		rows.Scan(&id)
		stored[id]++
	}
	rows.Close()
	missing := 0
	for id := range want {
		if stored[id] != 1 {
			if missing++; missing <= 5 {
				t.Errorf("%s: certificate %s acknowledged before a kill is stored %d times", when, id, stored[id])
			}
		}
	}
	if missing > 5 {
		t.Errorf("%s: %d certificates in all are not stored exactly once", when, missing)
	}
}

// caseState is what a recompute writes of every case, one line per row.
func (h *harness) caseState(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, h.cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var b strings.Builder
	for _, q := range []struct {
		query string
		cols  int
	}{
		{`SELECT id, status, eval_date, eval_error, sick, chain_day, phase, payer, level, degree, frame_days, sgi_kr, daily_amount_kr,
			day_91, day_181, day_366, continuation_day, time_limit_day, next_due, next_kind, open_deadlines, warning_count
			FROM sickness_cases ORDER BY id`, 22},
		{`SELECT case_id, kind, dkey, due, ref, done, auto FROM case_deadlines ORDER BY case_id, kind, dkey`, 7},
		{`SELECT case_id, kind, rule, ref, args, raised_on FROM case_warnings ORDER BY case_id, kind`, 6},
	} {
		rows, err := st.Query(ctx, q.query)
		if err != nil {
			t.Fatal(err)
		}
		vals := make([]sql.NullString, q.cols)
		ptrs := make([]any, q.cols)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				fmt.Fprintf(&b, "%v|", v)
			}
			b.WriteByte('\n')
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return b.String()
}

func firstDifference(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < min(len(al), len(bl)); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("resumed: %s\nfull:    %s", al[i], bl[i])
		}
	}
	return fmt.Sprintf("%d rows against %d", len(al), len(bl))
}

// verifyAudit runs `finsam audit verify`, which must pass.
func (h *harness) verifyAudit(t *testing.T) {
	t.Helper()
	out := h.run(t, "audit", "verify")
	t.Logf("audit verify: %s", strings.TrimSpace(out))
}

// waitReady waits until the server answers /readyz, at most a minute.
func waitReady(addr string, exited <-chan error) error {
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return fmt.Errorf("it ended: %v", err)
		default:
		}
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("no answer from %s", addr)
}
