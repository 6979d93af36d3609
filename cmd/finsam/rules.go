package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/web"
)

const rulesSynopsis = "evaluate|batch|params [flags]"

const rulesHelp = `
Computes Swedish sickness benefit (sjukpenning) and where a sick-leave case
stands in the rehabilitation chain, for any day from 2008-07-01 to the end of
the last year with a prisbasbelopp. Every answer names the rules it applied
and their paragraphs in the law. Nothing is read from or written to the
database.

  finsam rules evaluate [--explain] < case.json
      Reads one situation as JSON on standard input and prints where the
      case stands on its date, as one line of JSON. --explain prints the
      same as readable Swedish text instead. Bad input prints
      {"error":{"code":…,"message":…,"field":…}} and exits with status 1.
  finsam rules batch [--no-trace] < cases.jsonl > results.jsonl
      Reads one situation per line (JSON Lines) and writes one result per
      line in the same order, for any number of lines. A bad line gets an
      error object and the run goes on. --no-trace leaves out the list of
      rules applied, which makes the output much smaller.
  finsam rules params [--json]
      Lists the legislation parameters the engine uses, each value with the
      dates it applies, its legal reference and the source it was checked
      against.

A situation looks like this (to may be left out while the sick leave goes
on; serious_illness is optional):

  {"date":"2014-06-30","employment":"employee","annual_income":300000,
   "periods":[{"from":"2014-01-01","to":"2014-12-31","degree":100}],
   "serious_illness":false}

employment is employee, unemployed or self_employed; annual_income is in
kronor per year; degree is 25, 50, 75 or 100 (percent sick leave).
POST /api/v1/rules/evaluate answers exactly as 'finsam rules evaluate'.`

func runRules(ctx context.Context, e *env, args []string) error {
	sub, args, err := subcommand(e, "rules", rulesSynopsis, rulesHelp, args, "evaluate", "batch", "params")
	if err != nil {
		return err
	}
	switch sub {
	case "evaluate":
		return runRulesEvaluate(e, args)
	case "batch":
		return runRulesBatch(ctx, e, args)
	}
	return runRulesParams(e, args)
}

const rulesEvaluateHelp = `
Reads one situation as a JSON object on standard input and prints where the
case stands on its date as one line of JSON: chain day and phase, who pays,
level, frame days, SGI, daily amounts, milestone dates and the trace of the
rules applied with their legal references.

With --explain it prints the same as readable Swedish text for a case worker.

Bad input (malformed JSON, an impossible date, an unknown employment, a
degree other than 25/50/75/100, overlapping periods, …) prints
{"error":{"code":…,"message":…,"field":…}} on standard output and exits with
status 1; field is the JSON path of the offending value, e.g. periods[1].to.

Example:
  echo '{"date":"2014-06-30","employment":"employee","annual_income":300000,"periods":[{"from":"2014-01-01","degree":100}]}' | finsam rules evaluate --explain`

func runRulesEvaluate(e *env, args []string) error {
	fs := newFlagSet(e, "rules evaluate", "[--explain] < input.json", rulesEvaluateHelp)
	explain := fs.Bool("explain", false, "print the result and its rules as Swedish text instead of JSON")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	engine, err := rules.New()
	if err != nil {
		return err
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
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
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

--json prints the same as a JSON array for programs.`

// paramJSON is one row of 'finsam rules params --json'.
type paramJSON struct {
	Name   string     `json:"name"`
	From   rules.Date `json:"from"`
	To     rules.Date `json:"to"`
	Value  string     `json:"value"`
	Unit   string     `json:"unit"`
	Ref    string     `json:"ref"`
	Source string     `json:"source"`
	Note   string     `json:"note"`
	Origin string     `json:"origin"`
}

func runRulesParams(e *env, args []string) error {
	fs := newFlagSet(e, "rules params", "[--json]", rulesParamsHelp)
	asJSON := fs.Bool("json", false, "print a JSON array instead of a table")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	engine, err := rules.New()
	if err != nil {
		return err
	}
	rows := engine.Params()
	if *asJSON {
		out := make([]paramJSON, len(rows))
		for i, r := range rows {
			out[i] = paramJSON(r)
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PARAMETER\tFROM\tTO\tVALUE\tUNIT\tREFERENCE\tSOURCE\tNOTE")
	for _, r := range rows {
		to := r.To.String()
		if to == "" {
			to = "–"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Name, r.From, to, r.Value, r.Unit,
			oneLineText(r.Ref), oneLineText(r.Source), oneLineText(r.Note))
	}
	return tw.Flush()
}

// oneLineText keeps a table row on one line whatever the parameter files
// hold, so that the table can be read with grep.
func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }
