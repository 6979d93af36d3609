package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/intake"
	"github.com/finsam/finsam/ruleset"
	"github.com/finsam/finsam/store"
)

const casesHelp = `
Sickness cases (case work at Försäkringskassan):

  finsam cases recompute [--date YYYY-MM-DD] [--batch N]
  finsam cases status

recompute streams every open case through the rules engine for a date
(default: today in Sweden) and stores where each stands: chain day, phase,
payer, level, amounts, milestones, deadlines and early warnings. It saves
in batches, each in one transaction with the run's progress, so it can be
stopped at any time (Ctrl-C) and resumes where it stopped when run again
for the same date. A case the rules engine refuses (a date outside its
parameters, say) is kept with its error code and counted as failed; the
run goes on. In a terminal it shows progress (cases/s, time left) on
standard error; the summary goes to standard output. finsam serve runs it
every night (see --recompute-at).

status prints the latest run.`

func runCases(ctx context.Context, e *env, args []string) error {
	sub, args, err := subcommand(e, "cases", "recompute|status [flags]", casesHelp, args, "recompute", "status")
	if err != nil {
		return err
	}
	fs := newFlagSet(e, "cases "+sub, "[flags]", casesHelp)
	var db dbFlags
	db.register(fs, e)
	var date *string
	var batch *int
	var quiet *bool
	var cpuProfile *string
	if sub == "recompute" {
		date = fs.String("date", "", "evaluate the cases on `YYYY-MM-DD` (default: today in Sweden)")
		batch = fs.Int("batch", casework.DefaultBatchSize, "cases per transaction")
		quiet = fs.Bool("quiet", false, "no progress on standard error")
		cpuProfile = fs.String("cpuprofile", "", "write a CPU profile of the run to `FILE` (for `go tool pprof`)")
	}
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	if sub == "recompute" {
		if *batch < 1 {
			fmt.Fprintf(e.stderr, "--batch must be at least 1\n\n")
			return badUsage(fs)
		}
	}
	var day casework.Date
	if sub == "recompute" {
		if day, err = dayFlag(e, fs, "date", *date); err != nil {
			return err
		}
	}
	st, err := db.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if sub == "status" {
		return printRecomputeStatus(ctx, e.stdout, st)
	}
	rc, err := newRecomputer(ctx, st)
	if err != nil {
		return err
	}
	rc.BatchSize = *batch
	var pr *progressLine
	if !*quiet && isTerminal(e.stderr) {
		pr = &progressLine{w: e.stderr}
		rc.Progress = pr.show
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	start := time.Now()
	before, err := store.UnfinishedRecomputeRun(ctx, st, day.Time())
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	run, err := rc.Run(ctx, day, "command")
	pr.end()
	done := run.Processed - before.Processed
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("interrupted after %d cases (%d of the run saved); run it again for %s to resume", done, run.Processed, day)
		}
		return fmt.Errorf("%w (%d cases of the run saved; run it again for %s to resume)", err, run.Processed, day)
	}
	el := time.Since(start)
	fmt.Fprintf(e.stdout, "recomputed %d cases for %s in %.1fs (%.0f/s), %d failed, %d provisional", done, day, el.Seconds(),
		float64(done)/max(el.Seconds(), 1e-9), run.Failed-before.Failed, run.Provisional-before.Provisional)
	if before.ID != 0 {
		fmt.Fprintf(e.stdout, "; resumed run %d, %d cases in all", run.ID, run.Processed)
	}
	fmt.Fprintln(e.stdout)
	return nil
}

// newRecomputer builds the recomputer as the server uses it: the embedded
// rules with the parameter values stored since the release (read afresh,
// so that a value stored since the last run makes its results final), the
// FMB table and the thresholds an administrator stored.
func newRecomputer(ctx context.Context, st *store.Store) (*casework.Recomputer, error) {
	loaded, err := ruleset.Load(ctx, st)
	if err != nil {
		return nil, err
	}
	engine := loaded.Engine
	fmb, _, err := intake.StoredFMB(ctx, st)
	if err != nil {
		return nil, fmt.Errorf("the stored FMB table: %w", err)
	}
	cfg, err := casework.LoadConfig(ctx, st)
	if err != nil {
		return nil, err
	}
	return &casework.Recomputer{Store: st, Engine: engine, Config: cfg, FMB: fmb}, nil
}

func printRecomputeStatus(ctx context.Context, w io.Writer, st *store.Store) error {
	run, ok, err := casework.LatestRun(ctx, st)
	if err != nil {
		return err
	}
	if !ok {
		fmt.Fprintln(w, "no recompute has run yet")
		return nil
	}
	state := "unfinished (run it again for the date to resume)"
	if !run.FinishedAt.IsZero() {
		state = fmt.Sprintf("finished %s (%.1fs)", run.FinishedAt.Format(time.RFC3339), run.FinishedAt.Sub(run.StartedAt).Seconds())
	}
	fmt.Fprintf(w, "run %d for %s (%s): started %s, %s\n%d cases, %d failed, %d provisional, last case %d\n",
		run.ID, run.EvalDate.Format(time.DateOnly), run.Trigger, run.StartedAt.Format(time.RFC3339), state,
		run.Processed, run.Failed, run.Provisional, run.LastCaseID)
	return nil
}

