package certificate

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Quality is a certificate's quality score, 0–100, and what lowers it.
type Quality struct {
	Score    int       `json:"score"`
	Findings []Finding `json:"findings"`
}

// Finding is one thing Försäkringskassan would likely ask the doctor to
// supplement (komplettering).
type Finding struct {
	// Code is stable (the Finding* constants).
	Code string `json:"code"`
	// AnswerID is the form's answer (svar) id the finding concerns, which
	// is also the frageId of a supplement request: "17" for the activity
	// limitation.
	AnswerID string `json:"answer_id"`
	// Message says in plain Swedish what FK would ask for.
	Message   string `json:"message"`
	MessageEN string `json:"-"`
}

// Finding codes. They are part of the API: never rename one.
const (
	FindingActivityVague    = "activity_limitation_vague"
	FindingImpairmentVague  = "functional_impairment_vague"
	FindingNoLink           = "no_link_between_impairment_and_limitation"
	FindingFMBExceeded      = "fmb_exceeded_without_motivation"
	FindingEarlyStart       = "early_start_without_reason"
	FindingNotExamined      = "not_examined_without_reason"
	FindingPrognosisUnclear = "prognosis_unclear_without_plan"
)

// Thresholds of the heuristics (see Assess).
const (
	minDescriptionRunes = 40 // shorter than this is vague
	minOwnLetters       = 20 // letters left once the diagnoses are removed
	earlyStartDays      = 7  // Webcert v1's "mer än 7 dagar bakåt" question
	linkStemLen         = 5  // letters of a word that count as its stem
)

// Weights of the findings: the score is 100 minus the weights of the
// findings, clamped to 0–100. The activity limitation weighs most because
// FK's review of 10 000 certificates found it the worst described part
// (and the Sjukvårdsmiljarden paid regions to improve exactly that); the
// functional impairment and the FMB motivation next, since without them FK
// cannot judge the need or the length of the sick leave; the rest are
// single missing explanations. The weights are finsam's judgement, not
// FK's: tune them here.
var findingWeights = map[string]int{
	FindingActivityVague:    25,
	FindingImpairmentVague:  15,
	FindingFMBExceeded:      15,
	FindingNoLink:           10,
	FindingEarlyStart:       10,
	FindingNotExamined:      10,
	FindingPrognosisUnclear: 10,
}

// FindingWeight returns the points a finding takes from the score.
func FindingWeight(code string) int { return findingWeights[code] }

