package rules

import (
	"errors"
	"testing"
)

// FuzzParseScenario feeds arbitrary bytes to the scenario reader. A
// scenario it accepts must build an engine or be refused with an *Error,
// and that engine must evaluate without panicking; every problem it
// refuses with names a stable code.
func FuzzParseScenario(f *testing.F) {
	for _, s := range []string{
		`{"name":"SGI cap 10 pbb","params":[{"name":"sgi_cap_pbb","values":[{"from":"2026-01-01","value":"10","source":"what-if"}]}]}`,
		`{"name":"continuation 80","description":"x","params":[{"name":"rate_continuation","values":[{"from":"2008-07-01","value":"0.80","source":"what-if"}]}]}`,
		`{"name":"time limit today","params":[{"name":"continuation_max_days","values":[{"from":"2016-02-01","value":"550","source":"what-if"}]}]}`,
		`{"name":"unknown","params":[{"name":"karensvecka","values":[{"from":"2026-01-01","value":"1","source":"x"}]}]}`,
		`{"name":"","params":[]}`,
		`{"name":"x","params":[{"name":"prisbasbelopp","values":[{"from":"2026-01-01","to":"2025-01-01","value":"-1"}]}]}`,
		`[]`, `{`, `{"name":1}`,
	} {
		f.Add([]byte(s))
	}
	base, err := New()
	if err != nil {
		f.Fatal(err)
	}
	in, err := ParseInput([]byte(lineTemplates[0]))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, problems := ParseScenario(data)
		for _, p := range problems {
			if p == nil || p.Code == "" {
				t.Fatalf("a refused scenario without a code: %v", problems)
			}
		}
		if len(problems) > 0 {
			return
		}
		e, perr := base.WithScenario(sc)
		if perr != nil {
			if perr.Code == "" {
				t.Fatalf("WithScenario refused without a code: %v", perr)
			}
			return
		}
		if _, err := e.Evaluate(in, Options{Trace: true}); err != nil {
			var re *Error
			if !errors.As(err, &re) {
				t.Fatalf("error %v is not *Error", err)
			}
		}
	})
}

// FuzzParamUpdate feeds arbitrary fields to a stored parameter value, as an
// administrator's form or `finsam rules params set` hands them over: it is
// accepted or refused with coded problems, never a panic.
func FuzzParamUpdate(f *testing.F) {
	f.Add("prisbasbelopp", "2031-01-01", "2031-12-31", "61000", "SFS 2030:1")
	f.Add("prisbasbelopp", "2026-01-01", "2026-12-31", "59200", "x")
	f.Add("rate_normal", "2030-01-01", "", "0.85", "what-if")
	f.Add("sgi_cap_pbb", "2030-01-01", "", "-3", "")
	f.Add("no_such", "2030-13-01", "2030-01-01", "abc", "x")
	base, err := New()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, name, from, to, value, source string) {
		e, problems := base.WithUpdate(ParamUpdate{Name: name, From: from, To: to, Value: value, Source: source})
		for _, p := range problems {
			if p == nil || p.Code == "" {
				t.Fatalf("a refused value without a code: %v", problems)
			}
		}
		if len(problems) == 0 && e == nil {
			t.Fatal("no engine and no problem")
		}
	})
}
