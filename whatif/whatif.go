// Package whatif re-evaluates Försäkringskassan's open sickness cases under
// a rules scenario (package rules, Scenario) beside the law as it stands,
// for one date, and says what would change: how many cases change phase,
// level or payer, and the benefit days and cost of the certified period
// ahead, per office and diagnosis chapter, with a sample of the changed
// cases. It only reads: the cases are streamed in batches (memory does
// not grow with their number) and nothing is written back.
package whatif

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/finsam/finsam/caseload"
	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
)

// Options are what a run re-evaluates, and how.
type Options struct {
	Store *store.Store
	// Base is the law in force; Scenario the engine under the scenario.
	Base, Scenario *rules.Engine
	FMB            *certificate.FMB
	// Date is the day the cases are evaluated on.
	Date civil.Date
	// OfficeID and CustomerGroupID narrow the cases (0: all).
	OfficeID, CustomerGroupID int64
	// BatchSize is the number of cases read at a time (default 2,000).
	BatchSize int
	// SampleSize is how many changed cases the summary lists (default 50).
	SampleSize int
	// Workers is how many batches are read and evaluated at once (default:
	// the number of CPUs, at most 4).
	Workers int
	// Progress, when set, is called after every batch.
	Progress func(Progress)
}

// Progress is how far a run has come.
type Progress struct {
	Done, Total int
}

// Side is one side of the comparison, the law or the scenario.
type Side struct {
	// BenefitDays are the certified days ahead (Date through the case's
	// last certified day) on which Försäkringskassan pays, and CostKr
	// those days at the day's amount, in kronor.
	BenefitDays int64 `json:"benefit_days"`
	CostKr      int64 `json:"cost_kr"`
}

// Group is the cases of one office or diagnosis chapter.
type Group struct {
	Key     string `json:"key"`
	Name    string `json:"name,omitempty"`
	Cases   int    `json:"cases"`
	Changed int    `json:"changed"`
	Real    Side   `json:"real"`
	What    Side   `json:"scenario"`
}

// Change is one case that the scenario changes.
type Change struct {
	CaseID  int64     `json:"case_id"`
	Office  string    `json:"office"`
	Phase   [2]string `json:"phase"`
	Level   [2]string `json:"level"`
	Payer   [2]string `json:"payer"`
	DailyKr [2]int64  `json:"daily_amount_kr"`
}

// Summary is what the scenario changes.
type Summary struct {
	Date     string `json:"date"`
	Scenario string `json:"scenario"`
	// Cases counts the open cases evaluated; Failed those either engine
	// refused (their facts are wrong: the recompute reports them).
	Cases        int      `json:"cases"`
	Failed       int      `json:"failed"`
	Changed      int      `json:"changed"`
	ChangedPhase int      `json:"changed_phase"`
	ChangedLevel int      `json:"changed_level"`
	ChangedPayer int      `json:"changed_payer"`
	Real         Side     `json:"real"`
	What         Side     `json:"scenario_side"`
	ByOffice     []Group  `json:"by_office"`
	ByChapter    []Group  `json:"by_chapter"`
	Sample       []Change `json:"sample"`
	Seconds      float64  `json:"seconds"`
}

// ErrNoEngines means a run was asked for without both engines.
var ErrNoEngines = errors.New("whatif: the law's and the scenario's engines are both needed")

