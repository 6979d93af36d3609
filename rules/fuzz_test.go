package rules

import (
	"encoding/json"
	"errors"
	"io/fs"
	"maps"
	"testing"
	"testing/fstest"
)

// FuzzParseInput feeds arbitrary bytes to the decoder and, when they
// decode, to Evaluate. Neither may panic; every error must be an *Error;
// an accepted input must survive a JSON round trip unchanged.
func FuzzParseInput(f *testing.F) {
	for _, s := range lineTemplates {
		f.Add([]byte(s))
	}
	for _, s := range []string{
		`{`, `[]`, `null`, `{"date":"2014-13-40"}`, `{"periods":[{"from":"2014-01-01","to":null,"degree":25}]}`,
		`{"date":"2020-02-29","employment":"employee","annual_income":1e3,"periods":[],"serious_illness":null}`,
		"{\"date\":\"\\u0032014-01-01\"}", `{"annual_income":-0.0}`, `{"date":"2014-01-01" , "x" : [1,{"a":[]}]}`,
	} {
		f.Add([]byte(s))
	}
	e, err := New()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := ParseInput(data)
		if err != nil {
			var re *Error
			if !errors.As(err, &re) || re.Code == "" || re.Message == "" || re.MessageSV == "" {
				t.Fatalf("error %v is not a complete *Error", err)
			}
			return
		}
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseInput(b)
		if err != nil {
			t.Fatalf("re-parsing %s: %v", b, err)
		}
		b2, _ := json.Marshal(back)
		if string(b) != string(b2) {
			t.Fatalf("round trip changed %s into %s", b, b2)
		}
		if _, err := e.Evaluate(in, Options{Trace: true}); err != nil {
			var re *Error
			if !errors.As(err, &re) {
				t.Fatalf("error %v is not *Error", err)
			}
		}
	})
}

// FuzzEvaluate builds structurally valid inputs from fuzzed numbers, so
// that the day loop itself (not only the decoder) is explored.
func FuzzEvaluate(f *testing.F) {
	f.Add(int32(5000), uint8(0), uint32(300000), false, int32(4000), uint16(400), uint8(3), uint16(90), uint16(30), uint8(1))
	f.Add(int32(2000), uint8(1), uint32(600000), true, int32(1500), uint16(900), uint8(0), uint16(5), uint16(200), uint8(2))
	e, err := New()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, date int32, emp uint8, income uint32, serious bool,
		start int32, len1 uint16, deg uint8, gap uint16, len2 uint16, open uint8) {
		base := e.historyStart
		span := int32(e.maxDate.Sub(base)) + 1
		mod := func(v, m int32) int32 { return ((v % m) + m) % m }
		in := Input{
			Date:           base.AddDays(int(mod(date, span))),
			Employment:     []Employment{Employee, Unemployed, SelfEmployed}[emp%3],
			AnnualIncome:   float64(income % 2_000_000),
			SeriousIllness: serious,
		}
		from := base.AddDays(int(mod(start, span)))
		p1 := Period{From: from, To: from.AddDays(int(len1 % 1500)), Degree: []int{25, 50, 75, 100}[deg%4]}
		f2 := p1.To.AddDays(1 + int(gap%400))
		p2 := Period{From: f2, To: f2.AddDays(int(len2 % 1500)), Degree: 100}
		if open%2 == 1 {
			p2.To = Date{}
		}
		in.Periods = []Period{p2, p1}
		r, err := e.Evaluate(in, Options{Trace: true})
		if err != nil {
			var re *Error
			if !errors.As(err, &re) {
				t.Fatalf("error %v is not *Error", err)
			}
			return
		}
		if r.Sick && r.ChainDay < 1 {
			t.Fatalf("sick with chain day %d", r.ChainDay)
		}
		if r.FrameDays < 0 || r.FrameDays > 450 {
			t.Fatalf("frame %d", r.FrameDays)
		}
		want := refEvaluate(e, in)
		if r.ChainDay != want.chainDay || r.FrameDays != want.frame || r.Milestones != want.milestones {
			t.Fatalf("differs from the reference: %+v vs %+v", r, want)
		}
	})
}

// FuzzParamFile replaces one parameter file with fuzzed bytes. Loading may
// refuse it, but must not panic; an engine that loads must evaluate without
// panicking and fail only with an *Error.
func FuzzParamFile(f *testing.F) {
	sub, err := fs.Sub(paramFiles, "params")
	if err != nil {
		f.Fatal(err)
	}
	names, err := fs.Glob(sub, "*.json")
	if err != nil || len(names) == 0 {
		f.Fatalf("parameter files: %v %v", names, err)
	}
	files := fstest.MapFS{}
	for i, n := range names {
		b, err := fs.ReadFile(sub, n)
		if err != nil {
			f.Fatal(err)
		}
		files[n] = &fstest.MapFile{Data: b}
		f.Add(uint8(i), b)
	}
	var inputs []Input
	for _, s := range lineTemplates {
		in, err := ParseInput([]byte(s))
		if err != nil {
			f.Fatalf("template %s: %v", s, err)
		}
		inputs = append(inputs, in)
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		m := maps.Clone(files)
		m[names[int(which)%len(names)]] = &fstest.MapFile{Data: data}
		e, err := newFromFS(m)
		if err != nil {
			return
		}
		for _, in := range inputs {
			if _, err := e.Evaluate(in, Options{Trace: true}); err != nil {
				var re *Error
				if !errors.As(err, &re) {
					t.Fatalf("error %v is not *Error", err)
				}
			}
		}
		e.Params()
	})
}
