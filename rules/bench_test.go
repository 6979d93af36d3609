package rules

import (
	"context"
	"encoding/json"
	"io"
	"testing"
)

// benchCases are the inputs the benchmarks evaluate: a typical recent case
// (two periods, unemployed, 2023) and a long case in the time-limit years
// (790 sick days).
var benchCases = []struct{ name, json string }{
	{"typical", lineTemplates[1]},
	{"long", lineTemplates[2]},
}

func BenchmarkEvaluate(b *testing.B) {
	benchEvaluate(b, testEngine(b), Options{})
}

func BenchmarkEvaluateTrace(b *testing.B) {
	benchEvaluate(b, testEngine(b), Options{Trace: true})
}

// benchEvaluate times e evaluating each of benchCases with opts.
func benchEvaluate(b *testing.B, e *Engine, opts Options) {
	for _, c := range benchCases {
		in, err := ParseInput([]byte(c.json))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.Evaluate(in, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecodeInput is the baseline ParseInput is compared with: decoding
// the same JSON input with encoding/json. ParseInput, the decoder Batch uses,
// is measured beside it.
func BenchmarkDecodeInput(b *testing.B) {
	for _, c := range benchCases {
		data := []byte(c.json)
		b.Run(c.name+"/encoding-json", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var in Input
				if err := json.Unmarshal(data, &in); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/ParseInput", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseInput(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBatch streams b.N generated lines (the four templates in turn)
// through Batch into io.Discard; ns/op is the cost of one line end to end:
// read, decode, evaluate, encode, write. Run with -benchtime=1000000x for
// the 1 M-line figure.
func BenchmarkBatch(b *testing.B) {
	e := testEngine(b)
	for _, opt := range []struct {
		name string
		opt  Options
	}{{"no-trace", Options{}}, {"trace", Options{Trace: true}}} {
		b.Run(opt.name, func(b *testing.B) {
			b.ReportAllocs()
			if err := Batch(context.Background(), &generatedLines{n: b.N}, io.Discard, e, opt.opt); err != nil {
				b.Fatal(err)
			}
		})
	}
}

// BenchmarkEvaluateScenario evaluates the same inputs under a scenario (a
// higher SGI cap), with the scenario's engine built once as a stored
// scenario's is.
func BenchmarkEvaluateScenario(b *testing.B) {
	sc, errs := ParseScenario([]byte(capScenario))
	if errs != nil {
		b.Fatal(errs)
	}
	e, err := testEngine(b).WithScenario(sc)
	if err != nil {
		b.Fatal(err)
	}
	benchEvaluate(b, e, Options{})
}

// BenchmarkInlineScenario is an API call with an inline scenario: parse
// the scenario, build its engine and evaluate once.
func BenchmarkInlineScenario(b *testing.B) {
	base := testEngine(b)
	in, err := ParseInput([]byte(benchCases[0].json))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		sc, errs := ParseScenario([]byte(capScenario))
		if errs != nil {
			b.Fatal(errs)
		}
		e, perr := base.WithScenario(sc)
		if perr != nil {
			b.Fatal(perr)
		}
		if _, err := e.Evaluate(in, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