// stockholm is Sweden's time zone (the tz database is embedded).
var stockholm = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		panic("embedded tzdata: " + err.Error())
	}
	return loc
}()

// swedishToday is the calendar date in Sweden at t.
func swedishToday(t time.Time) casework.Date { return civil.Of(t.In(stockholm)) }

// dayFlag is the date the flag --name gives as value, today in Sweden when
// it is empty; a value that is no date prints why, with the usage
// (errUsage).
func dayFlag(e *env, fs *flag.FlagSet, name, value string) (civil.Date, error) {
	if value == "" {
		return swedishToday(time.Now()), nil
	}
	d, err := civil.Parse(value)
	if err != nil {
		fmt.Fprintf(e.stderr, "--%s %q: %v\n\n", name, value, err)
		return d, badUsage(fs)
	}
	return d, nil
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progressLine rewrites one line of progress at most once a second.
type progressLine struct {
	w     io.Writer
	last  time.Time
	shown bool
}

func (p *progressLine) show(pr casework.Progress) {
	if time.Since(p.last) < time.Second && pr.Done < pr.Total {
		return
	}
	p.last = time.Now()
	p.shown = true
	pct := 100.0
	if pr.Total > 0 {
		pct = 100 * float64(pr.Done) / float64(pr.Total)
	}
	fmt.Fprintf(p.w, "\r%d/%d cases (%.0f%%), %d failed, %.0f cases/s, %s left   ", pr.Done, pr.Total, pct, pr.Failed,
		pr.Rate, pr.ETA.Round(time.Second))
}

// end finishes the progress line so that what follows starts on a new one.
func (p *progressLine) end() {
	if p != nil && p.shown {
		fmt.Fprintln(p.w)
	}
}

// parseDailyAt reads --recompute-at: "HH:MM" or "off" (ok false).
func parseDailyAt(s string) (hour, minute int, ok bool, err error) {
	if strings.EqualFold(s, "off") {
		return 0, 0, false, nil
	}
	h, m, found := strings.Cut(s, ":")
	hour, err1 := strconv.Atoi(h)
	minute, err2 := strconv.Atoi(m)
	if !found || len(h) != 2 || len(m) != 2 || err1 != nil || err2 != nil || hour > 23 || minute > 59 || hour < 0 || minute < 0 {
		return 0, 0, false, fmt.Errorf("%q is not HH:MM (Swedish time) or off", s)
	}
	return hour, minute, true, nil
}

// nextDaily is the first hour:minute in Sweden after now.
func nextDaily(now time.Time, hour, minute int) time.Time {
	local := now.In(stockholm)
	at := time.Date(local.Year(), local.Month(), local.Day(), hour, minute, 0, 0, stockholm)
	for !at.After(now) {
		local = local.AddDate(0, 0, 1)
		at = time.Date(local.Year(), local.Month(), local.Day(), hour, minute, 0, 0, stockholm)
	}
	return at
}

// passedToday reports whether hour:minute has passed today in Sweden,
// and today's date.
func passedToday(now time.Time, hour, minute int) (casework.Date, bool) {
	today := swedishToday(now)
	due := nextDaily(now.Add(-24*time.Hour), hour, minute)
	return today, !due.After(now) && swedishToday(due) == today
}

// nightlyRecompute recomputes every open case once a day at hour:minute
// Swedish time, for that day's date, until ctx ends. A server started
// after that time on a day with no finished run (a deploy at 03:00) runs
// it at once. A run another finsam instance started within the hour makes
// it step aside (RunExclusive); an unfinished run of the same date older
// than that is resumed.
func nightlyRecompute(ctx context.Context, st *store.Store, logger *slog.Logger, hour, minute int) {
	if today, ok := passedToday(time.Now(), hour, minute); ok {
		run, err := store.LatestRecomputeRunFor(ctx, st, today.Time())
		if errors.Is(err, store.ErrNotFound) || err == nil && run.FinishedAt.IsZero() {
			runNightly(ctx, st, logger, today)
		}
	}
	for {
		next := nextDaily(time.Now(), hour, minute)
		logger.Debug("next recompute", "at", next)
		t := time.NewTimer(time.Until(next))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		runNightly(ctx, st, logger, swedishToday(time.Now()))
	}
}

func runNightly(ctx context.Context, st *store.Store, logger *slog.Logger, day casework.Date) {
	rc, err := newRecomputer(ctx, st)
	if err != nil {
		logger.Error("nightly recompute", "err", err)
		return
	}
	start := time.Now()
	run, err := rc.RunExclusive(ctx, day, "nightly")
	switch {
	case errors.Is(err, casework.ErrBusy):
		logger.Info("nightly recompute skipped: another run is in progress", "run", run.ID, "started", run.StartedAt)
	case err != nil:
		logger.Error("nightly recompute stopped; the next run resumes it", "date", day.String(), "cases", run.Processed, "err", err)
	default:
		logger.Info("nightly recompute finished", "date", day.String(), "run", run.ID, "cases", run.Processed,
			"failed", run.Failed, "provisional", run.Provisional, "seconds", time.Since(start).Seconds())
	}
}
