package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/ruleset"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web"
)

const rulesSynopsis = "evaluate|batch|params|scenarios|whatif [flags]"

const rulesHelp = `
Computes Swedish sickness benefit (sjukpenning) and where a sick-leave case
stands in the rehabilitation chain, for any day from 2008-07-01 to three
years past the last year with a prisbasbelopp; past the newest value of a
parameter the value is carried forward and the result names it under
"provisional". Every answer names the rules it applied and their paragraphs
in the law. evaluate, batch and params use the parameters built into finsam
and touch no database; params set, params --stored and scenarios work on
the database of --data or --database.

  finsam rules evaluate [--explain] [--scenario FILE] < case.json
      Reads one situation as JSON on standard input and prints where the
      case stands on its date, as one line of JSON. --explain prints the
      same as readable Swedish text instead; --scenario evaluates under the
      parameter overrides of a scenario file. Bad input prints
      {"error":{"code":…,"message":…,"field":…}} and exits with status 1.
  finsam rules batch [--no-trace] < cases.jsonl > results.jsonl
      Reads one situation per line (JSON Lines) and writes one result per
      line in the same order, for any number of lines. A bad line gets an
      error object and the run goes on. --no-trace leaves out the list of
      rules applied, which makes the output much smaller.
  finsam rules params [--json]
      Lists the legislation parameters the engine uses, each value with the
      dates it applies, its legal reference and the source it was checked
      against. --stored adds the values stored in the database.
  finsam rules params set --name NAME --from DATE --value VALUE --source SOURCE
      Stores a value added after the release (a new year's prisbasbelopp, a
      new level or cap), in force in every finsam server within a minute.
  finsam rules scenarios [add FILE]
      Lists the stored scenarios, or stores the scenario in FILE.
  finsam rules whatif --scenario FILE [--date D] [--office ID] [--group ID]
      Re-evaluates every open case in the database under the scenario in
      FILE beside the law, on D (default today), and prints what would
      change as one JSON object. It only reads.

A situation looks like this (to may be left out while the sick leave goes
on; serious_illness, birth_date, karenstid_days and karenstid_from are
optional):

  {"date":"2014-06-30","employment":"employee","annual_income":300000,
   "periods":[{"from":"2014-01-01","to":"2014-12-31","degree":100}],
   "serious_illness":false}

employment is employee, unemployed or self_employed; annual_income is in
kronor per year; degree is 25, 50, 75 or 100 (percent sick leave).
birth_date (YYYY-MM-DD) applies the age limit of SFB 27 kap. 36 §.
karenstid_days is a self-employed person's chosen karenstid (1, 14, 30, 60
or 90 days), from karenstid_from on if given (27 kap. 29–31 §§).
POST /api/v1/rules/evaluate answers exactly as 'finsam rules evaluate'.`

func runRules(ctx context.Context, e *env, args []string) error {
	sub, args, err := subcommand(e, "rules", rulesSynopsis, rulesHelp, args, "evaluate", "batch", "params", "scenarios", "whatif")
	if err != nil {
		return err
	}
	switch sub {
	case "evaluate":
		return runRulesEvaluate(e, args)
	case "batch":
		return runRulesBatch(ctx, e, args)
	case "scenarios":
		return runRulesScenarios(ctx, e, args)
	case "whatif":
		return runRulesWhatif(ctx, e, args)
	}
	if len(args) > 0 && args[0] == "set" {
		return runRulesParamsSet(ctx, e, args[1:])
	}
	return runRulesParams(ctx, e, args)
}

const rulesEvaluateHelp = `
Reads one situation as a JSON object on standard input and prints where the
case stands on its date as one line of JSON: chain day and phase, who pays,
level, frame days, SGI, daily amounts, milestone dates and the trace of the
rules applied with their legal references.

With --explain it prints the same as readable Swedish text for a case worker.

With --scenario FILE it evaluates under a scenario: a named set of parameter
overrides written as the parameter files are, for example
  {"name": "SGI cap 12 pbb", "params": [{"name": "sgi_cap_pbb",
   "values": [{"from": "2022-01-01", "value": "12.0"}]}]}
The trace names each overridden value (step scenario_override). A scenario
that is refused prints its problems as error objects, one per line, and
exits with status 1.

Bad input (malformed JSON, an impossible date, an unknown employment, a
degree other than 25/50/75/100, overlapping periods, …) prints
{"error":{"code":…,"message":…,"field":…}} on standard output and exits with
status 1; field is the JSON path of the offending value, e.g. periods[1].to.

Example:
  echo '{"date":"2014-06-30","employment":"employee","annual_income":300000,"periods":[{"from":"2014-01-01","degree":100}]}' | finsam rules evaluate --explain`

