package jsonread

import (
	"encoding/json"
	"math"
	"testing"
	"unicode/utf8"
)

func TestStrings(t *testing.T) {
	for _, tc := range []struct {
		in, lenient, strict, msg string
	}{
		{`"plain"`, "plain", "plain", ""},
		{`"å\u00e4\n\"\\\/"`, "åä\n\"\\/", "åä\n\"\\/", ""},
		{`"\ud83d\ude00"`, "😀", "😀", ""},
		{`"\ud83dx"`, "\ufffdx", "", "lone surrogate in \\u escape"},
		{`"\ude00"`, "\ufffd", "", "lone surrogate in \\u escape"},
		{`"\ud83d\u0041"`, "\ufffdA", "", "lone surrogate in \\u escape"},
		{`"a\u0000b"`, "a\x00b", "", "NUL character in string"},
		{`"\u12"`, "", "", "invalid \\u escape"},
		{`"\x"`, "", "", "invalid escape"},
		{"\"a\tb\"", "", "", "control character in string"},
		{"\"\xff\"", "", "", "invalid UTF-8 in string"},
		{`"open`, "", "", "unterminated string"},
		{`12`, "", "", "expected string"},
	} {
		for _, strict := range []bool{false, true} {
			r := Reader{B: []byte(tc.in), Strict: strict}
			got, msg := r.String()
			want, wantMsg := tc.lenient, tc.msg
			if strict {
				want = tc.strict
			} else if tc.lenient != "" {
				wantMsg = ""
			}
			if msg != wantMsg || msg == "" && string(got) != want {
				t.Errorf("%s (strict %v): %q %q, want %q %q", tc.in, strict, got, msg, want, wantMsg)
			}
		}
	}
}

func TestNumbers(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
		msg  string
	}{
		{"0", 0, ""}, {"-12", -12, ""}, {"1.5e3", 1500, ""}, {"123456789012345", 123456789012345, ""},
		{"1e400", math.Inf(1), ""}, {"01", 0, ""}, {"-", 0, "expected number"}, {"1.", 0, "expected digit after decimal point"},
		{"1e+", 0, "expected digit in exponent"}, {"x", 0, "expected number"},
	} {
		r := Reader{B: []byte(tc.in)}
		got, msg := r.Number()
		if msg != tc.msg || msg == "" && got != tc.want {
			t.Errorf("%s: %v %q, want %v %q", tc.in, got, msg, tc.want, tc.msg)
		}
	}
}

func TestSkipChecksTheGrammar(t *testing.T) {
	for in, msg := range map[string]string{
		`{"a":[1,true,null,{"b":"c"}]}`: "", `[]`: "", `{}`: "",
		`{"a" 1}`: "expected ':'", `[1 2]`: "expected ']'", `{"a":1`: "unexpected end of input", `nul`: "invalid value",
		`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`: "nesting too deep",
	} {
		r := Reader{B: []byte(in)}
		if got := r.Skip(); got != msg {
			t.Errorf("%s: %q, want %q", in, got, msg)
		}
	}
}

func TestEscapedStringsReuseTheBuffer(t *testing.T) {
	data := []byte(`"a\nb"`)
	r := Reader{B: data}
	r.String()
	if n := testing.AllocsPerRun(100, func() {
		r.I = 0
		if _, msg := r.String(); msg != "" {
			t.Fatal(msg)
		}
	}); n != 0 {
		t.Errorf("%v allocations", n)
	}
}

// FuzzString: a string the lenient reader accepts is the string
// encoding/json decodes, and the strict reader accepts a subset of it.
func FuzzString(f *testing.F) {
	for _, s := range []string{`"a"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\u0000"`, `"\\\"\/\b\f\n\r\t"`, `"å"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		r := Reader{B: []byte(in)}
		got, msg := r.String()
		if msg != "" || r.I != len(in) {
			return
		}
		var want string
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			t.Fatalf("%q: accepted, encoding/json says %v", in, err)
		}
		if utf8.Valid(got) && string(got) != want {
			t.Fatalf("%q: %q, encoding/json %q", in, got, want)
		}
		s := Reader{B: []byte(in), Strict: true}
		if sg, msg := s.String(); msg == "" && string(sg) != string(got) {
			t.Fatalf("%q: strict %q, lenient %q", in, sg, got)
		}
	})
}
