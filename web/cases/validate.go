package cases

// The validation of the case page's forms and of the case API's writes,
// one function per form. Both read the same field names (the API's JSON
// names are the form's input names), so a rule is written once and a
// person and a program get the same answer: a stable code per field, with
// a Swedish or English message for people. A form with any problem writes
// nothing.

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/rulesview"
	"github.com/finsam/finsam/web/internal/site"
)

// Field limits of the case forms.
const (
	maxCaseLine   = 200  // titles, names, paragraphs, sources
	maxCaseText   = 4000 // notes and justifications
	maxCaseNote   = 1000 // the note of a closed deadline
	maxIncomeKr   = 100_000_000
	maxEmployerNo = 13 // "556000-0001" with a hyphen, or twelve digits
	// maxCaseFormBytes bounds a case form's body: room for a text of
	// maxCaseText characters of any kind, percent-encoded, and some more,
	// so that a text over the limit is answered with the field's message
	// and kept, not refused whole.
	maxCaseFormBytes = 128 << 10
)

// The problems' words are the catalogue's "case.err." + code, or the rules
// engine's own explanation where it gives one.

// caseText trims a value and checks it: required or not, at most max
// characters, no control characters (line breaks only where multiline).
func caseText(ps *site.Problems, field, v string, required bool, max int, multiline bool) string {
	if multiline {
		v = site.TextareaValue(v)
	}
	v = strings.TrimSpace(v)
	bad := func(r rune) bool {
		return unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t'))
	}
	switch {
	case v == "" && required:
		ps.Add(field, "required")
	case !utf8.ValidString(v) || strings.IndexFunc(v, bad) >= 0:
		ps.Add(field, "invalid_text")
	case utf8.RuneCountInString(v) > max:
		ps.AddProblem(site.TooLong(field, v, max))
	}
	return v
}

// caseDate reads a date YYYY-MM-DD.
func caseDate(ps *site.Problems, field, v string, required bool) civil.Date {
	v = strings.TrimSpace(v)
	if v == "" {
		if required {
			ps.Add(field, "required")
		}
		return civil.Date{}
	}
	d, err := civil.Parse(v)
	if err != nil {
		ps.Add(field, "invalid_date")
		return civil.Date{}
	}
	return d
}

// caseChoice reads a value that must be one of known.
func caseChoice(ps *site.Problems, field, v string, known []string, unknownCode string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		ps.Add(field, "required")
		return ""
	}
	for _, k := range known {
		if v == k {
			return v
		}
	}
	ps.Add(field, unknownCode)
	return ""
}

// caseVersion reads the version a form or request was made from.
func caseVersion(v string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	return n, err == nil && n > 0
}

// Employments, degrees, outcomes, channels and statuses the forms offer.
var (
	caseEmployments    = []string{string(rules.Employee), string(rules.Unemployed), string(rules.SelfEmployed)}
	caseDegrees        = []string{"100", "75", "50", "25"}
	caseOutcomes       = []string{store.DecisionGranted, store.DecisionRejected, store.DecisionWithdrawn}
	caseNoteKinds      = []string{store.NoteNote, store.NoteContact}
	caseChannels       = []string{"phone", "meeting", "letter", "digital"}
	caseActionStatuses = []string{store.ActionPlanned, store.ActionOngoing, store.ActionDone, store.ActionCancelled}
)