func runRulesEvaluate(e *env, args []string) error {
	fs := newFlagSet(e, "rules evaluate", "[--explain] [--scenario FILE] < input.json", rulesEvaluateHelp)
	explain := fs.Bool("explain", false, "print the result and its rules as Swedish text instead of JSON")
	scenario := fs.String("scenario", "", "evaluate under the parameter overrides of the scenario in `FILE`")
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	engine, err := rules.New()
	if err != nil {
		return err
	}
	if *scenario != "" {
		data, err := os.ReadFile(*scenario)
		if err != nil {
			return err
		}
		sc, problems := rules.ParseScenario(data)
		if len(problems) == 0 {
			var perr *rules.Error
			if engine, perr = engine.WithScenario(sc); perr != nil {
				problems = []*rules.Error{perr}
			}
		}
		if len(problems) > 0 {
			return printProblems(e, problems)
		}
	}
	// Read one byte past the limit to tell a full input from a cut one.
	input, err := io.ReadAll(io.LimitReader(e.stdin, web.MaxRulesInputBytes+1))
	if err != nil {
		return fmt.Errorf("read standard input: %w", err)
	}
	out, problem := web.EvaluateRulesJSON(engine, input)
	if problem != nil {
		if _, err := e.stdout.Write(out); err != nil {
			return err
		}
		return exitError{code: 1}
	}
	if *explain {
		// The input is valid: EvaluateRulesJSON accepted it. Evaluating it
		// again costs microseconds and keeps the JSON path free of text.
		in, err := rules.ParseInput(input)
		if err != nil {
			return err
		}
		res, err := engine.Evaluate(in, rules.Options{Trace: true})
		if err != nil {
			return err
		}
		out = []byte(rules.ExplainSV(res))
	}
	_, err = e.stdout.Write(out)
	return err
}

const rulesBatchHelp = `
Reads situations as JSON Lines on standard input (one JSON object per line,
the same shape as for 'finsam rules evaluate') and writes one result per
line on standard output, in the same order. Memory stays the same whatever
the number of lines, so millions of cases can be piped through.

A bad line gets {"error":{"code":…,"message":…,"field":…}} on its output
line and the run goes on; the exit status is 0 once every line has an answer.
It is 1 only when reading or writing fails.

By default every result carries its trace (the rules applied, with their
legal references); --no-trace leaves it out ("trace":[]), which makes the
output several times smaller and the run faster.`

func runRulesBatch(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "rules batch", "[--no-trace] < input.jsonl > output.jsonl", rulesBatchHelp)
	noTrace := fs.Bool("no-trace", false, "leave out the trace of the rules applied")
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	engine, err := rules.New()
	if err != nil {
		return err
	}
	return rules.Batch(ctx, e.stdin, e.stdout, engine, rules.Options{Trace: !*noTrace})
}

const rulesParamsHelp = `
Lists every value of every legislation parameter the engine uses: the name,
the first and last day the value applies ("–" while it still applies), the
value and its unit, the paragraph in the law that carries it, the official
source it was checked against, and a note where a source left doubt.

With --stored it adds the values an administrator stored in the database
since the release (origin "stored"), and says which of them the engine
leaves out because the release now carries a value for the same day.

--json prints the same as a JSON array for programs.`

func runRulesParams(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "rules params", "[--json] [--stored]", rulesParamsHelp)
	asJSON := fs.Bool("json", false, "print a JSON array instead of a table")
	stored := fs.Bool("stored", false, "add the values stored in the database")
	var db dbFlags
	db.register(fs, e)
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	engine, err := rules.New()
	if err != nil {
		return err
	}
	if *stored {
		st, loaded, err := openRules(ctx, &db)
		if err != nil {
			return err
		}
		defer st.Close()
		engine = loaded.Engine
		for _, p := range loaded.Problems {
			fmt.Fprintf(e.stderr, "stored value %d (%s from %s) is left out: %s\n", p.Value.ID, p.Value.Name,
				p.Value.From.Format(time.DateOnly), p.Errors[0].Message)
		}
	}
	rows := engine.Params()
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(rows)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PARAMETER\tFROM\tTO\tVALUE\tUNIT\tREFERENCE\tSOURCE\tNOTE\tORIGIN")
	for _, r := range rows {
		to := r.To.String()
		if to == "" {
			to = "–"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Name, r.From, to, r.Value, r.Unit,
			oneLineText(r.Ref), oneLineText(r.Source), oneLineText(r.Note), r.Origin)
	}
	return tw.Flush()
}

// oneLineText keeps a table row on one line whatever the parameter files
// hold, so that the table can be read with grep.
func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }

// ruleWriteError is err of a write to the rule set as the command answers
// it: when the rule set refused the write, its problems printed and exit
// status 1; any other error as it is.
func ruleWriteError(e *env, err error) error {
	var inv *ruleset.Invalid
	if errors.As(err, &inv) {
		return printProblems(e, inv.Problems)
	}
	return err
}

