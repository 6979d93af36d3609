package certificate

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// base returns a fresh valid certificate (testdata/depression-good.json) to
// change one thing in.
func base(t testing.TB) *Certificate {
	t.Helper()
	c, err := ParseJSON(readExample(t, "depression-good", "json"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ptr[T any](v T) *T { return &v }

// toV2 turns the v1 example into a valid FK7804 v2 certificate: v2's
// examination code, the prognosis in months, no svar 40.
func toV2(c *Certificate) {
	c.Version = "2.0"
	for i := range c.Basis {
		if c.Basis[i].Type == BasisExamination {
			c.Basis[i].Type = BasisPhysicalExamination
		}
	}
	c.Prognosis = &Prognosis{Type: PrognosisBackInMonths, Months: 2}
	c.WorkMeasures = nil
}

// ruleCase changes the valid base certificate; want is the field and code
// Validate must report, or "" when the change keeps it valid.
type ruleCase struct {
	rule   string // the rule id or name the case exercises
	name   string
	change func(c *Certificate)
	field  string
	code   string
}

// allowMore names the cases where further errors may follow the wanted
// one: a list over its limit necessarily repeats a code too, and an empty
// first diagnosis lacks its text as well.
var allowMore = map[string]bool{"more than 4 occupations": true, "five periods": true,
	"eleven measures": true, "first row empty (c-13a)": true}

// ruleCases has, for every rule, at least one valid and one invalid case.
// Rule ids are those of Inera's lisjp validator (InternalDraftValidatorImpl)
// and domain/certificates.md §1a/§3.
var ruleCases = []ruleCase{
	// Required fields.
	{"required", "id given", func(c *Certificate) {}, "", ""},
	{"required", "id missing", func(c *Certificate) { c.ID = "" }, "id", CodeMissing},
	{"required", "id blank", func(c *Certificate) { c.ID = "  " }, "id", CodeMissing},
	{"required", "id too long", func(c *Certificate) { c.ID = strings.Repeat("x", 129) }, "id", CodeTextTooLong},
	{"required", "signed_at missing", func(c *Certificate) { c.SignedAt = time.Time{} }, "signed_at", CodeMissing},
	{"required", "issuer name missing", func(c *Certificate) { c.Issuer.Name = "" }, "issuer.name", CodeMissing},
	{"required", "unit name optional", func(c *Certificate) { c.Issuer.UnitName = "" }, "", ""},
	{"required", "unit name blank", func(c *Certificate) { c.Issuer.UnitName = " " }, "issuer.unit_name", CodeBlankText},
	{"required", "diagnoses missing", func(c *Certificate) { c.Diagnoses = nil }, "diagnoses", CodeMissing},
	{"required", "functional impairment missing", func(c *Certificate) { c.FunctionalImpairment = " " }, "functional_impairment", CodeMissing},
	{"required", "activity limitation missing", func(c *Certificate) { c.ActivityLimitation = "" }, "activity_limitation", CodeMissing},
	{"required", "sick leave missing", func(c *Certificate) { c.SickLeave = nil }, "sick_leave", CodeMissing},
	{"required", "prognosis missing", func(c *Certificate) { c.Prognosis = nil }, "prognosis", CodeMissing},
	{"required", "prognosis type missing", func(c *Certificate) { c.Prognosis = &Prognosis{} }, "prognosis.type", CodeMissing},
	{"required", "work measures missing", func(c *Certificate) { c.WorkMeasures = nil; c.WorkMeasuresText = "" }, "work_measures", CodeMissing},
	{"v2.0", "work measures as text only (v2 has no 40)", func(c *Certificate) { toV2(c); c.WorkMeasuresText = "Arbetsträning." }, "", ""},
	{"v2.0", "no work measures at all", func(c *Certificate) { toV2(c); c.WorkMeasuresText = "" }, "", ""},
	{"v2.0", "svar 40 is not in v2", func(c *Certificate) { toV2(c); c.WorkMeasures = []string{"ARBETSTRANING"} }, "work_measures", CodeNotInVersion},

	// signed_at.
	{"signed_at", "signed today", func(c *Certificate) { c.SignedAt = time.Date(2026, 6, 20, 21, 59, 0, 0, time.UTC) }, "", ""},
	{"signed_at", "signed tomorrow in Sweden", func(c *Certificate) { c.SignedAt = time.Date(2026, 6, 20, 22, 0, 0, 0, time.UTC) }, "signed_at", CodeDateInFuture},
	{"dates", "signed before 1900", func(c *Certificate) { c.SignedAt = time.Date(1899, 6, 1, 12, 0, 0, 0, time.UTC) }, "signed_at", CodeDateOutOfRange},

	// Personnummer (§3).
	{"personnummer", "10 digits with separator", func(c *Certificate) { c.Patient.Personnummer = "850412-9829" }, "", ""},
	{"personnummer", "samordningsnummer", func(c *Certificate) { c.Patient.Personnummer = "199006659875" }, "", ""},
	{"personnummer", "wrong check digit", func(c *Certificate) { c.Patient.Personnummer = "198504129828" }, "patient.personnummer", CodeInvalidPersonnr},
	{"personnummer", "no such date", func(c *Certificate) { c.Patient.Personnummer = "198502309820" }, "patient.personnummer", CodeInvalidPersonnr},
	{"personnummer", "not a number", func(c *Certificate) { c.Patient.Personnummer = "19850412-98X9" }, "patient.personnummer", CodeInvalidPersonnr},
	{"personnummer", "missing", func(c *Certificate) { c.Patient.Personnummer = "" }, "patient.personnummer", CodeMissing},
	{"personnummer", "born after signing", func(c *Certificate) { c.Patient.Personnummer = "202604109807" }, "patient.personnummer", CodeInvalidPersonnr},

	// HSA-ids (§3).
	{"hsa_id", "national form with 16", func(c *Certificate) { c.Issuer.HSAID = "SE162321000016-ABC1" }, "", ""},
	{"hsa_id", "simple form, other prefix, no checksum", func(c *Certificate) { c.Issuer.UnitHSAID = "TST1234567890-E1" }, "", ""},
	{"hsa_id", "Inera's test catalogue", func(c *Certificate) { c.Issuer.HSAID = "TSTNMT2321000156-1079" }, "", ""},
	{"hsa_id", "Inera's test catalogue, letter in the local id", func(c *Certificate) { c.Issuer.CareProviderHSAID = "TSTNMT2321000156-102Q" }, "", ""},
	{"hsa_id", "a long prefix outside the test catalogue", func(c *Certificate) { c.Issuer.HSAID = "ABCDEF2321000156-1079" }, "issuer.hsa_id", CodeInvalidHSAID},
	{"hsa_id", "SE with wrong org check digit", func(c *Certificate) { c.Issuer.HSAID = "SE2321000017-ABC1" }, "issuer.hsa_id", CodeInvalidHSAID},
	{"hsa_id", "no dash", func(c *Certificate) { c.Issuer.UnitHSAID = "SE2321000016ABC1" }, "issuer.unit_hsa_id", CodeInvalidHSAID},
	{"hsa_id", "empty local id", func(c *Certificate) { c.Issuer.CareProviderHSAID = "SE2321000016-" }, "issuer.care_provider_hsa_id", CodeInvalidHSAID},
	{"hsa_id", "bad local character", func(c *Certificate) { c.Issuer.HSAID = "SE2321000016-Å1" }, "issuer.hsa_id", CodeInvalidHSAID},
	{"hsa_id", "too long", func(c *Certificate) { c.Issuer.HSAID = "SE2321000016-" + strings.Repeat("A", 19) }, "issuer.hsa_id", CodeInvalidHSAID},
	{"hsa_id", "31 characters", func(c *Certificate) { c.Issuer.HSAID = "SE2321000016-" + strings.Repeat("A", 18) }, "", ""},
	{"hsa_id", "lower-case prefix", func(c *Certificate) { c.Issuer.HSAID = "se2321000016-A1" }, "issuer.hsa_id", CodeInvalidHSAID},
	{"hsa_id", "care provider missing", func(c *Certificate) { c.Issuer.CareProviderHSAID = "" }, "issuer.care_provider_hsa_id", CodeMissing},

	// Grund för MU (1).
	{"basis", "none", func(c *Certificate) { c.Basis = nil }, "basis", CodeMissing},
	{"basis", "unknown type", func(c *Certificate) { c.Basis[0].Type = "BESOK" }, "basis[0].type", CodeInvalidCode},
	{"basis", "date missing", func(c *Certificate) { c.Basis[1].Date = Date{} }, "basis[1].date", CodeMissing},
	{"basis", "date today", func(c *Certificate) { c.Basis[0].Date = today }, "", ""},
	{"basis", "date in the future (c-06)", func(c *Certificate) { c.Basis[0].Date = today.AddDays(1) }, "basis[0].date", CodeDateInFuture},
	{"basis", "date before 1900", func(c *Certificate) { c.Basis[0].Date = MustDate("1899-12-31") }, "basis[0].date", CodeDateOutOfRange},
	{"R1", "different types", func(c *Certificate) {}, "", ""},
	{"R1", "each type once", func(c *Certificate) { c.Basis[1].Type = BasisExamination }, "basis[1].type", CodeBasisRepeated},
	{"schematron", "v1: 4 bases", func(c *Certificate) {
		c.Basis = append(c.Basis, Basis{Type: BasisPhone, Date: today}, Basis{Type: BasisOther, Date: today, Description: "x"})
	}, "", ""},
	{"schematron", "v2: 5 bases", func(c *Certificate) {
		toV2(c)
		c.Basis = c.Basis[:0]
		for _, t := range []string{BasisPhysicalExamination, BasisDigitalExamination, BasisPhone, BasisRecords, BasisOther} {
			c.Basis = append(c.Basis, Basis{Type: t, Date: today, Description: map[bool]string{true: "x"}[t == BasisOther]})
		}
	}, "", ""},
	{"v2.0", "FYSISKUNDERSOKNING and DIGITALUNDERSOKNING", func(c *Certificate) {
		toV2(c)
		c.Basis[1].Type = BasisDigitalExamination
	}, "", ""},
	{"v2.0", "UNDERSOKNING is v1's", func(c *Certificate) { toV2(c); c.Basis[0].Type = BasisExamination }, "basis[0].type", CodeInvalidCode},
	{"v2.0", "v2's codes are not v1's", func(c *Certificate) { c.Basis[0].Type = BasisPhysicalExamination }, "basis[0].type", CodeInvalidCode},
	{"v2.0", "ANNAT described in 50 characters", func(c *Certificate) {
		toV2(c)
		c.Basis[1] = Basis{Type: BasisOther, Date: today, Description: strings.Repeat("å", 50)}
	}, "", ""},
	{"v2.0", "ANNAT described in 51 characters", func(c *Certificate) {
		toV2(c)
		c.Basis[1] = Basis{Type: BasisOther, Date: today, Description: strings.Repeat("å", 51)}
	}, "basis[1].description", CodeTextTooLong},
	{"R2", "ANNAT with description", func(c *Certificate) {
		c.Basis[1] = Basis{Type: BasisOther, Date: today, Description: "Intyg från fysioterapeut"}
	}, "", ""},
	{"R2", "ANNAT without description", func(c *Certificate) { c.Basis[1] = Basis{Type: BasisOther, Date: today} }, "basis[1].description", CodeAnnatNeedsText},
	{"R2", "ANNAT with blank description", func(c *Certificate) { c.Basis[1] = Basis{Type: BasisOther, Date: today, Description: "\t"} }, "basis[1].description", CodeAnnatNeedsText},
	{"R3", "no description without ANNAT", func(c *Certificate) { c.Basis[1].Description = "" }, "", ""},
	{"R3", "description without ANNAT", func(c *Certificate) { c.Basis[1].Description = "Journal från psykiatrin" }, "basis[1].description", CodeTextNeedsAnnat},
	{"blank", "not examined reason blank", func(c *Certificate) { c.NotExaminedReason = "  " }, "not_examined_reason", CodeBlankText},

	// Sysselsättning (28, 29).
	{"occupation", "job seeker", func(c *Certificate) { c.Occupation = []string{OccupationJobSeeker}; c.CurrentWork = "" }, "", ""},
	{"occupation", "missing", func(c *Certificate) { c.Occupation = nil; c.CurrentWork = "" }, "occupation", CodeMissing},
	{"occupation", "unknown code", func(c *Certificate) { c.Occupation = append(c.Occupation, "PENSIONAR") }, "occupation[1]", CodeInvalidCode},
	{"R5", "different occupations", func(c *Certificate) { c.Occupation = append(c.Occupation, OccupationStudies) }, "", ""},
	{"R5", "same occupation twice", func(c *Certificate) { c.Occupation = append(c.Occupation, OccupationCurrentWork) }, "occupation[1]", CodeOccupationRepeated},
	{"too-many", "more than 4 occupations", func(c *Certificate) {
		c.Occupation = []string{OccupationCurrentWork, OccupationJobSeeker, OccupationParental, OccupationStudies, OccupationStudies}
	}, "occupation", CodeTooManyOccupations},
	{"R9", "NUVARANDE_ARBETE with current work", func(c *Certificate) {}, "", ""},
	{"R9", "NUVARANDE_ARBETE without current work", func(c *Certificate) { c.CurrentWork = " " }, "current_work", CodeCurrentWorkMissing},
	{"R10", "current work without NUVARANDE_ARBETE", func(c *Certificate) { c.Occupation = []string{OccupationJobSeeker} }, "current_work", CodeCurrentWorkNotWork},
	{"R10", "job seeker without current work", func(c *Certificate) { c.Occupation = []string{OccupationJobSeeker}; c.CurrentWork = "" }, "", ""},

	// Diagnos (6).
	{"diagnosis", "code without the dot", func(c *Certificate) { c.Diagnoses[0].Code = "F321" }, "", ""},
	{"diagnosis", "lower-case code", func(c *Certificate) { c.Diagnoses[0].Code = "f32.1" }, "", ""},
	{"diagnosis", "three diagnoses", func(c *Certificate) {
		c.Diagnoses = append(c.Diagnoses, Diagnosis{Code: "G47.0", Text: "Insomni"}, Diagnosis{Code: "Z56", Text: "Problem med arbetet"})
	}, "", ""},
	{"diagnosis", "four diagnoses", func(c *Certificate) {
		c.Diagnoses = append(c.Diagnoses, Diagnosis{Code: "G470", Text: "Insomni"}, Diagnosis{Code: "Z56", Text: "x"}, Diagnosis{Code: "M545", Text: "y"})
	}, "diagnoses", CodeTooManyDiagnoses},
	{"diagnosis", "first row empty (c-13a)", func(c *Certificate) {
		c.Diagnoses = []Diagnosis{{}, {Code: "G470", Text: "Insomni"}}
	}, "diagnoses[0].code", CodeMissing},
	{"diagnosis", "text missing", func(c *Certificate) { c.Diagnoses[0].Text = "" }, "diagnoses[0].text", CodeMissing},
	{"diagnosis", "not a code", func(c *Certificate) { c.Diagnoses[0].Code = "32F1" }, "diagnoses[0].code", CodeInvalidDiagnosis},
	{"diagnosis", "dot in the wrong place", func(c *Certificate) { c.Diagnoses[0].Code = "F3.21" }, "diagnoses[0].code", CodeInvalidDiagnosis},
	{"diagnosis-length", "3 characters", func(c *Certificate) { c.Diagnoses[0] = Diagnosis{Code: "M54", Text: "Ryggvärk"} }, "", ""},
	{"diagnosis-length", "5 characters", func(c *Certificate) { c.Diagnoses[0] = Diagnosis{Code: "F43.8A", Text: "Utmattningssyndrom"} }, "", ""},
	{"diagnosis-length", "6 characters", func(c *Certificate) { c.Diagnoses[0] = Diagnosis{Code: "F43.8AB", Text: "x"} }, "diagnoses[0].code", CodeDiagnosisLength},
	{"diagnosis-length", "F needs 4", func(c *Certificate) { c.Diagnoses[0].Code = "F32" }, "diagnoses[0].code", CodePsychDiagnosisLen},
	{"diagnosis-length", "Z73 needs 4", func(c *Certificate) { c.Diagnoses[0] = Diagnosis{Code: "Z73", Text: "Utbrändhet"} }, "diagnoses[0].code", CodePsychDiagnosisLen},
	{"diagnosis-length", "Z73.0 is enough", func(c *Certificate) { c.Diagnoses[0] = Diagnosis{Code: "Z73.0", Text: "Utbrändhet"} }, "", ""},
	{"diagnosis-length", "Z72 needs only 3", func(c *Certificate) { c.Diagnoses[0] = Diagnosis{Code: "Z72", Text: "Livsstilsproblem"} }, "", ""},

	// Sjukskrivningar (32).
	{"period", "unknown degree", func(c *Certificate) { c.SickLeave[0].Degree = "HELA" }, "sick_leave[0].degree", CodeInvalidCode},
	{"period", "to missing", func(c *Certificate) { c.SickLeave[1].To = Date{} }, "sick_leave[1].to", CodeMissing},
	{"period", "to before from", func(c *Certificate) { c.SickLeave[1].To = MustDate("2026-03-20") }, "sick_leave[1].to", CodeToBeforeFrom},
	{"period", "one-day period", func(c *Certificate) { c.SickLeave[1].To = c.SickLeave[1].From }, "", ""},
	{"period", "from before 1900", func(c *Certificate) { c.SickLeave[0].From = MustDate("1899-12-31") }, "sick_leave[0].from", CodeDateOutOfRange},
	{"period", "to after 2099", func(c *Certificate) { c.SickLeave[1].To = MustDate("2100-01-01") }, "sick_leave[1].to", CodeDateOutOfRange},
	{"period", "ends 2099-12-31", func(c *Certificate) { c.SickLeave[1].To = MustDate("2099-12-31") }, "", ""},
	{"period", "future period allowed", func(c *Certificate) {
		c.SickLeave[1].From, c.SickLeave[1].To = MustDate("2027-01-01"), MustDate("2027-02-01")
	}, "", ""},
	{"too-many", "five periods", func(c *Certificate) {
		c.SickLeave = []SickLeave{{DegreeFull, MustDate("2026-03-01"), MustDate("2026-03-02")},
			{DegreeThreeQuarters, MustDate("2026-03-03"), MustDate("2026-03-04")},
			{DegreeHalf, MustDate("2026-03-05"), MustDate("2026-03-06")},
			{DegreeOneQuarter, MustDate("2026-03-07"), MustDate("2026-03-08")},
			{DegreeOneQuarter, MustDate("2026-03-09"), MustDate("2026-03-10")}}
	}, "sick_leave", CodeTooManyPeriods},
	{"R17", "adjacent periods", func(c *Certificate) {}, "", ""},
	{"R17", "periods share a day", func(c *Certificate) { c.SickLeave[1].From = MustDate("2026-03-22") }, "sick_leave[1].from", CodePeriodsOverlap},
	{"R17", "later period listed first", func(c *Certificate) {
		c.SickLeave[0], c.SickLeave[1] = c.SickLeave[1], c.SickLeave[0]
		c.SickLeave[0].From = MustDate("2026-03-10")
	}, "sick_leave[0].from", CodePeriodsOverlap},
	{"R22", "different degrees", func(c *Certificate) {}, "", ""},
	{"R22", "same degree twice", func(c *Certificate) {
		c.SickLeave[1].Degree = DegreeFull
		c.WorkingTimeDistribution = nil
		c.WorkingTimeMotivation = ""
	}, "sick_leave[1].degree", CodeDegreeRepeated},

	// Arbetstidsförläggning (33), R13–R16.
	{"R13", "partial without an answer", func(c *Certificate) { c.WorkingTimeDistribution = nil; c.WorkingTimeMotivation = "" }, "working_time_distribution", CodeWorkTimeRequired},
	{"R13", "partial answered no", func(c *Certificate) { c.WorkingTimeDistribution = ptr(false); c.WorkingTimeMotivation = "" }, "", ""},
	{"R14", "yes with motivation", func(c *Certificate) {}, "", ""},
	{"R14", "yes without motivation", func(c *Certificate) { c.WorkingTimeMotivation = "" }, "working_time_motivation", CodeWorkTimeMotivation},
	{"R15", "no without motivation", func(c *Certificate) { c.WorkingTimeDistribution = ptr(false); c.WorkingTimeMotivation = "" }, "", ""},
	{"R15", "no with motivation", func(c *Certificate) { c.WorkingTimeDistribution = ptr(false) }, "working_time_motivation", CodeWorkTimeNoMotiv},
	{"R16", "full time only, answered", func(c *Certificate) { c.SickLeave = c.SickLeave[:1] }, "working_time_distribution", CodeWorkTimeNotAllowed},
	{"R16", "full time only, motivation alone", func(c *Certificate) { c.SickLeave = c.SickLeave[:1]; c.WorkingTimeDistribution = nil }, "working_time_motivation", CodeWorkTimeNotAllowed},
	{"R16", "full time only, not answered", func(c *Certificate) {
		c.SickLeave = c.SickLeave[:1]
		c.WorkingTimeDistribution, c.WorkingTimeMotivation = nil, ""
	}, "", ""},

	// Prognos (39).
	{"prognosis", "unknown type", func(c *Certificate) { c.Prognosis = &Prognosis{Type: "KANSKE"} }, "prognosis.type", CodeInvalidCode},
	{"prognosis", "days required with ATER_X_ANTAL_DGR (INTYG-2286)", func(c *Certificate) { c.Prognosis.Days = 0 }, "prognosis.days", CodePrognosisDaysNeed},
	{"prognosis", "days only with ATER_X_ANTAL_DGR", func(c *Certificate) { c.Prognosis.Type = PrognosisLikely }, "prognosis.days", CodePrognosisDaysNot},
	{"prognosis", "days 365", func(c *Certificate) { c.Prognosis.Days = 365 }, "", ""},
	{"prognosis", "days 45", func(c *Certificate) { c.Prognosis.Days = 45 }, "prognosis.days", CodePrognosisDaysBad},
	{"prognosis", "unclear without days", func(c *Certificate) { c.Prognosis = &Prognosis{Type: PrognosisUnclear} }, "", ""},
	{"v2.0", "months with ATER_X_ANTAL_MANADER", func(c *Certificate) { toV2(c); c.Prognosis = &Prognosis{Type: PrognosisBackInMonths, Months: 99} }, "", ""},
	{"v2.0", "months required", func(c *Certificate) { toV2(c); c.Prognosis = &Prognosis{Type: PrognosisBackInMonths} }, "prognosis.months", CodePrognosisMonthNeed},
	{"v2.0", "months 100", func(c *Certificate) { toV2(c); c.Prognosis = &Prognosis{Type: PrognosisBackInMonths, Months: 100} }, "prognosis.months", CodePrognosisMonthBad},
	{"v2.0", "months only with ATER_X_ANTAL_MANADER", func(c *Certificate) { toV2(c); c.Prognosis = &Prognosis{Type: PrognosisLikely, Months: 3} }, "prognosis.months", CodePrognosisMonthNot},
	{"v2.0", "ATER_X_ANTAL_DGR is v1's", func(c *Certificate) { toV2(c); c.Prognosis = &Prognosis{Type: PrognosisBackInDays} }, "prognosis.type", CodeInvalidCode},
	{"v2.0", "days (39.3) are not in v2", func(c *Certificate) { toV2(c); c.Prognosis.Days = 60 }, "prognosis.days", CodeNotInVersion},
	{"v2.0", "months are not in v1", func(c *Certificate) { c.Prognosis = &Prognosis{Type: PrognosisLikely, Months: 2} }, "prognosis.months", CodeNotInVersion},
	{"v2.0", "PROGNOS_OKLAR needs 39.2", func(c *Certificate) { toV2(c); c.Prognosis = &Prognosis{Type: PrognosisUnclear} }, "prognosis.description", CodePrognosisDescNeed},
	{"v2.0", "PROGNOS_OKLAR with 39.2", func(c *Certificate) {
		toV2(c)
		c.Prognosis = &Prognosis{Type: PrognosisUnclear, Description: "Tidigare behandling har haft begränsad effekt."}
	}, "", ""},
	{"v2.0", "39.2 is not in v1", func(c *Certificate) { c.Prognosis = &Prognosis{Type: PrognosisUnclear, Description: "x"} }, "prognosis.description", CodeNotInVersion},

	// Åtgärder (40, 44).
	{"work measures", "one measure, no text", func(c *Certificate) { c.WorkMeasures = []string{"KONTAKT_FHV"}; c.WorkMeasuresText = "" }, "", ""},
	{"work measures", "unknown code", func(c *Certificate) { c.WorkMeasures[0] = "SEMESTER" }, "work_measures[0]", CodeInvalidCode},
	{"R21", "EJ_AKTUELLT alone", func(c *Certificate) { c.WorkMeasures = []string{WorkMeasureNone}; c.WorkMeasuresText = "" }, "", ""},
	{"R21", "EJ_AKTUELLT with another", func(c *Certificate) {
		c.WorkMeasures = []string{WorkMeasureNone, "ARBETSTRANING"}
		c.WorkMeasuresText = ""
	}, "work_measures", CodeMeasureNotAlone},
	{"R27", "measures with a description", func(c *Certificate) {}, "", ""},
	{"R27", "EJ_AKTUELLT with a description", func(c *Certificate) { c.WorkMeasures = []string{WorkMeasureNone} }, "work_measures_text", CodeMeasureNoText},
	{"R29", "different measures", func(c *Certificate) {}, "", ""},
	{"R29", "same measure twice", func(c *Certificate) { c.WorkMeasures = append(c.WorkMeasures, "ARBETSANPASSNING") }, "work_measures[2]", CodeMeasureRepeated},
	{"too-many", "ten measures", func(c *Certificate) { c.WorkMeasures = workMeasureOrder[1:] }, "", ""},
	{"too-many", "eleven measures", func(c *Certificate) { c.WorkMeasures = append(workMeasureOrder[1:], "ARBETSTRANING") }, "work_measures", CodeTooManyMeasures},

	// Kontakt (26).
	{"contact", "reason with contact", func(c *Certificate) { c.ContactFK = true; c.ContactReason = "Avstämningsmöte" }, "", ""},
	{"contact", "reason without contact", func(c *Certificate) { c.ContactReason = "Avstämningsmöte" }, "contact_reason", CodeContactReasonAlone},

	// Blank optional text (lisjp.validation.blanksteg.otillatet) and length.
	{"blank", "fmb motivation blank", func(c *Certificate) { c.FMBMotivation = " \n" }, "fmb_motivation", CodeBlankText},
	{"blank", "contact reason blank", func(c *Certificate) { c.ContactFK = true; c.ContactReason = "   " }, "contact_reason", CodeBlankText},
	{"blank", "ongoing treatment blank", func(c *Certificate) { c.OngoingTreatment = " " }, "ongoing_treatment", CodeBlankText},
	{"blank", "planned treatment blank", func(c *Certificate) { c.PlannedTreatment = " " }, "planned_treatment", CodeBlankText},
	{"blank", "other blank", func(c *Certificate) { c.Other = "\t" }, "other", CodeBlankText},
	{"blank", "early start reason blank", func(c *Certificate) { c.EarlyStartReason = " " }, "early_start_reason", CodeBlankText},
	{"blank", "other given", func(c *Certificate) { c.Other = "Inget att tillägga." }, "", ""},
	{"length", "4000 characters", func(c *Certificate) { c.Other = strings.Repeat("å", 4000) }, "", ""},
	{"length", "4001 characters", func(c *Certificate) { c.Other = strings.Repeat("å", 4001) }, "other", CodeTextTooLong},

	// Relation.
	{"relation", "supplement", func(c *Certificate) { c.Relation = &Relation{RelationSupplement, "earlier-1"} }, "", ""},
	{"relation", "unknown type", func(c *Certificate) { c.Relation = &Relation{"FORNYA", "earlier-1"} }, "relation.type", CodeInvalidCode},
	{"relation", "extension", func(c *Certificate) { c.Relation = &Relation{RelationExtension, "earlier-1"} }, "", ""},
	{"relation", "copy", func(c *Certificate) { c.Relation = &Relation{RelationCopy, "earlier-1"} }, "", ""},
	{"relation", "no certificate id", func(c *Certificate) { c.Relation = &Relation{RelationReplacement, ""} }, "relation.certificate_id", CodeMissing},
	{"relation", "to itself", func(c *Certificate) { c.Relation = &Relation{RelationReplacement, c.ID} }, "relation.certificate_id", CodeRelationToItself},
}

func TestValidateRules(t *testing.T) {
	rules := map[string][2]int{}
	for _, tc := range ruleCases {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			c := base(t)
			tc.change(c)
			errs := Validate(c, today)
			if tc.code == "" {
				if errs != nil {
					t.Fatalf("want valid, got %+v", errs)
				}
				return
			}
			if len(errs) == 0 || (len(errs) > 1 && !allowMore[tc.name]) || errs[0].Field != tc.field || errs[0].Code != tc.code {
				t.Fatalf("want exactly %s %s, got %+v", tc.field, tc.code, errs)
			}
			if errs[0].Message == "" || errs[0].MessageSV == "" {
				t.Fatalf("error without messages: %+v", errs[0])
			}
		})
		v := rules[tc.rule]
		if tc.code == "" {
			v[0]++
		} else {
			v[1]++
		}
		rules[tc.rule] = v
	}
	// Every Inera rule the issue names, and every other group of rules, has
	// a valid and an invalid case.
	for _, r := range []string{"R1", "R2", "R3", "R5", "R9", "R10", "R13", "R14", "R15", "R16", "R17", "R21", "R22", "R27", "R29",
		"required", "signed_at", "personnummer", "hsa_id", "basis", "occupation", "diagnosis", "diagnosis-length", "period",
		"prognosis", "v2.0", "work measures", "too-many", "contact", "blank", "length", "relation"} {
		if v := rules[r]; v[0] == 0 || v[1] == 0 {
			t.Errorf("%s: %d valid and %d invalid cases, want both", r, v[0], v[1])
		}
	}
}

func TestSmittskyddReducesTheRuleSet(t *testing.T) {
	c := base(t)
	c.Smittskydd = true
	c.Basis, c.Occupation, c.CurrentWork = nil, nil, ""
	c.FunctionalImpairment, c.ActivityLimitation = "", ""
	c.Prognosis, c.WorkMeasures, c.WorkMeasuresText = nil, nil, ""
	// 33 is not required under smittskydd even with a partial period, but
	// an answer that is given must still be consistent.
	c.WorkingTimeDistribution, c.WorkingTimeMotivation = nil, ""
	if errs := Validate(c, today); errs != nil {
		t.Fatalf("smittskydd certificate refused: %+v", errs)
	}
	c.Smittskydd = false
	got := map[string]string{}
	for _, e := range Validate(c, today) {
		got[e.Field] = e.Code
	}
	for _, f := range []string{"basis", "occupation", "functional_impairment", "activity_limitation",
		"prognosis", "work_measures", "working_time_distribution"} {
		if got[f] == "" {
			t.Errorf("without smittskydd %s is not required; errors %v", f, got)
		}
	}
	// What is given is still checked.
	c.Smittskydd = true
	c.SickLeave = c.SickLeave[1:] // partial only: R16 does not apply
	c.WorkMeasures = []string{WorkMeasureNone, "ARBETSTRANING"}
	c.WorkingTimeDistribution, c.WorkingTimeMotivation = ptr(false), "förmiddagar"
	errs := Validate(c, today)
	if len(errs) != 2 || errs[0].Code != CodeWorkTimeNoMotiv || errs[1].Code != CodeMeasureNotAlone {
		t.Fatalf("got %+v", errs)
	}
	// The diagnosis and the periods stay required.
	c = base(t)
	c.Smittskydd = true
	c.Diagnoses, c.SickLeave = nil, nil
	c.WorkingTimeDistribution, c.WorkingTimeMotivation = nil, ""
	errs = Validate(c, today)
	if len(errs) != 2 || errs[0].Field != "diagnoses" || errs[1].Field != "sick_leave" {
		t.Fatalf("got %+v", errs)
	}
}

func TestValidateReportsEveryProblemAtOnceInFormOrder(t *testing.T) {
	c := &Certificate{Version: "1.0"}
	errs := Validate(c, today)
	var fields []string
	for _, e := range errs {
		fields = append(fields, e.Field+":"+e.Code)
	}
	want := "id:missing signed_at:missing patient.personnummer:missing issuer.hsa_id:missing issuer.name:missing " +
		"issuer.unit_hsa_id:missing issuer.care_provider_hsa_id:missing basis:missing occupation:missing " +
		"diagnoses:missing functional_impairment:missing activity_limitation:missing sick_leave:missing " +
		"prognosis:missing work_measures:missing"
	if strings.Join(fields, " ") != want {
		t.Fatalf("got  %s\nwant %s", strings.Join(fields, " "), want)
	}
}

func TestEveryCodeHasBothMessages(t *testing.T) {
	for code, m := range messages {
		if m[0] == "" || m[1] == "" {
			t.Errorf("%s lacks a message", code)
		}
	}
}

func TestHSAIDProblem(t *testing.T) {
	for id, ok := range map[string]bool{
		"SE2321000016-15DG":           true, // Region Stockholm, the common example
		"SE162321000016-15DG":         true,
		"SE2120000803-L1001":          true,
		"SE2120000803-a b'()+,-./:=?": true,
		"TSTNMT2321000156-1079":       true,  // Inera's test catalogue
		"TSTNMTABCD2321000156-1":      false, // too long for a test-catalogue prefix
		"ABCD1234567890-X":            true,
		"A1234567890-X":               false,
		"SE232100001-X":               false,
		"SE172321000016-X":            false,
		"SE2321000016_X":              false,
		"SE2120000804-L1001":          false,
		"":                            false,
	} {
		if got := hsaIDProblem(id) == ""; got != ok {
			t.Errorf("%q: valid=%v, want %v (%s)", id, got, ok, hsaIDProblem(id))
		}
	}
}

func ExampleValidate() {
	c := &Certificate{ID: "x"}
	for _, e := range Validate(c, MustDate("2026-06-20"))[:2] {
		fmt.Println(e.Field, e.Code)
	}
	// Output:
	// signed_at missing
	// patient.personnummer missing
}

func TestBasisLimitIsTheVersions(t *testing.T) {
	for _, tc := range []struct {
		v2   bool
		n    int
		want bool
	}{{false, 4, false}, {false, 5, true}, {true, 5, false}, {true, 6, true}} {
		c := base(t)
		if tc.v2 {
			toV2(c)
		}
		c.Basis = nil
		for i := 0; i < tc.n; i++ {
			c.Basis = append(c.Basis, Basis{Type: BasisRecords, Date: today})
		}
		got := false
		for _, e := range Validate(c, today) {
			got = got || (e.Field == "basis" && e.Code == CodeTooManyBasis)
		}
		if got != tc.want {
			t.Errorf("v2=%v, %d bases: too_many_basis=%v, want %v", tc.v2, tc.n, got, tc.want)
		}
	}
}