// checkFacts reads the facts form: employment, annual income in whole
// kronor (spaces allowed: "300 000"), the employer's organisation number
// (optional; ten digits with a valid check digit) and name, serious
// illness.
func checkFacts(f url.Values) (store.CaseFacts, site.Problems) {
	var ps site.Problems
	var out store.CaseFacts
	out.Employment = caseChoice(&ps, "employment", f.Get("employment"), caseEmployments, "unknown_employment")
	income := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' {
			return -1
		}
		return r
	}, strings.TrimSpace(f.Get("annual_income_kr")))
	switch n, err := strconv.ParseInt(income, 10, 64); {
	case income == "":
		ps.Add("annual_income_kr", "required")
	case err != nil || n < 0 || n > maxIncomeKr:
		ps.Add("annual_income_kr", "invalid_amount")
	default:
		out.AnnualIncomeOre = n * 100
	}
	out.EmployerOrgNumber = caseText(&ps, "employer_org_number", f.Get("employer_org_number"), false, maxEmployerNo, false)
	if out.EmployerOrgNumber != "" && !ps.Has("employer_org_number") {
		if n, ok := normaliseOrgNumber(out.EmployerOrgNumber); ok {
			out.EmployerOrgNumber = n
		} else {
			ps.Add("employer_org_number", "invalid_org_number")
		}
	}
	out.EmployerName = caseText(&ps, "employer_name", f.Get("employer_name"), false, maxCaseLine, false)
	out.SeriousIllness = isChecked(f.Get("serious_illness"))
	return out, ps
}

func isChecked(v string) bool { return v == "on" || v == "true" || v == "1" }

// normaliseOrgNumber checks a Swedish organisation number as the case
// form takes it (ten digits, optionally NNNNNN-NNNN, the last a Luhn check
// digit) and returns it as NNNNNN-NNNN; the check digit and the format are
// association.NormaliseOrgNumber's, which also reads other spellings.
func normaliseOrgNumber(v string) (string, bool) {
	digits := strings.ReplaceAll(v, "-", "")
	if len(digits) != 10 || strings.Count(v, "-") > 1 || (strings.Contains(v, "-") && strings.Index(v, "-") != 6) {
		return "", false
	}
	return association.NormaliseOrgNumber(digits)
}

// checkPeriod reads the form for a period entered by hand (a paper
// certificate): from, to, degree and where it came from. Whether it fits
// the case is the rules engine's to say (checkPeriodInCase).
func checkPeriod(f url.Values) (store.Period, site.Problems) {
	var ps site.Problems
	var p store.Period
	from := caseDate(&ps, "from", f.Get("from"), true)
	to := caseDate(&ps, "to", f.Get("to"), true)
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		ps.Add("to", "to_before_from")
	}
	deg := strings.TrimSpace(f.Get("degree"))
	switch deg {
	case "":
		ps.Add("degree", "required")
	case "25", "50", "75", "100":
		p.Degree, _ = strconv.Atoi(deg)
	default:
		ps.Add("degree", "degree_invalid")
	}
	p.Source = caseText(&ps, "source", f.Get("source"), true, maxCaseLine, false)
	p.From, p.To = from.Time(), to.Time()
	return p, ps
}

// checkPeriodInCase asks the rules engine whether a new period fits the
// case: with the case's periods its input must be valid (no overlap, a
// degree the engine knows), and it must join the case (fewer than 90 days
// from it, SFB 27 kap. 51 §: rules.Engine.SameCase) rather than start a
// case of its own. Day counting is the engine's; nothing here counts days.
func checkPeriodInCase(e *rules.Engine, c store.Case, existing []store.Period, p store.Period) site.Problems {
	in := rulesInputOf(c, existing, civil.Date{})
	np := rules.Period{From: civil.Of(p.From), To: civil.Of(p.To), Degree: p.Degree}
	joins := len(in.Periods) == 0
	for _, q := range in.Periods {
		switch {
		case q.To.Before(np.From):
			joins = joins || e.SameCase(q.To, np.From)
		case np.To.Before(q.From):
			joins = joins || e.SameCase(np.To, q.From)
		default:
			joins = true // overlapping: the engine says so below
		}
	}
	in.Periods = append(in.Periods, np)
	// The engine evaluates a day within its parameters; a period may reach
	// beyond them.
	_, last := e.DateRange()
	in.Date = rulesview.MinDate(np.To, last)
	if _, err := e.Evaluate(in, rules.Options{}); err != nil {
		re, ok := err.(*rules.Error)
		if !ok {
			re = &rules.Error{Code: "internal", Message: "the rules engine failed", MessageSV: "Regelmotorn kunde inte pröva perioden."}
		}
		field, code := "from", re.Code
		switch {
		case re.Code == rules.CodeOverlappingPeriods:
			code = "overlap"
		case re.Code == rules.CodeInvalidDegree:
			field, code = "degree", "degree_invalid"
		case re.Code == rules.CodeToBeforeFrom:
			field, code = "to", "to_before_from"
		case strings.HasSuffix(re.Field, ".to"):
			field = "to"
		}
		return site.Problems{{Field: field, Code: code, DetailSV: re.MessageSV, DetailEN: re.Message}}
	}
	if !joins {
		return site.Problems{{Field: "from", Code: "not_in_case"}}
	}
	return nil
}

