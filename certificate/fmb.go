package certificate

import (
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// FMB is a table of Socialstyrelsen's recommended maximum sick leave per
// diagnosis (försäkringsmedicinskt beslutsstöd), with the source of each
// value. It is immutable once built and safe for concurrent use.
type FMB struct {
	entries map[string]FMBEntry
}

// FMBEntry is one row of the table.
type FMBEntry struct {
	// Code is the normalised ICD-10-SE code (no dot); it covers every more
	// detailed code that starts with it.
	Code string `json:"code"`
	// Max and Unit are the recommendation as written ("6" "mo").
	Max  int    `json:"max"`
	Unit string `json:"unit"`
	// Days is Max converted to days as Webcert does (wk = 7, mo = 31).
	Days   int    `json:"days"`
	Source string `json:"source"`
	Note   string `json:"note"`
}

//go:embed fmbdata/fmb.csv
var defaultFMBCSV string

// DefaultFMB returns the table shipped with finsam (fmbdata/fmb.csv: F32,
// F33, F43.8, M54.4 and M54.5 with their sources; see the file's header for
// how current the values are). The table is parsed once and shared; it is
// immutable.
func DefaultFMB() *FMB { return defaultFMB() }

var defaultFMB = sync.OnceValue(func() *FMB {
	f, err := LoadFMBCSV(strings.NewReader(defaultFMBCSV))
	if err != nil {
		// The embedded file is checked by the tests; failing here would
		// be a build defect, not an input error.
		panic("certificate: embedded FMB table: " + err.Error())
	}
	return f
})

// unitDays converts FMB's units to days (Webcert's TidEnhet: d, wk = 7,
// mo = 31).
var unitDays = map[string]int{"d": 1, "wk": 7, "mo": 31}

// LoadFMBCSV reads an FMB table as CSV with the header
// code,max,unit,source,note and '#' comment lines. Every row is checked:
// a well-formed ICD-10-SE code given once, a whole max of 1–999, unit d,
// wk or mo, and a source. Errors name the line.
func LoadFMBCSV(r io.Reader) (*FMB, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	f := &FMB{entries: map[string]FMBEntry{}}
	header := true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("fmb: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if header {
			if strings.Join(rec, ",") != "code,max,unit,source,note" {
				return nil, fmt.Errorf("fmb: line %d: the header must be code,max,unit,source,note", line)
			}
			header = false
			continue
		}
		if len(rec) != 5 {
			return nil, fmt.Errorf("fmb: line %d: %d fields, want 5", line, len(rec))
		}
		e, err := fmbRow(rec)
		if err != nil {
			return nil, fmt.Errorf("fmb: line %d: %w", line, err)
		}
		if _, dup := f.entries[e.Code]; dup {
			return nil, fmt.Errorf("fmb: line %d: code %s appears more than once", line, e.Code)
		}
		f.entries[e.Code] = e
	}
	if header {
		return nil, errors.New("fmb: no header line")
	}
	return f, nil
}

func fmbRow(rec []string) (FMBEntry, error) {
	code := NormalizeDiagnosisCode(strings.TrimSpace(rec[0]))
	if !diagnosisSyntax(code) || len(code) > 5 {
		return FMBEntry{}, fmt.Errorf("%q is not an ICD-10-SE code", rec[0])
	}
	max, err := strconv.Atoi(strings.TrimSpace(rec[1]))
	if err != nil || max < 1 || max > 999 {
		return FMBEntry{}, fmt.Errorf("max %q is not a whole number from 1 to 999", rec[1])
	}
	unit := strings.TrimSpace(rec[2])
	per, ok := unitDays[unit]
	if !ok {
		return FMBEntry{}, fmt.Errorf("unit %q is not d, wk or mo", rec[2])
	}
	source := strings.TrimSpace(rec[3])
	if source == "" {
		return FMBEntry{}, errors.New("every row needs a source")
	}
	return FMBEntry{Code: code, Max: max, Unit: unit, Days: max * per, Source: source,
		Note: strings.TrimSpace(rec[4])}, nil
}

// Lookup returns the entry that covers code: the entry for the code itself
// or, failing that, for the longest shorter code it starts with (F32.1 is
// covered by F32), down to the three-character category.
func (f *FMB) Lookup(code string) (FMBEntry, bool) {
	if f == nil {
		return FMBEntry{}, false
	}
	c := NormalizeDiagnosisCode(strings.TrimSpace(code))
	for n := len(c); n >= 3; n-- {
		if e, ok := f.entries[c[:n]]; ok {
			return e, true
		}
	}
	return FMBEntry{}, false
}

// MaxDays returns the recommended maximum sick leave in days for code, and
// whether the table covers it.
func (f *FMB) MaxDays(code string) (int, bool) {
	e, ok := f.Lookup(code)
	return e.Days, ok
}

// Len returns the number of rows.
func (f *FMB) Len() int {
	if f == nil {
		return 0
	}
	return len(f.entries)
}

// Entries returns the rows of the table ordered by code, for showing it.
func (f *FMB) Entries() []FMBEntry {
	if f == nil {
		return nil
	}
	out := make([]FMBEntry, 0, len(f.entries))
	for _, e := range f.entries {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}
