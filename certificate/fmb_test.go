package certificate

import (
	"strings"
	"testing"
)

func TestDefaultFMBHasTheIssuesDiagnosesWithSources(t *testing.T) {
	f := DefaultFMB()
	for code, days := range map[string]int{
		"F32": 186, "F32.1": 186, "F33": 372, "F33.2": 372, "F43.8": 372, "F43.8A": 372,
		"M54.4": 42, "M544": 42, "M54.5": 14, "m54.5": 14,
	} {
		got, ok := f.MaxDays(code)
		if !ok || got != days {
			t.Errorf("MaxDays(%s) = %d, %v; want %d", code, got, ok, days)
		}
		if e, _ := f.Lookup(code); !strings.HasPrefix(e.Source, "https://") || e.Note == "" {
			t.Errorf("%s: no source or note: %+v", code, e)
		}
	}
	for _, code := range []string{"F43.2", "M54", "J06.9", "", "F"} {
		if _, ok := f.MaxDays(code); ok {
			t.Errorf("%q covered", code)
		}
	}
	var none *FMB
	if _, ok := none.MaxDays("F32"); ok || none.Len() != 0 {
		t.Error("a nil table covers a code")
	}
}

func TestLoadFMBCSVChecksEveryRowAndNamesTheLine(t *testing.T) {
	const header = "code,max,unit,source,note\n"
	good := "# comment\n" + header + "F32,6,mo,https://example.org/f32,\nM54.5,14,d,Socialstyrelsen,\"a, b\"\n"
	f, err := LoadFMBCSV(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := f.MaxDays("M545"); d != 14 || f.Len() != 2 {
		t.Fatalf("got %d, %d rows", d, f.Len())
	}
	for _, tc := range []struct{ csv, want string }{
		{"", "no header"},
		{"diagnos,max\n", "line 1: the header"},
		{header + "F32,6,mo,src\n", "line 2: 4 fields"},
		{header + "F32,6,mo,src,\nXYZ,6,mo,src,\n", "line 3: \"XYZ\" is not an ICD-10-SE code"},
		{header + "F32,0,mo,src,\n", "line 2: max \"0\""},
		{header + "F32,six,mo,src,\n", "line 2: max"},
		{header + "F32,6,months,src,\n", "line 2: unit \"months\""},
		{header + "F32,6,mo, ,\n", "line 2: every row needs a source"},
		{header + "F32,6,mo,a,\nF32.,3,mo,b,\n", "line 3: code F32 appears more than once"},
		{header + "F32,6,mo,\"src,\n", "fmb:"},
	} {
		_, err := LoadFMBCSV(strings.NewReader(tc.csv))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.csv, err, tc.want)
		}
	}
}

func TestEntriesListsTheTableByCode(t *testing.T) {
	f, err := LoadFMBCSV(strings.NewReader("code,max,unit,source,note\nM54.5,14,d,S,\nF32,6,mo,S,n\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := f.Entries()
	if len(got) != 2 || got[0].Code != "F32" || got[0].Days != 186 || got[1].Code != "M545" || got[1].Days != 14 {
		t.Errorf("Entries() = %+v", got)
	}
	if len(DefaultFMB().Entries()) != DefaultFMB().Len() {
		t.Error("the default table's entries are not all listed")
	}
	var none *FMB
	if none.Entries() != nil {
		t.Error("a nil table has entries")
	}
}
