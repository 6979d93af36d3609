package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/store"
)

func runGenerate(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "generate", "[flags]", `
Fills an empty database with synthetic national data for load tests and
benchmarks: the demo's organisations and named users (password in
FINSAM_DEMO_PASSWORD, default "demo"), the demo's own association, an FK
office for short and one for long sick leave in every region with their
case workers, further coordination associations with insatser and
participants, and persons with current and closed sickness cases and the
certificates of those cases. Every personnummer is in the test series.
The same --seed, sizes and --today give the same data. Open cases are
current on --today; after loading they are recomputed for it, as the
nightly run would, the deadlines of the rehabilitation chain due by then
are closed as their case workers met them (but in one case of 25) and
the cases recomputed again, unless --no-recompute.

Progress goes to stderr.`)
	var db dbFlags
	db.register(fs, e)
	seed := fs.Uint64("seed", demo.DefaultSeed, "random `seed` of the generator")
	size := demo.NationalSize
	fs.IntVar(&size.Persons, "persons", size.Persons, "`N` persons in all")
	fs.IntVar(&size.OpenCases, "open-cases", size.OpenCases, "`N` current sickness cases")
	fs.IntVar(&size.Certificates, "certificates", size.Certificates, "about `N` certificates (closed cases are added to reach it)")
	fs.IntVar(&size.Associations, "associations", size.Associations, "`N` coordination associations, the demo's own included")
	todayFlag := fs.String("today", "", "the `DATE` (YYYY-MM-DD) the open cases are current on (default: today in Sweden)")
	noRecompute := fs.Bool("no-recompute", false, "leave the open cases unevaluated")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	today, err := dayFlag(e, fs, "today", *todayFlag)
	if err != nil {
		return err
	}
	if size.Persons < 1 || size.OpenCases < 0 || size.OpenCases > size.Persons || size.Certificates < 0 || size.Associations < 1 {
		fmt.Fprintf(e.stderr, "sizes: at least one person and one association, and no more open cases than persons\n\n")
		fs.Usage()
		return errUsage
	}
	st, err := db.open(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	loaded, err := demo.LoadIfEmpty(ctx, st, *seed, demoPassword(e))
	if err != nil {
		return err
	}
	if !loaded {
		return fmt.Errorf("%s already holds data; generate only fills an empty database", st.Target())
	}
	now := today.Time().Add(10 * time.Hour)
	if _, err := demo.LoadAssociation(ctx, st, *seed, now); err != nil {
		return fmt.Errorf("load the demo's association: %w", err)
	}
	pr := newGenerateProgress(e.stderr, *quiet)
	got, err := demo.Populate(ctx, st, demo.PopulateConfig{Seed: *seed, Today: today.Time(), Size: size, Progress: pr.show})
	pr.end()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "generated %d persons, %d sickness cases (%d open, %d coordinated), %d certificates, %d associations (+1 demo, %d participants), "+
		"%d offices with %d case workers into %s in %.1fs\n", got.Persons, got.Cases, got.OpenCases, got.Coordinations, got.Certificates, got.Associations,
		got.Participants, got.Offices, got.CaseWorkers, st.Target(), time.Since(start).Seconds())
	if *noRecompute {
		return nil
	}
	rc, err := newRecomputer(ctx, st)
	if err != nil {
		return err
	}
	rstart := time.Now()
	if !*quiet && isTerminal(e.stderr) {
		line := &progressLine{w: e.stderr}
		rc.Progress = line.show
		defer line.end()
	}
	run, err := rc.Run(ctx, today, "command")
	if err != nil {
		return fmt.Errorf("recompute: %w", err)
	}
	fmt.Fprintf(e.stdout, "recomputed %d open cases for %s in %.1fs\n", run.Processed, today, time.Since(rstart).Seconds())
	// The case workers kept up with their deadlines but for a handful;
	// the recompute then writes the worklists as they stand.
	kstart := time.Now()
	closed, err := demo.KeepUp(ctx, st, got.FirstCaseID, got.LastCaseID, today.Time(), now)
	if err != nil {
		return fmt.Errorf("close the deadlines the case workers met: %w", err)
	}
	run, err = rc.Run(ctx, today, "command")
	if err != nil {
		return fmt.Errorf("recompute: %w", err)
	}
	fmt.Fprintf(e.stdout, "closed %d deadlines the case workers met and recomputed %d open cases again in %.1fs\n", closed, run.Processed,
		time.Since(kstart).Seconds())
	// The statistics of the load predate the evaluation: refresh them, so
	// that the data is planned for as it now is, autovacuum or not.
	if err := store.RefreshCaseStatistics(ctx, st); err != nil {
		return err
	}
	return nil
}

// generateProgress reports the generator's stages on stderr: one line
// rewritten in place on a terminal, a line every tenth of a stage
// otherwise.
type generateProgress struct {
	w        io.Writer
	off, tty bool
	last     string
	tenth    int
}

func newGenerateProgress(w io.Writer, quiet bool) *generateProgress {
	return &generateProgress{w: w, off: quiet, tty: isTerminal(w)}
}

func (p *generateProgress) show(pr demo.Progress) {
	if p.off {
		return
	}
	pct := 100 * pr.Done / max(pr.Total, 1)
	if p.tty {
		fmt.Fprintf(p.w, "\r%-13s %3d%% (%d of %d)   ", pr.Stage, pct, pr.Done, pr.Total)
		p.last = pr.Stage
		return
	}
	if pr.Stage != p.last {
		p.last, p.tenth = pr.Stage, -1
	}
	if pct/10 > p.tenth {
		p.tenth = pct / 10
		fmt.Fprintf(p.w, "%s: %d%% (%d of %d)\n", pr.Stage, pct, pr.Done, pr.Total)
	}
}

func (p *generateProgress) end() {
	if !p.off && p.tty && p.last != "" {
		fmt.Fprintln(p.w)
	}
}
