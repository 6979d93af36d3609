package calculator

import (
	"bytes"
	"encoding/json"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/web/internal/site"
)

// calcPeriodRows is how many sick-leave periods the calculator form offers;
// a case with more belongs in the API or the command line.
const calcPeriodRows = 4

// calcForm is what a person typed into the calculator, kept as text so that
// the form can show it back unchanged next to its errors.
type calcForm struct {
	Date           string
	Employment     string
	Income         string
	SeriousIllness bool
	Periods        [calcPeriodRows]calcPeriodRow
}

type calcPeriodRow struct {
	From, To, Degree string
}

// used reports whether the person filled in the row; the degree alone does
// not count, since it always has a value.
func (p calcPeriodRow) used() bool { return p.From != "" || p.To != "" }

// calcFields are the form's field names (which are also the inputs' ids).
// Periods are p1_from, p1_to, p1_degree … p4_degree.
const (
	calcFieldDate       = "date"
	calcFieldEmployment = "employment"
	calcFieldIncome     = "annual_income"
	calcFieldSerious    = "serious_illness"
)

func calcPeriodField(row int, name string) string { return "p" + strconv.Itoa(row+1) + "_" + name }

// parseCalcForm reads the calculator's query. submitted is false when none
// of the form's fields is present: the empty form, not an empty answer.
func parseCalcForm(q url.Values) (f calcForm, submitted bool) {
	get := func(name string) string {
		if _, ok := q[name]; ok {
			submitted = true
		}
		return strings.TrimSpace(q.Get(name))
	}
	f.Date = get(calcFieldDate)
	f.Employment = get(calcFieldEmployment)
	f.Income = get(calcFieldIncome)
	f.SeriousIllness = get(calcFieldSerious) != ""
	for i := range f.Periods {
		f.Periods[i] = calcPeriodRow{
			From:   get(calcPeriodField(i, "from")),
			To:     get(calcPeriodField(i, "to")),
			Degree: get(calcPeriodField(i, "degree")),
		}
	}
	if !submitted {
		f.Employment = string(rules.Employee)
		for i := range f.Periods {
			f.Periods[i].Degree = "100"
		}
	}
	return f, submitted
}

// calcCodes are the page's own words (calc.err.<code>) for the engine's
// errors that a person filling in the form can meet; the others keep the
// engine's explanation.
var calcCodes = map[string]string{
	rules.CodeMissingField:       "required",
	rules.CodeInvalidDate:        "date",
	rules.CodeUnknownEmployment:  "employment",
	rules.CodeInvalidDegree:      "degree",
	rules.CodeToBeforeFrom:       "to_before_from",
	rules.CodeOverlappingPeriods: "overlap",
}

// engineProblem is the engine's error re as a problem of the form's field
// (none, "", when it belongs to the form as a whole).
func engineProblem(field string, re *rules.Error) site.Problem {
	if code, ok := calcCodes[re.Code]; ok {
		return site.Problem{Field: field, Code: code}
	}
	return site.Problem{Field: field, Code: re.Code, DetailSV: sentence(re.MessageSV), DetailEN: sentence(re.Message)}
}

// calcErrPrefix is the catalogue prefix of the form's messages.
const calcErrPrefix = "calc.err."

// sentence starts s with a capital letter and ends it with a full stop,
// for the engine's explanations, which are written to follow a colon.
func sentence(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = []rune(strings.ToUpper(string(r[0])))[0]
	s = string(r)
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// input turns the form into the engine's JSON input, so that the page is
// checked by exactly the rules the API applies. rows[i] is the form row of
// periods[i] in the JSON. Problems a form has and JSON does not (an empty
// required field, an amount written with spaces, a date in another shape)
// are found here, all at once; the rest is left to the engine.
func (f calcForm) input() (data []byte, rows []int, errs site.Problems) {
	if f.Date == "" {
		errs.Add(calcFieldDate, "required")
	} else if _, err := rules.ParseDate(f.Date); err != nil {
		errs.Add(calcFieldDate, "date")
	}
	income, ok := parseKronor(f.Income)
	switch {
	case f.Income == "":
		errs.Add(calcFieldIncome, "required")
	case !ok:
		errs.Add(calcFieldIncome, "income")
	}
	for i, p := range f.Periods {
		if !p.used() {
			continue
		}
		if p.From == "" {
			errs.Add(calcPeriodField(i, "from"), "required")
		} else if _, err := rules.ParseDate(p.From); err != nil {
			errs.Add(calcPeriodField(i, "from"), "date")
		}
		if p.To != "" {
			if _, err := rules.ParseDate(p.To); err != nil {
				errs.Add(calcPeriodField(i, "to"), "date")
			}
		}
	}
	if len(errs) > 0 {
		return nil, nil, errs
	}

	var b bytes.Buffer
	str := func(s string) { q, _ := json.Marshal(s); b.Write(q) }
	b.WriteString(`{"date":`)
	str(f.Date)
	b.WriteString(`,"employment":`)
	str(f.Employment)
	b.WriteString(`,"annual_income":`)
	b.WriteString(strconv.FormatFloat(income, 'f', -1, 64))
	b.WriteString(`,"periods":[`)
	for i, p := range f.Periods {
		if !p.used() {
			continue
		}
		if len(rows) > 0 {
			b.WriteByte(',')
		}
		rows = append(rows, i)
		b.WriteString(`{"from":`)
		str(p.From)
		if p.To != "" {
			b.WriteString(`,"to":`)
			str(p.To)
		}
		// The degree comes from a list; anything else is sent as 0 so
		// that the engine answers with its invalid_degree error.
		degree, err := strconv.Atoi(p.Degree)
		if err != nil {
			degree = 0
		}
		b.WriteString(`,"degree":` + strconv.Itoa(degree) + `}`)
	}
	b.WriteString(`]`)
	if f.SeriousIllness {
		b.WriteString(`,"serious_illness":true`)
	}
	b.WriteString(`}`)
	return b.Bytes(), rows, nil
}

// parseKronor reads an amount as people write it: "300000", "300 000",
// "300 000 kr", "300000,50".
func parseKronor(s string) (float64, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(strings.ToLower(s)), "kr"))
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f', '\u2009':
			return -1
		case ',':
			return '.'
		case '−': // minus sign, so that a negative amount reaches the engine's own message
			return '-'
		}
		return r
	}, s)
	if s == "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

var periodPath = regexp.MustCompile(`^periods\[(\d+)\]\.(from|to|degree)$`)

// formField maps an engine error's JSON path onto the form field it is
// about: "periods[1].to" is the "to" of the form row that became periods[1].
func formField(path string, rows []int) string {
	switch path {
	case "date", "employment", "annual_income", "serious_illness":
		return path
	}
	if m := periodPath.FindStringSubmatch(path); m != nil {
		if i, err := strconv.Atoi(m[1]); err == nil && i < len(rows) {
			return calcPeriodField(rows[i], m[2])
		}
	}
	return ""
}
