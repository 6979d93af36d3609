package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/intake"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/whatif"
)

const rulesWhatifHelp = `
Re-evaluates every open sickness case in the database under a scenario (a
named set of parameter overrides, as for 'finsam rules evaluate
--scenario') beside the law with the values stored since the release, on
one day, and prints what would change as one JSON object: the cases that
change phase, level or payer, the benefit days and cost in kronor of the
certified period ahead (the day through each case's last certified day, at
the day's amount) under the law and under the scenario, per office and
diagnosis chapter, and a sample of the changed cases. It only reads; the
cases are read in batches, so memory does not grow with their number.

A scenario that is refused prints its problems as error objects, one per
line, and exits with status 1; nothing is run.

Example:
  finsam rules whatif --scenario kortare-normalniva.json --date 2026-11-23`

func runRulesWhatif(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "rules whatif", "--scenario FILE [--date YYYY-MM-DD] [--office ID] [--group ID]", rulesWhatifHelp)
	var db dbFlags
	db.register(fs, e)
	file := fs.String("scenario", "", "the scenario in `FILE`")
	date := fs.String("date", "", "evaluate the cases on `YYYY-MM-DD` (default: today in Sweden)")
	office := fs.Int64("office", 0, "only the open cases of the office with this `ID`")
	group := fs.Int64("group", 0, "only the open cases of the customer group with this `ID`")
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	if *file == "" {
		fmt.Fprintf(e.stderr, "--scenario is required\n\n")
		fs.Usage()
		return errUsage
	}
	day, err := dayFlag(e, fs, "date", *date)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(*file)
	if err != nil {
		return err
	}
	st, loaded, err := openRules(ctx, &db)
	if err != nil {
		return err
	}
	defer st.Close()
	base := loaded.Engine
	sc, problems := rules.ParseScenario(data)
	var scenario *rules.Engine
	if len(problems) == 0 {
		var perr *rules.Error
		if scenario, perr = base.WithScenario(sc); perr != nil {
			problems = []*rules.Error{perr}
		}
	}
	if first, last := base.DateRange(); len(problems) == 0 && (day.Before(first) || day.After(last)) {
		fmt.Fprintf(e.stderr, "--date %s: outside the rules' dates %s – %s\n\n", day, first, last)
		return errUsage
	}
	if len(problems) > 0 {
		return printProblems(e, problems)
	}
	fmb, _, err := intake.StoredFMB(ctx, st)
	if err != nil {
		return fmt.Errorf("the stored FMB table: %w", err)
	}
	var pr *progressLine
	o := whatif.Options{Store: st, Base: base, Scenario: scenario, FMB: fmb, Date: day, OfficeID: *office, CustomerGroupID: *group}
	if isTerminal(e.stderr) {
		pr = &progressLine{w: e.stderr}
		o.Progress = func(p whatif.Progress) { pr.show(casework.Progress{Done: int64(p.Done), Total: int64(p.Total)}) }
	}
	sum, err := whatif.Run(store.ReadOnly(ctx, 0), o)
	pr.end()
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	return enc.Encode(sum)
}