// Run re-evaluates the open cases. It reads through ctx, which the caller
// may mark read-only (store.ReadOnly) so that a replica serves it.
//
// The batches are read and evaluated by Workers goroutines at once, each
// batch on its own (reading is most of the work: the rules take a tenth of
// it), and added up in id order, so that the summary and its sample are
// the same whatever the number of workers. At most two batches a worker
// are held at a time: memory does not grow with the number of cases.
func Run(ctx context.Context, o Options) (Summary, error) {
	if o.Base == nil || o.Scenario == nil || o.Store == nil {
		return Summary{}, ErrNoEngines
	}
	start := time.Now()
	size := o.BatchSize
	if size <= 0 {
		size = 2000
	}
	sample := o.SampleSize
	if sample <= 0 {
		sample = 50
	}
	workers := o.Workers
	if workers <= 0 {
		workers = min(runtime.GOMAXPROCS(0), 4)
	}
	sum := Summary{Date: o.Date.String(), Scenario: o.Scenario.Scenario()}
	offices, err := store.Offices(ctx, o.Store, 0)
	if err != nil {
		return sum, err
	}
	officeName := map[int64]string{}
	for _, of := range offices {
		officeName[of.ID] = of.Name
	}
	total, err := store.OpenCaseCount(ctx, o.Store, o.OfficeID, o.CustomerGroupID)
	if err != nil {
		return sum, err
	}
	marks, err := store.OpenCaseMarks(ctx, o.Store, size)
	if err != nil {
		return sum, err
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type done struct {
		i   int
		t   tally
		err error
	}
	jobs, results := make(chan int), make(chan done)
	tokens := make(chan struct{}, 2*workers) // batches handed out and not yet added up
	go func() {
		defer close(jobs)
		for i := range marks {
			select {
			case tokens <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				t, err := evaluateBatch(ctx, o, marks[i], size, officeName, sample)
				select {
				case results <- done{i, t, err}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	defer func() {
		cancel() // a worker waiting to hand in a batch after an error
		wg.Wait()
	}()

	all := newTally()
	pending := map[int]tally{}
	for next := 0; next < len(marks); {
		r := <-results
		if r.err != nil {
			return sum, r.err
		}
		pending[r.i] = r.t
		for t, ok := pending[next]; ok; t, ok = pending[next] {
			delete(pending, next)
			all.add(t, sample)
			<-tokens
			next++
			if o.Progress != nil {
				o.Progress(Progress{Done: min(all.sum.Cases, total), Total: total})
			}
		}
	}

	all.sum.Date, all.sum.Scenario = sum.Date, sum.Scenario
	sum = all.sum
	for _, g := range all.byOffice {
		sum.ByOffice = append(sum.ByOffice, *g)
	}
	slices.SortFunc(sum.ByOffice, func(a, b Group) int { return strings.Compare(a.Name, b.Name) })
	for _, ch := range append(slices.Clone(caseload.Chapters), caseload.Chapter{ID: caseload.Unknown}) {
		if g := all.byChapter[ch.ID]; g != nil {
			sum.ByChapter = append(sum.ByChapter, *g)
		}
	}
	sum.Seconds = time.Since(start).Seconds()
	return sum, nil
}

// tally is what a batch, or the batches so far, add up to: the summary's
// counts, sides and sample, and the groups by office and chapter.
type tally struct {
	sum       Summary
	byOffice  map[int64]*Group
	byChapter map[string]*Group
}

func newTally() tally {
	return tally{byOffice: map[int64]*Group{}, byChapter: map[string]*Group{}}
}

// add adds t, the batch after those added so far, keeping the first
// sample changed cases.
func (a *tally) add(t tally, sample int) {
	s := &a.sum
	s.Cases += t.sum.Cases
	s.Failed += t.sum.Failed
	s.Changed += t.sum.Changed
	s.ChangedPhase += t.sum.ChangedPhase
	s.ChangedLevel += t.sum.ChangedLevel
	s.ChangedPayer += t.sum.ChangedPayer
	s.Real.add(t.sum.Real)
	s.What.add(t.sum.What)
	if n := sample - len(s.Sample); n > 0 {
		s.Sample = append(s.Sample, t.sum.Sample[:min(n, len(t.sum.Sample))]...)
	}
	for k, g := range t.byOffice {
		if a.byOffice[k] == nil {
			a.byOffice[k] = &Group{Key: g.Key, Name: g.Name}
		}
		a.byOffice[k].addGroup(g)
	}
	for k, g := range t.byChapter {
		if a.byChapter[k] == nil {
			a.byChapter[k] = &Group{Key: g.Key}
		}
		a.byChapter[k].addGroup(g)
	}
}

func (g *Group) addGroup(o *Group) {
	g.Cases += o.Cases
	g.Changed += o.Changed
	g.Real.add(o.Real)
	g.What.add(o.What)
}

// evaluateBatch reads the batch of open cases after the id after and
// evaluates each of the run's cases in it under both engines.
func evaluateBatch(ctx context.Context, o Options, after int64, size int, officeName map[int64]string, sample int) (tally, error) {
	t := newTally()
	sum := &t.sum
	batch, err := store.OpenCaseRulesBatch(ctx, o.Store, after, size)
	if err != nil || len(batch) == 0 {
		return t, err
	}
	places, err := store.CasePlaces(ctx, o.Store, batch[0].ID, batch[len(batch)-1].ID)
	if err != nil {
		return t, err
	}
	for i := range batch {
		c := &batch[i]
		pl := places[c.ID]
		if o.OfficeID != 0 && pl.OfficeID != o.OfficeID || o.CustomerGroupID != 0 && pl.CustomerGroupID != o.CustomerGroupID {
			continue
		}
		sum.Cases++
		f := casework.FactsFrom(c, o.Date, o.FMB)
		in := rules.Input{Date: f.Date, Employment: f.Employment, AnnualIncome: f.AnnualIncome,
			Periods: f.Periods, SeriousIllness: f.SeriousIllness, BirthDate: f.BirthDate}
		real, err1 := o.Base.Evaluate(in, rules.Options{})
		what, err2 := o.Scenario.Evaluate(in, rules.Options{})
		if err1 != nil || err2 != nil {
			sum.Failed++
			continue
		}
		rs, ws := side(real, c.LastDay, o.Date), side(what, c.LastDay, o.Date)
		chapter := caseload.Unknown
		if n := len(c.Certificates); n > 0 {
			latest := slices.MaxFunc(c.Certificates, func(a, b store.RecomputeCertificate) int { return a.SignedAt.Compare(b.SignedAt) })
			chapter = caseload.ChapterOf(latest.DiagnosisCode)
		}
		changed := real.ChainPhase != what.ChainPhase || real.Level != what.Level || real.Payer != what.Payer ||
			real.DailyAmount != what.DailyAmount || rs != ws
		og := t.byOffice[pl.OfficeID]
		if og == nil {
			og = &Group{Key: strconv.FormatInt(pl.OfficeID, 10), Name: officeName[pl.OfficeID]}
			t.byOffice[pl.OfficeID] = og
		}
		cg := t.byChapter[chapter]
		if cg == nil {
			cg = &Group{Key: chapter}
			t.byChapter[chapter] = cg
		}
		for _, g := range []*Group{og, cg} {
			g.Cases++
			g.Real.add(rs)
			g.What.add(ws)
			if changed {
				g.Changed++
			}
		}
		sum.Real.add(rs)
		sum.What.add(ws)
		if real.ChainPhase != what.ChainPhase {
			sum.ChangedPhase++
		}
		if real.Level != what.Level {
			sum.ChangedLevel++
		}
		if real.Payer != what.Payer {
			sum.ChangedPayer++
		}
		if changed {
			sum.Changed++
			if len(sum.Sample) < sample {
				sum.Sample = append(sum.Sample, Change{CaseID: c.ID, Office: officeName[pl.OfficeID],
					Phase: [2]string{real.ChainPhase, what.ChainPhase}, Level: [2]string{real.Level, what.Level},
					Payer: [2]string{real.Payer, what.Payer}, DailyKr: [2]int64{real.DailyAmount, what.DailyAmount}})
			}
		}
	}
	return t, nil
}

// side is one engine's benefit for the certified period ahead: the days
// from date through the case's last certified day, if FK pays on date, at
// date's amount.
func side(r rules.Result, lastDay time.Time, date civil.Date) Side {
	if r.Payer != rules.PayerFK || r.DailyAmount == 0 {
		return Side{}
	}
	days := int64(civil.Of(lastDay).Sub(date) + 1)
	if days <= 0 {
		return Side{}
	}
	return Side{BenefitDays: days, CostKr: days * r.DailyAmount}
}

func (s *Side) add(o Side) {
	s.BenefitDays += o.BenefitDays
	s.CostKr += o.CostKr
}