// sortRulesPeriods orders periods by their first day.
func sortRulesPeriods(ps []rules.Period) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].From.Before(ps[j-1].From); j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

// checkNote reads a note or a contact with the person (a contact has its
// date, not after today, and its channel).
func checkNote(f url.Values, today civil.Date) (store.CaseNote, site.Problems) {
	var ps site.Problems
	var n store.CaseNote
	n.Kind = caseChoice(&ps, "kind", f.Get("kind"), caseNoteKinds, "unknown_kind")
	if n.Kind == store.NoteContact {
		on := caseDate(&ps, "contact_on", f.Get("contact_on"), true)
		if on.After(today) {
			ps.Add("contact_on", "date_future")
		}
		n.ContactOn = on.Time()
		n.Channel = caseChoice(&ps, "channel", f.Get("channel"), caseChannels, "unknown_channel")
	}
	n.Body = caseText(&ps, "body", f.Get("body"), true, maxCaseText, true)
	return n, ps
}

// checkDecision reads a decision: outcome, date (not after today), the
// paragraph applied and the justification, all required.
func checkDecision(f url.Values, today civil.Date) (store.CaseDecision, site.Problems) {
	var ps site.Problems
	var d store.CaseDecision
	d.Outcome = caseChoice(&ps, "outcome", f.Get("outcome"), caseOutcomes, "unknown_outcome")
	on := caseDate(&ps, "decided_on", f.Get("decided_on"), true)
	if on.After(today) {
		ps.Add("decided_on", "date_future")
	}
	d.DecidedOn = on.Time()
	d.Paragraph = caseText(&ps, "paragraph", f.Get("paragraph"), true, maxCaseLine, false)
	d.Justification = caseText(&ps, "justification", f.Get("justification"), true, maxCaseText, true)
	return d, ps
}

// checkPlanAction reads an action of the rehabilitation plan: its title,
// the organisation that owns it (one of owners) and its due date.
func checkPlanAction(f url.Values, owners []int64) (store.PlanAction, site.Problems) {
	var ps site.Problems
	var a store.PlanAction
	a.Title = caseText(&ps, "title", f.Get("title"), true, maxCaseLine, false)
	switch v := strings.TrimSpace(f.Get("owner_org_id")); {
	case v == "":
		ps.Add("owner_org_id", "required")
	default:
		id, err := strconv.ParseInt(v, 10, 64)
		for _, o := range owners {
			if err == nil && o == id {
				a.OwnerOrgID = id
			}
		}
		if a.OwnerOrgID == 0 {
			ps.Add("owner_org_id", "unknown_org")
		}
	}
	a.Due = caseDate(&ps, "due", f.Get("due"), true).Time()
	if v := f.Get("status"); v != "" {
		a.Status = caseChoice(&ps, "status", v, caseActionStatuses, "unknown_status")
	}
	return a, ps
}

// checkActionStatus reads a plan action's new status.
func checkActionStatus(f url.Values) (string, site.Problems) {
	var ps site.Problems
	st := caseChoice(&ps, "status", f.Get("status"), caseActionStatuses, "unknown_status")
	return st, ps
}

// checkDeadlineClose reads the note of a deadline marked done.
func checkDeadlineClose(f url.Values) (string, site.Problems) {
	var ps site.Problems
	note := caseText(&ps, "note", f.Get("note"), false, maxCaseNote, true)
	return note, ps
}