// Assess scores the quality of c: what Försäkringskassan would ask the
// doctor to supplement. It does not repeat Validate (an invalid certificate
// is refused, not scored) and works on any certificate without failing.
// fmb may be nil (no FMB check). priorSickDays is the person's contiguous
// sick leave before this certificate's first period, from the caller's
// records (0 if none).
//
// The checks, in the order of the form:
//
//   - not_examined_without_reason (1): no basis is an examination
//     (UNDERSOKNING, FYSISKUNDERSOKNING, DIGITALUNDERSOKNING) and no
//     not_examined_reason is given.
//   - functional_impairment_vague (35) and activity_limitation_vague (17):
//     the text is missing, shorter than 40 characters, or only repeats the
//     diagnosis: once every diagnosis text and code is removed, fewer than
//     20 letters are left. The activity limitation is also vague when it
//     is the functional impairment copied.
//   - no_link_between_impairment_and_limitation (17): both texts are
//     described (not vague) but the limitation neither shares a word stem
//     with the impairment (the first 5 letters of a word of at least 5
//     letters, found anywhere in a word of the other text, which catches
//     Swedish compounds: "koncentrationsförmåga" and
//     "koncentrationssvårigheter"), nor states a cause ("på grund av",
//     "pga", "till följd av", "eftersom", "leder till", "medför", "gör att"
//     …), nor names an activity that follows from the impaired function
//     (linkDomains: impaired concentration or memory and planning,
//     meetings or reading; a stiff shoulder and lifting or reaching; a bad
//     back or knee and sitting, standing, walking; breathlessness and
//     stairs or carrying; dizziness or poor sight and driving or ladders
//     …). FK's method is diagnosis → impairment → limitation: the
//     limitation must follow from the impairment, and a text that shares
//     nothing with it, names no cause and no activity of the impaired
//     function rarely shows that. On a labelled set of synthetic
//     certificates (testdata/impairment-limitation-labelled.tsv) it fires
//     on none of the 25 with a clear link and on most without one.
//   - fmb_exceeded_without_motivation (37): priorSickDays plus the days
//     this certificate's periods cover exceed the largest FMB maximum
//     among its diagnoses (Webcert's check), and fmb_motivation is empty.
//   - early_start_without_reason (25): a period starts 7 or more days
//     before the signing day and early_start_reason is empty.
//   - prognosis_unclear_without_plan (39): the prognosis is PROGNOS_OKLAR,
//     with no planned treatment and no work measures (EJ_AKTUELLT is none).
//
// Under smittskydd the form does not ask for the basis, the impairment,
// the limitation or the prognosis, so the checks on them are skipped.
func Assess(c *Certificate, fmb *FMB, priorSickDays int) Quality {
	q := Quality{Findings: []Finding{}}
	add := func(code, answer, sv, en string) {
		q.Findings = append(q.Findings, Finding{Code: code, AnswerID: answer, Message: sv, MessageEN: en})
	}
	smitt := c.Smittskydd
	if !smitt && notExamined(c) {
		add(FindingNotExamined, "1",
			"Intyget bygger inte på en undersökning av patienten. Försäkringskassan behöver veta varför patienten inte undersöktes och vad bedömningen i stället grundar sig på.",
			"The certificate is not based on an examination of the patient. FK needs to know why the patient was not examined and what the assessment rests on instead.")
	}
	impairmentVague := !smitt && vague(c.FunctionalImpairment, c.Diagnoses, "")
	activityVague := !smitt && vague(c.ActivityLimitation, c.Diagnoses, c.FunctionalImpairment)
	if impairmentVague {
		add(FindingImpairmentVague, "35",
			"Funktionsnedsättningen är inte beskriven tillräckligt. Försäkringskassan behöver en beskrivning av vilka funktioner som är nedsatta, hur mycket, och vad du har sett vid undersökningen – inte bara diagnosen.",
			"The functional impairment is not described well enough. FK needs to know which functions are impaired, how much, and what the examination showed — not only the diagnosis.")
	}
	if activityVague {
		add(FindingActivityVague, "17",
			"Aktivitetsbegränsningen är inte beskriven tillräckligt. Försäkringskassan behöver veta konkret vilka aktiviteter patienten inte klarar, eller klarar sämre, i sitt arbete eller sin sysselsättning – till exempel hur länge patienten kan sitta, lyfta eller hålla koncentrationen.",
			"The activity limitation is not described well enough. FK needs to know concretely which activities the patient cannot do, or does worse, in their work or occupation — for example how long they can sit, lift or keep their concentration.")
	}
	if !smitt && !impairmentVague && !activityVague && !linked(c.FunctionalImpairment, c.ActivityLimitation) {
		add(FindingNoLink, "17",
			"Det framgår inte hur funktionsnedsättningen leder till aktivitetsbegränsningen. Försäkringskassan behöver en beskrivning av hur de nedsatta funktionerna begränsar patientens aktiviteter.",
			"It is not clear how the functional impairment leads to the activity limitation. FK needs a description of how the impaired functions limit the patient's activities.")
	}
	if maxDays, code, ok := fmbMax(c, fmb); ok && isBlank(c.FMBMotivation) {
		if total := priorSickDays + coveredDays(c); total > maxDays {
			n, t := strconv.Itoa(maxDays), strconv.Itoa(total)
			add(FindingFMBExceeded, "37",
				"Sjukskrivningen ("+t+" dagar i följd) är längre än Socialstyrelsens försäkringsmedicinska beslutsstöd rekommenderar för "+code+" (högst "+n+" dagar). Försäkringskassan behöver en motivering till varför patienten behöver vara sjukskriven längre.",
				"The sick leave ("+t+" consecutive days) is longer than Socialstyrelsen's FMB recommends for "+code+" (at most "+n+" days). FK needs a motivation for the longer sick leave.")
		}
	}
	if earlyStart(c) && isBlank(c.EarlyStartReason) {
		add(FindingEarlyStart, "25",
			"Sjukskrivningen börjar 7 dagar eller mer före dagen då intyget signerades. Försäkringskassan behöver veta varför perioden startar bakåt i tiden och vad bedömningen av den tiden grundar sig på.",
			"The sick leave starts 7 or more days before the certificate was signed. FK needs to know why the period starts back in time and what the assessment of that time rests on.")
	}
	if !smitt && prognosisUnclearWithoutPlan(c) {
		add(FindingPrognosisUnclear, "39",
			"Prognosen är oklar och det finns varken planerad behandling eller arbetslivsinriktade åtgärder. Försäkringskassan behöver veta vad som planeras för att klargöra prognosen och hjälpa patienten tillbaka i arbete.",
			"The prognosis is unclear and there is neither planned treatment nor work measures. FK needs to know what is planned to clarify the prognosis and help the patient back to work.")
	}
	q.Score = 100
	for _, f := range q.Findings {
		q.Score -= findingWeights[f.Code]
	}
	q.Score = max(0, min(100, q.Score))
	return q
}

