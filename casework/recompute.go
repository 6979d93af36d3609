package casework

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
)

// Recomputer streams open cases through Derive and stores where each
// stands: the nightly run (Run) and the refresh of one case after a
// person's edit (RefreshCase).
type Recomputer struct {
	Store  *store.Store
	Engine *rules.Engine
	// Config holds the thresholds; the zero Config means DefaultConfig.
	Config Config
	// FMB is the FMB table in force; nil means none.
	FMB *certificate.FMB
	// BatchSize is how many cases one transaction saves (default
	// DefaultBatchSize).
	BatchSize int
	// Progress, when set, is called after every saved batch.
	Progress func(Progress)
	// Now is the clock of the recorded times; nil means time.Now.
	Now func() time.Time
}

// Progress is how far a run has come. Done and Failed count the run's
// cases so far, including those an interrupted earlier attempt saved;
// Total is Done plus what is left. Rate (cases per second) and ETA are of
// this attempt.
type Progress struct {
	Done, Failed, Total int64
	Rate                float64
	ETA                 time.Duration
}

// DefaultBatchSize is the number of cases saved per transaction. A batch
// rewrites the pages of the worklist indexes its cases move in, which on
// SQLite are most of them whatever the batch's size: a first run over
// 200,000 cases took 68 s in batches of 500 and 27 s in batches of 2,000.
// Memory grows with the batch, not with the number of cases (about 20 MiB
// of heap at 2,000).
const DefaultBatchSize = 2000

// ErrBusy means another recompute started recently and has not finished:
// probably another finsam instance is running it.
var ErrBusy = errors.New("another recompute is running")

// BusyWindow is how long an unfinished run counts as running elsewhere
// for RunExclusive; an older one is taken to have died and is resumed.
const BusyWindow = time.Hour

// Run recomputes every open case for date, resuming the unfinished run
// for the same date when there is one (from the last case it saved),
// starting a new one otherwise. Cases are read and saved in id order in
// batches, each batch in one transaction together with the run's progress,
// so a run stopped at any point (ctx cancelled, the process killed) loses
// at most the batch in flight. A case Derive refuses is saved with its
// error code (EvalError) and counted as failed; the run goes on. The run
// is returned as stored at the end.
func (r *Recomputer) Run(ctx context.Context, date Date, trigger string) (store.RecomputeRun, error) {
	return r.run(ctx, date, trigger, 0)
}

// RunExclusive is Run unless another run, for any date, started within
// BusyWindow and has not finished: then it does nothing and returns
// ErrBusy. The check and the start are one transaction, so of several
// finsam instances starting at once one runs and the others step aside.
func (r *Recomputer) RunExclusive(ctx context.Context, date Date, trigger string) (store.RecomputeRun, error) {
	return r.run(ctx, date, trigger, BusyWindow)
}

func (r *Recomputer) run(ctx context.Context, date Date, trigger string, busy time.Duration) (store.RecomputeRun, error) {
	if r.Engine == nil || r.Store == nil {
		return store.RecomputeRun{}, errors.New("casework: the recomputer needs a store and a rules engine")
	}
	run, err := r.begin(ctx, date, trigger, busy)
	if err != nil {
		return run, err
	}
	if err := r.Store.Prepare(ctx, store.RecomputeStatements()...); err != nil {
		return run, err
	}
	total, err := store.CountOpenCases(ctx, r.Store, run.LastCaseID)
	if err != nil {
		return run, err
	}
	total += run.Processed
	started := time.Now()
	doneBefore := run.Processed

	// The next batch is read while the previous one is derived and saved:
	// on PostgreSQL the reads wait on the network, on SQLite they run on
	// the read pool beside the single writer.
	rctx, cancel := context.WithCancel(ctx)
	reads := readBatches(rctx, r.Store, run.LastCaseID, r.batchSize())
	defer func() {
		// Stop the reader and wait until it has, so that nothing reads
		// after Run returns (the caller may close the store).
		cancel()
		for range reads {
		}
	}()
	cfg := r.config()
	for b := range reads {
		if err := ctx.Err(); err != nil {
			return run, err
		}
		if b.err != nil {
			return run, fmt.Errorf("read cases after %d: %w", run.LastCaseID, b.err)
		}
		ups, failed, provisional := r.derive(b.cases, date, cfg)
		last := b.cases[len(b.cases)-1].ID
		now := r.now()
		err := r.Store.Tx(ctx, func(tx *store.Tx) error {
			if err := store.SaveRecomputed(ctx, tx, b.cases, ups, now); err != nil {
				return err
			}
			return store.ProgressRecomputeRun(ctx, tx, run.ID, last, int64(len(b.cases)), failed, provisional)
		})
		if err != nil {
			return run, fmt.Errorf("save cases %d–%d: %w", b.cases[0].ID, last, err)
		}
		run.LastCaseID = last
		run.Processed += int64(len(b.cases))
		run.Failed += failed
		run.Provisional += provisional
		if r.Progress != nil {
			r.Progress(progress(run, total, doneBefore, time.Since(started)))
		}
	}
	if err := ctx.Err(); err != nil {
		return run, err
	}
	now := r.now()
	if err := r.Store.Tx(ctx, func(tx *store.Tx) error { return store.FinishRecomputeRun(ctx, tx, run.ID, now) }); err != nil {
		return run, err
	}
	run.FinishedAt = now.UTC()
	return run, nil
}