// printProblems prints each problem as {"error":{"code","message","field"}}
// on its own line, as the rules commands answer bad input, and exits 1.
func printProblems(e *env, problems []*rules.Error) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	for _, p := range problems {
		if err := enc.Encode(struct {
			Error *rules.Error `json:"error"`
		}{p}); err != nil {
			return err
		}
	}
	return exitError{code: 1}
}

const rulesParamsSetHelp = `
Stores a value of a legislation parameter that the release does not carry:
the prisbasbelopp of a new year, a new level or cap. It is checked against
the built-in values and those stored before it (the value's type and range,
dates in order, no overlap with a value in force, no built-in value on the
same day, a source), stored with an entry in the audit log, and used by
every finsam server of the database within a minute. A value left open
(no --to) ends the open value before it; a prisbasbelopp always covers one
calendar year.

A refused value prints each problem as {"error":{"code":…,"message":…,
"field":…}} on its own line and exits with status 1; nothing is stored.

Example:
  finsam rules params set --name prisbasbelopp --from 2028-01-01 --value 60500 \
    --source "SFS 2027:999"`

func runRulesParamsSet(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "rules params set", "--name NAME --from DATE --value VALUE --source SOURCE [flags]", rulesParamsSetHelp)
	var u rules.ParamUpdate
	fs.StringVar(&u.Name, "name", "", "the parameter's `NAME`, as 'finsam rules params' lists it")
	fs.StringVar(&u.From, "from", "", "the first `DATE` (YYYY-MM-DD) the value applies")
	fs.StringVar(&u.To, "to", "", "the last `DATE` it applies; leave out while it applies until further notice")
	fs.StringVar(&u.Value, "value", "", "the `VALUE`, written as in the parameter files (59600, 0.80, none …)")
	fs.StringVar(&u.Source, "source", "", "where the value was published: an SFS number or an address")
	fs.StringVar(&u.Ref, "ref", "", "the paragraph that carries it; default that of the value before it")
	fs.StringVar(&u.Note, "note", "", "what could not be confirmed, in plain words")
	db, keys := storeFlags(fs, e)
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	st, err := db.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	auditKeys, err := keys.load(true)
	if err != nil {
		return err
	}
	id, err := ruleset.AddValue(ctx, st, auditKeys, cliEvent("", "", "", ""), u, cliActor(), time.Now())
	if err != nil {
		return ruleWriteError(e, err)
	}
	fmt.Fprintf(e.stdout, "stored %s = %s from %s (value %d)\n", u.Name, strings.TrimSpace(u.Value), u.From, id)
	return nil
}

const rulesScenariosHelp = `
Without arguments, lists the stored parameter scenarios: name, what each
overrides and who stored it when. With 'add FILE' it stores the scenario in
FILE (JSON, as for 'finsam rules evaluate --scenario'; it must have a name
no stored scenario has), with an entry in the audit log. The API evaluates
under a stored scenario with POST /api/v1/rules/evaluate?scenario=NAME.

A refused scenario prints each problem as an error object on its own line
and exits with status 1; nothing is stored.`

func runRulesScenarios(ctx context.Context, e *env, args []string) error {
	add := len(args) > 0 && args[0] == "add"
	if add {
		args = args[1:]
	}
	fs := newFlagSet(e, "rules scenarios", "[add FILE]", rulesScenariosHelp)
	db, keys := storeFlags(fs, e)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	var file string
	if add && fs.NArg() > 0 {
		// The file may come before the flags.
		file = fs.Arg(0)
		if err := parse(e, fs, fs.Args()[1:]); err != nil {
			return err
		}
	}
	if add == (file == "") || fs.NArg() > 0 {
		return badUsage(fs)
	}
	st, err := db.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if add {
		data, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		auditKeys, err := keys.load(true)
		if err != nil {
			return err
		}
		sc, err := ruleset.AddScenario(ctx, st, auditKeys, cliEvent("", "", "", ""), data, cliActor(), time.Now())
		if err != nil {
			return ruleWriteError(e, err)
		}
		fmt.Fprintf(e.stdout, "stored scenario %q\n", sc.Name)
		return nil
	}
	all, err := store.RuleScenarios(ctx, st)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tOVERRIDES\tSTORED\tBY\tDESCRIPTION")
	for _, s := range all {
		var names []string
		if sc, problems := rules.ParseScenario([]byte(s.Body)); len(problems) == 0 {
			for _, r := range sc.Overrides() {
				names = append(names, r.Name+"="+r.Value)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Name, strings.Join(names, " "), s.CreatedAt.Format(time.DateOnly), s.CreatedBy,
			oneLineText(s.Description))
	}
	return tw.Flush()
}