func notExamined(c *Certificate) bool {
	if len(c.Basis) == 0 || !isBlank(c.NotExaminedReason) {
		return false
	}
	for _, b := range c.Basis {
		if isExamination(b.Type) {
			return false
		}
	}
	return true
}

// vague reports whether a description is missing, too short, repeats the
// diagnoses, or (when copy is not "") is the same text as copy.
func vague(text string, diagnoses []Diagnosis, copyOf string) bool {
	t := strings.TrimSpace(text)
	if utf8.RuneCountInString(t) < minDescriptionRunes {
		return true
	}
	if copyOf != "" && foldSpace(t) == foldSpace(copyOf) {
		return true
	}
	rest := strings.ToLower(t)
	for _, d := range diagnoses {
		if dt := strings.ToLower(strings.TrimSpace(d.Text)); dt != "" {
			rest = strings.ReplaceAll(rest, dt, " ")
		}
		if code := strings.ToLower(strings.TrimSpace(d.Code)); code != "" {
			rest = strings.ReplaceAll(rest, code, " ")
			rest = strings.ReplaceAll(rest, strings.ToLower(NormalizeDiagnosisCode(code)), " ")
		}
	}
	letters := 0
	for _, r := range rest {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters < minOwnLetters
}

// foldSpace lower-cases s and collapses runs of white space, so that a
// copied text is recognised despite reflowing.
func foldSpace(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// causal are the phrases that state a cause in a Swedish description.
var causal = []string{"på grund av", "pga", "p.g.a", "till följd av", "följd av", "eftersom", "därför",
	"leder till", "medför", "orsakar", "gör att", "vilket gör", "vilket innebär", "innebär att",
	"beroende på", "p g a", "på grund"}

// stopStems are frequent words that share stems without linking anything.
var stopStems = map[string]bool{"patie": true, "arbet": true, "nedsa": true, "förmå": true, "svåri": true,
	"begrä": true, "aktiv": true, "funkt": true, "grund": true, "mycke": true, "längr": true,
	"några": true, "under": true, "eller": true, "också": true, "kunna": true, "klara": true}

// linkDomain pairs the words of impaired body functions with the
// activities that depend on them (after ICF: mental functions with
// learning, tasks and communication; movement of arm and hand with
// lifting and handling; back and legs with posture and walking; heart and
// lungs with exertion; senses and balance with driving, heights, reading
// and listening). A word matches when it begins with one of the stems.
type linkDomain struct {
	impairment, activity []string
}

var linkDomains = []linkDomain{
	{ // mental functions
		[]string{"koncentr", "minne", "minnes", "uppmärksam", "kognitiv", "uttröttbar", "trött", "psykisk", "arbetsminne",
			"tankeförmåga", "exekutiv", "nedstämd", "depress", "ångest", "oro", "ältande", "panik", "stresstolerans", "initiativ",
			"sömn", "psykomotorisk", "beslut", "ljudkänslig", "utmattning", "motivation", "social"},
		[]string{"planer", "organiser", "ordning", "prioriter", "fokus", "koncentr", "läs", "lär", "rutin", "instruktion",
			"beslut", "möte", "projekt", "parallell", "samtidig", "uppgift", "arbetsuppgift", "ärende", "tidspress", "stress",
			"kund", "telefon", "samtal", "kontakt", "kolleg", "bemöt", "social", "folk", "undervis", "klass", "rätta", "kontorslandskap",
			"dator", "administrativ", "heltid", "orka", "avstämning", "detalj", "minn", "leda"},
	},
	{ // arm, hand and neck
		[]string{"axel", "axl", "arm", "armbåg", "hand", "händ", "handled", "finger", "fingr", "grip", "finmotorik", "skakning",
			"tremor", "nack", "epikondyl", "domning"},
		[]string{"lyft", "bär", "bära", "grepp", "greppa", "skriv", "tangentbord", "mus", "verktyg", "monter", "plock",
			"häng", "arm", "ovanför", "skär", "sorter", "knäpp", "vrid", "huvud", "dator", "mikroskop", "hand"},
	},
	{ // back, hips and legs
		[]string{"rygg", "ländrygg", "bål", "höft", "knä", "ben", "fot", "fött", "ischias", "lasègue", "disk", "menisk", "halt",
			"balans", "muskelsvag", "artrit", "artros"},
		[]string{"sitt", "stå", "gå", "gång", "promenad", "trapp", "lyft", "bär", "bära", "böj", "vrid", "last", "kör", "huk",
			"sträck", "underlag", "steg", "klättr"},
	},
	{ // heart and lungs
		[]string{"andfådd", "andning", "lung", "hosta", "syrgas", "hjärt", "kondition", "uthållig", "ork", "blodtryck", "ansträng"},
		[]string{"trapp", "gå", "bär", "bära", "fysisk", "tung", "ansträng", "städ", "orka", "lyft", "promenad", "cykl", "spring"},
	},
	{ // senses and balance
		[]string{"yrsel", "balans", "nystagmus", "syn", "öga", "ögon", "dimsyn", "djupseende", "hörsel", "tinnitus", "hör", "öra",
			"öron", "ljudkänslig", "ljuskänslig"},
		[]string{"kör", "bil", "truck", "steg", "ställning", "höjd", "klättr", "läs", "skärm", "dator", "precision", "telefon",
			"samtal", "möte", "hör", "uppfatta", "buller", "bullr", "mätning", "tak"},
	},
}

// hasStem reports whether a word of words begins with one of stems.
func hasStem(words, stems []string) bool {
	for _, w := range words {
		for _, st := range stems {
			if strings.HasPrefix(w, st) {
				return true
			}
		}
	}
	return false
}

// linked reports whether the activity limitation shows a link to the
// impairment: a stated cause, an activity of the impaired function, or a
// shared word stem.
func linked(impairment, limitation string) bool {
	lim := strings.ToLower(limitation)
	for _, p := range causal {
		if strings.Contains(lim, p) {
			return true
		}
	}
	impWords := strings.FieldsFunc(strings.ToLower(impairment), notLetter)
	limWords := strings.FieldsFunc(lim, notLetter)
	for _, d := range linkDomains {
		if hasStem(impWords, d.impairment) && hasStem(limWords, d.activity) {
			return true
		}
	}
	// "komma ihåg" is two words.
	if strings.Contains(lim, "komma ihåg") && hasStem(impWords, linkDomains[0].impairment) {
		return true
	}
	for _, w := range impWords {
		if utf8.RuneCountInString(w) < linkStemLen {
			continue
		}
		stem := firstRunes(w, linkStemLen)
		if stopStems[stem] {
			continue
		}
		if strings.Contains(lim, stem) {
			return true
		}
	}
	return false
}

func notLetter(r rune) bool { return !unicode.IsLetter(r) }

func firstRunes(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

// fmbMax returns the largest FMB maximum among the diagnoses and the code
// it belongs to.
func fmbMax(c *Certificate, fmb *FMB) (int, string, bool) {
	best, code, found := 0, "", false
	for _, d := range c.Diagnoses {
		if e, ok := fmb.Lookup(d.Code); ok && (!found || e.Days > best) {
			best, code, found = e.Days, displayCode(d.Code), true
		}
	}
	return best, code, found
}

// coveredDays counts the calendar days the certificate's periods cover,
// each day once even if periods overlap.
func coveredDays(c *Certificate) int {
	type span struct{ from, to Date }
	spans := make([]span, 0, len(c.SickLeave))
	for _, s := range c.SickLeave {
		if !s.From.IsZero() && !s.To.IsZero() && !s.To.Before(s.From) {
			spans = append(spans, span{s.From, s.To})
		}
	}
	// Few periods (at most 4 valid): insertion sort by start.
	for i := 1; i < len(spans); i++ {
		for j := i; j > 0 && spans[j].from.Before(spans[j-1].from); j-- {
			spans[j], spans[j-1] = spans[j-1], spans[j]
		}
	}
	total := 0
	var end Date
	for i, s := range spans {
		from := s.from
		if i > 0 && !from.After(end) {
			from = end.AddDays(1)
		}
		if !s.to.Before(from) {
			total += s.to.Sub(from) + 1
		}
		if i == 0 || s.to.After(end) {
			end = s.to
		}
	}
	return total
}

func earlyStart(c *Certificate) bool {
	signed := c.SignedDate()
	if signed.IsZero() {
		return false
	}
	for _, s := range c.SickLeave {
		if !s.From.IsZero() && signed.Sub(s.From) >= earlyStartDays {
			return true
		}
	}
	return false
}

func prognosisUnclearWithoutPlan(c *Certificate) bool {
	if c.Prognosis == nil || c.Prognosis.Type != PrognosisUnclear || !isBlank(c.PlannedTreatment) {
		return false
	}
	if !isBlank(c.WorkMeasuresText) {
		return false
	}
	for _, w := range c.WorkMeasures {
		if w != WorkMeasureNone && w != "" {
			return false
		}
	}
	return true
}

// displayCode writes a diagnosis code as doctors read it: "M54.5".
func displayCode(code string) string {
	c := NormalizeDiagnosisCode(strings.TrimSpace(code))
	if len(c) > 3 {
		return c[:3] + "." + c[3:]
	}
	return c
}