// begin resumes the unfinished run for date or starts a new one; with busy
// > 0 it refuses (ErrBusy) while another run started within busy is
// unfinished.
func (r *Recomputer) begin(ctx context.Context, date Date, trigger string, busy time.Duration) (store.RecomputeRun, error) {
	var run store.RecomputeRun
	now := r.now()
	err := r.Store.Tx(ctx, func(tx *store.Tx) error {
		if busy > 0 {
			other, err := store.ActiveRecomputeRun(ctx, tx, now.Add(-busy))
			if err == nil {
				run = other
				return ErrBusy
			}
			if !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		var err error
		run, err = store.UnfinishedRecomputeRun(ctx, tx, date.Time())
		if errors.Is(err, store.ErrNotFound) {
			run, err = store.StartRecomputeRun(ctx, tx, date.Time(), trigger, now)
		}
		return err
	})
	return run, err
}

func progress(run store.RecomputeRun, total, doneBefore int64, elapsed time.Duration) Progress {
	p := Progress{Done: run.Processed, Failed: run.Failed, Total: max(total, run.Processed)}
	if s := elapsed.Seconds(); s > 0 {
		p.Rate = float64(run.Processed-doneBefore) / s
	}
	if p.Rate > 0 {
		p.ETA = time.Duration(float64(p.Total-p.Done) / p.Rate * float64(time.Second))
	}
	return p
}

type batchRead struct {
	cases []store.RecomputeCase
	err   error
}

// readBatches reads open cases after after in batches of size on a
// goroutine, one batch ahead of the consumer. The channel closes at the
// end, after an error, or when ctx is cancelled.
func readBatches(ctx context.Context, st *store.Store, after int64, size int) <-chan batchRead {
	out := make(chan batchRead, 1)
	go func() {
		defer close(out)
		for {
			cases, err := store.OpenCaseBatch(ctx, st, after, size)
			if err == nil && len(cases) == 0 {
				return
			}
			select {
			case out <- batchRead{cases, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
			after = cases[len(cases)-1].ID
		}
	}()
	return out
}

// RefreshCase recomputes one case (open or closed) for date inside the
// caller's transaction, after a person changed its facts (a period, a
// contact, a plan action, a closed deadline), so that the case page and the
// worklist show the result at once instead of after the next nightly run.
// A case Derive refuses is saved with its error code, as in Run.
func (r *Recomputer) RefreshCase(ctx context.Context, tx *store.Tx, caseID int64, date Date) error {
	if r.Engine == nil {
		return errors.New("casework: the recomputer needs a rules engine")
	}
	c, err := store.CaseFactsByID(ctx, tx, caseID)
	if err != nil {
		return err
	}
	batch := []store.RecomputeCase{c}
	ups, _, _ := r.derive(batch, date, r.config())
	return store.SaveRecomputed(ctx, tx, batch, ups, r.now())
}

// derive evaluates a batch and returns the updates, parallel to cases,
// how many failed and how many results are provisional.
func (r *Recomputer) derive(cases []store.RecomputeCase, date Date, cfg Config) (ups []store.CaseUpdate, failed, provisional int64) {
	ups = make([]store.CaseUpdate, len(cases))
	for i := range cases {
		c := &cases[i]
		st, err := Derive(r.Engine, FactsFrom(c, date, r.FMB), cfg)
		if err != nil {
			ups[i] = failedUpdate(c, date, ErrorCode(err))
			failed++
			continue
		}
		ups[i] = update(c.ID, date, &st)
		if len(st.Result.Provisional) > 0 {
			provisional++
		}
	}
	return ups, failed, provisional
}

// ErrorCode is the stable code of an error from Derive: the rules
// engine's code (date_out_of_range, overlapping_periods …),
// "invalid_config" for thresholds out of bounds, or "derive_failed".
func ErrorCode(err error) string {
	var re *rules.Error
	if errors.As(err, &re) && re.Code != "" {
		return re.Code
	}
	var ce *ConfigError
	if errors.As(err, &ce) {
		return "invalid_config"
	}
	return "derive_failed"
}

// update turns a Status into what the store keeps.
func update(id int64, date Date, s *Status) store.CaseUpdate {
	res := &s.Result
	m := &res.Milestones
	u := store.CaseUpdate{
		ID: id,
		State: store.CaseState{
			EvalDate:        date.Time(),
			Provisional:     strings.Join(res.Provisional, ","),
			Sick:            res.Sick,
			ChainDay:        res.ChainDay,
			Phase:           res.ChainPhase,
			Payer:           res.Payer,
			Level:           res.Level,
			Degree:          s.Degree,
			FrameDays:       res.FrameDays,
			SGIKr:           res.SGI,
			DailyAmountKr:   res.DailyAmount,
			Day91:           timeOf(m.Day91),
			Day181:          timeOf(m.Day181),
			Day366:          timeOf(m.Day366),
			ContinuationDay: timeOf(m.ContinuationLevel),
			TimeLimitDay:    timeOf(m.TimeLimit),
			NextDue:         timeOf(s.NextDue),
			NextKind:        s.NextKind,
			WarningCount:    len(s.Warnings),
		},
	}
	if len(s.Deadlines) > 0 {
		u.Deadlines = make([]store.StoredDeadline, len(s.Deadlines))
		for i, d := range s.Deadlines {
			u.Deadlines[i] = store.StoredDeadline{Kind: d.Kind, Key: d.Key, Due: d.Due.Time(), Ref: d.Ref, Done: d.Done, Auto: d.Auto}
			if !d.Done {
				u.State.OpenDeadlines++
			}
		}
	}
	if len(s.Warnings) > 0 {
		u.Warnings = make([]store.StoredWarning, len(s.Warnings))
		for i, w := range s.Warnings {
			u.Warnings[i] = store.StoredWarning{Kind: w.Kind, Rule: w.Rule, Ref: w.Ref, Args: w.Args}
		}
	}
	return u
}

// failedUpdate keeps a case that could not be evaluated where it was: its
// deadlines and warnings stay as stored (nothing is closed or dropped on
// the strength of a failed evaluation), and it keeps its place on the
// worklist. Its figures are cleared, since they would be stale, and the
// error code says why.
func failedUpdate(c *store.RecomputeCase, date Date, code string) store.CaseUpdate {
	u := store.CaseUpdate{
		ID:        c.ID,
		State:     store.CaseState{EvalDate: date.Time(), EvalError: code, WarningCount: len(c.Warnings)},
		Deadlines: make([]store.StoredDeadline, len(c.Deadlines)),
		Warnings:  c.Warnings,
	}
	copy(u.Deadlines, c.Deadlines)
	for _, d := range c.Deadlines {
		if d.Done {
			continue
		}
		u.State.OpenDeadlines++
		if u.State.NextDue.IsZero() || d.Due.Before(u.State.NextDue) {
			u.State.NextDue, u.State.NextKind = d.Due, d.Kind
		}
	}
	return u
}

// timeOf is the stored form of a date: midnight UTC; the zero Date is the
// zero time (NULL).
func timeOf(d Date) time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return d.Time()
}

func (r *Recomputer) batchSize() int {
	if r.BatchSize > 0 {
		return r.BatchSize
	}
	return DefaultBatchSize
}

func (r *Recomputer) config() Config {
	if r.Config == (Config{}) {
		return DefaultConfig()
	}
	return r.Config
}

func (r *Recomputer) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// LatestRun is the newest recompute run, for administrators' pages and
// /metrics; ok is false when none has run yet.
func LatestRun(ctx context.Context, q store.Querier) (run store.RecomputeRun, ok bool, err error) {
	run, err = store.LatestRecomputeRun(ctx, q)
	if errors.Is(err, store.ErrNotFound) {
		return store.RecomputeRun{}, false, nil
	}
	return run, err == nil, err
}
