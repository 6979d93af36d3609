package association

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"sync"
)

// The code lists. Each is a JSON file in codes/ with its source, and a note
// where the list could not be confirmed complete.
const (
	ListIncomeSource = "income_source" // försörjningskälla
	ListOccupation   = "occupation"    // sysselsättning
	ListEducation    = "education"     // utbildningsnivå
	ListEndReason    = "end_reason"    // avslutsanledning
	ListAgeGroup     = "age_group"     // åldersgrupp
	ListSex          = "sex"           // kön
)

// Flags a code may carry.
const (
	FlagWork      = "work"      // counts as in work (occupation, end reason, income source)
	FlagStudies   = "studies"   // counts as in studies
	FlagPublic    = "public"    // offentlig försörjning (income source)
	FlagExclusive = "exclusive" // cannot be combined with another income source ("none")
	FlagExclude   = "exclude"   // the registration is left out of outcome figures ("wrong registration")
)

var listNames = []string{ListIncomeSource, ListOccupation, ListEducation, ListEndReason, ListAgeGroup, ListSex}

//go:embed codes/*.json
var codeFiles embed.FS

// Code is one value of a code list.
type Code struct {
	Code  string   `json:"code"`
	SV    string   `json:"sv"`
	EN    string   `json:"en"`
	Flags []string `json:"flags,omitempty"`
	// MinAge and MaxAge bound an age group (MaxAge 0: no upper bound).
	MinAge int `json:"min_age,omitempty"`
	MaxAge int `json:"max_age,omitempty"`
}

// Has reports whether the code carries the flag.
func (c Code) Has(flag string) bool { return slices.Contains(c.Flags, flag) }

// CodeList is one list with where it comes from.
type CodeList struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Source      string `json:"source"`
	// Complete is false when the official list could not be confirmed; Note
	// then says what is ours.
	Complete bool   `json:"complete"`
	Note     string `json:"note"`
	Codes    []Code `json:"codes"`
}

// Lookup finds a code.
func (l *CodeList) Lookup(code string) (Code, bool) {
	for _, c := range l.Codes {
		if c.Code == code {
			return c, true
		}
	}
	return Code{}, false
}

// ParseCodeList reads and checks one list in the JSON shape of the files in
// codes/: a known name, a source, codes that are unique and labelled, and
// for age groups bands that do not overlap. An association replaces a
// default list with one of its own through CodeLists.With.
func ParseCodeList(data []byte) (*CodeList, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var l CodeList
	if err := dec.Decode(&l); err != nil {
		return nil, fmt.Errorf("code list: %w", err)
	}
	if !slices.Contains(listNames, l.Name) {
		return nil, fmt.Errorf("code list %q: unknown list (known: %v)", l.Name, listNames)
	}
	if l.Source == "" || len(l.Codes) == 0 {
		return nil, fmt.Errorf("code list %s: a source and at least one code are required", l.Name)
	}
	seen := map[string]bool{}
	for _, c := range l.Codes {
		if c.Code == "" || c.SV == "" || c.EN == "" || len(c.Code) > 40 {
			return nil, fmt.Errorf("code list %s: code %q needs a code of at most 40 characters and Swedish and English labels", l.Name, c.Code)
		}
		if seen[c.Code] {
			return nil, fmt.Errorf("code list %s: code %q twice", l.Name, c.Code)
		}
		seen[c.Code] = true
	}
	if l.Name == ListAgeGroup {
		for i, a := range l.Codes {
			if a.MinAge < 0 || (a.MaxAge != 0 && a.MaxAge < a.MinAge) {
				return nil, fmt.Errorf("code list %s: %s has a bad age band", l.Name, a.Code)
			}
			for _, b := range l.Codes[i+1:] {
				if a.MinAge <= upper(b) && b.MinAge <= upper(a) {
					return nil, fmt.Errorf("code list %s: %s and %s overlap", l.Name, a.Code, b.Code)
				}
			}
		}
	}
	return &l, nil
}

func upper(c Code) int {
	if c.MaxAge == 0 {
		return 1 << 30
	}
	return c.MaxAge
}

// CodeLists is the set of lists in use. It is immutable: With returns a
// copy.
type CodeLists struct {
	lists map[string]*CodeList
}

var defaultLists = sync.OnceValues(func() (*CodeLists, error) {
	cl := &CodeLists{lists: map[string]*CodeList{}}
	err := fs.WalkDir(codeFiles, "codes", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := codeFiles.ReadFile(path)
		if err != nil {
			return err
		}
		l, err := ParseCodeList(data)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		cl.lists[l.Name] = l
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, n := range listNames {
		if cl.lists[n] == nil {
			return nil, fmt.Errorf("code list %s missing", n)
		}
	}
	return cl, nil
})

// DefaultCodeLists returns the lists embedded in finsam. A test checks that
// they parse, so the error is there for completeness.
func DefaultCodeLists() (*CodeLists, error) { return defaultLists() }

// MustDefaultCodeLists is DefaultCodeLists for tests and package-level
// values; it panics if the embedded files are broken, which the tests rule
// out.
func MustDefaultCodeLists() *CodeLists {
	cl, err := defaultLists()
	if err != nil {
		panic(err)
	}
	return cl
}

// With returns a copy of cl with l in place of the list of the same name.
func (cl *CodeLists) With(l *CodeList) *CodeLists {
	out := &CodeLists{lists: maps.Clone(cl.lists)}
	out.lists[l.Name] = l
	return out
}

// List returns one list (nil for an unknown name).
func (cl *CodeLists) List(name string) *CodeList { return cl.lists[name] }

// Has reports whether code is in the list.
func (cl *CodeLists) Has(list, code string) bool {
	l := cl.lists[list]
	if l == nil {
		return false
	}
	_, ok := l.Lookup(code)
	return ok
}

// Label is the Swedish label of a code, or the code itself when unknown (a
// stored code whose list was since replaced still shows).
func (cl *CodeLists) Label(list, code string) string {
	if l := cl.lists[list]; l != nil {
		if c, ok := l.Lookup(code); ok {
			return c.SV
		}
	}
	return code
}

// WithFlag lists the codes of a list that carry the flag, in list order:
// e.g. the occupations that count as work, for a report query.
func (cl *CodeLists) WithFlag(list, flag string) []string {
	var out []string
	if l := cl.lists[list]; l != nil {
		for _, c := range l.Codes {
			if c.Has(flag) {
				out = append(out, c.Code)
			}
		}
	}
	return out
}

// AgeGroup returns the age-group code for an age in whole years ("" when no
// band covers it).
func (cl *CodeLists) AgeGroup(age int) string {
	for _, c := range cl.lists[ListAgeGroup].Codes {
		if age >= c.MinAge && age <= upper(c) {
			return c.Code
		}
	}
	return ""
}

// CodeInUse is the refusal of an association's own code list that drops
// codes its registrations use.
const CodeInUse = "code_in_use"

// ListNames lists the code lists' names in display order.
func ListNames() []string { return slices.Clone(listNames) }

// Missing lists the codes of used that l lacks, sorted.
func (l *CodeList) Missing(used []string) []string {
	var out []string
	for _, c := range used {
		if _, ok := l.Lookup(c); !ok && c != "" {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
