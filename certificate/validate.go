package certificate

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/finsam/finsam/personnummer"
)

// Codes of FieldError. Rule codes start with the id of the rule in Inera's
// lisjp validator (InternalDraftValidatorImpl, "R2" …) so that they can be
// traced to it; the others are finsam's. They are part of the API: never
// rename one.
const (
	CodeMissing            = "missing"
	CodeInvalidCode        = "invalid_code"
	CodeDateOutOfRange     = "date_out_of_range"
	CodeDateInFuture       = "date_in_future"
	CodeBlankText          = "blank_text"
	CodeTextTooLong        = "text_too_long"
	CodeInvalidPersonnr    = "invalid_personnummer"
	CodeInvalidHSAID       = "invalid_hsa_id"
	CodeBasisRepeated      = "R1_basis_type_repeated"
	CodeTooManyBasis       = "too_many_basis"
	CodeAnnatNeedsText     = "R2_annat_requires_description"
	CodeTextNeedsAnnat     = "R3_description_requires_annat"
	CodeOccupationRepeated = "R5_occupation_repeated"
	CodeCurrentWorkMissing = "R9_current_work_required"
	CodeCurrentWorkNotWork = "R10_current_work_requires_nuvarande_arbete"
	CodeTooManyOccupations = "too_many_occupations"
	CodeTooManyDiagnoses   = "too_many_diagnoses"
	CodeInvalidDiagnosis   = "invalid_diagnosis_code"
	CodeDiagnosisLength    = "diagnosis_code_length"
	CodePsychDiagnosisLen  = "diagnosis_code_too_short_for_f_or_z73"
	CodeTooManyPeriods     = "too_many_periods"
	CodeToBeforeFrom       = "period_to_before_from"
	CodeWorkTimeRequired   = "R13_working_time_distribution_required"
	CodeWorkTimeMotivation = "R14_working_time_motivation_required"
	CodeWorkTimeNoMotiv    = "R15_working_time_motivation_not_allowed"
	CodeWorkTimeNotAllowed = "R16_working_time_distribution_not_allowed"
	CodePeriodsOverlap     = "R17_periods_overlap"
	CodeDegreeRepeated     = "R22_degree_repeated"
	CodePrognosisDaysNeed  = "prognosis_days_required"
	CodePrognosisDaysNot   = "prognosis_days_not_allowed"
	CodePrognosisDaysBad   = "invalid_prognosis_days"
	CodePrognosisMonthNeed = "prognosis_months_required"
	CodePrognosisMonthNot  = "prognosis_months_not_allowed"
	CodePrognosisMonthBad  = "invalid_prognosis_months"
	CodeMeasureNotAlone    = "R21_ej_aktuellt_must_stand_alone"
	CodeMeasureNoText      = "R27_ej_aktuellt_without_description"
	CodeMeasureRepeated    = "R29_work_measure_repeated"
	CodeTooManyMeasures    = "too_many_work_measures"
	CodeContactReasonAlone = "contact_reason_without_contact"
	CodeRelationToItself   = "relation_to_itself"
	// CodeNotInVersion: an answer the certificate's model version does not
	// have (svar 40 in v2, 39.2 and 39.4 in v1, 39.3 in v2, svar 30 outside
	// Inera's 2016 schema).
	CodeNotInVersion         = "not_in_version"
	CodeLabourMarketRequired = "labour_market_programme_required"
	CodeLabourMarketNotProg  = "labour_market_programme_requires_occupation"
	CodeMeasureTextRequired  = "work_measures_text_required"
	CodePrognosisDescNeed    = "prognosis_description_required"
	CodeMixedCodeSystems     = "R12_diagnoses_in_one_code_system"
	CodeAdditionalRepeated   = "additional_question_repeated"
	CodeAdditionalID         = "invalid_additional_question"
)

// Limits. The list limits are Inera's (validator constants and the lisjp
// schematron); the text limit is FK7804 v2.0's; the id limit is finsam's
// (it is stored and shown, and real ids are UUIDs).
const (
	maxDiagnoses    = 3
	maxPeriods      = 4
	maxWorkMeasures = 10
	maxTextRunes    = 4000
	maxIDLen        = 128
)

// The dates Inera's InternalDate accepts, widened to the end of 2099 so
// that a certificate's periods never outrun the model.
var (
	minDate = MustDate("1900-01-01")
	maxDate = MustDate("2099-12-31")
)

// messages holds the English and Swedish text of each code that has a
// fixed message.
var messages = map[string][2]string{
	CodeMissing:            {"is required", "måste fyllas i"},
	CodeInvalidCode:        {"is not a code of the code list", "är inte en kod i kodverket"},
	CodeDateOutOfRange:     {"must be between 1900-01-01 and 2099-12-31", "måste vara mellan 1900-01-01 och 2099-12-31"},
	CodeDateInFuture:       {"must not be later than today", "får inte vara senare än i dag"},
	CodeBlankText:          {"must not consist only of blanks", "får inte bestå av enbart blanksteg"},
	CodeBasisRepeated:      {"each basis type may be given only once", "varje grund för intyget får anges bara en gång"},
	CodeTooManyBasis:       {"at most 5 bases may be given", "högst 5 grunder för intyget får anges"},
	CodeAnnatNeedsText:     {"basis ANNAT needs a description", "grunden Annat måste beskrivas"},
	CodeTextNeedsAnnat:     {"a description is allowed only for basis ANNAT", "beskrivning får bara anges för grunden Annat"},
	CodeOccupationRepeated: {"each occupation may be given only once", "varje sysselsättning får anges bara en gång"},
	CodeCurrentWorkMissing: {"current work must be described when the occupation is NUVARANDE_ARBETE", "nuvarande arbete måste beskrivas när sysselsättningen är Nuvarande arbete"},
	CodeCurrentWorkNotWork: {"current work may be described only when the occupation is NUVARANDE_ARBETE", "nuvarande arbete får bara beskrivas när sysselsättningen är Nuvarande arbete"},
	CodeTooManyOccupations: {"at most 4 occupations may be given", "högst 4 sysselsättningar får anges"},
	CodeTooManyDiagnoses:   {"at most 3 diagnoses may be given", "högst 3 diagnoser får anges"},
	CodeInvalidDiagnosis:   {"is not an ICD-10-SE code (a letter, two digits, then up to two more letters or digits; a dot after the third character is allowed)", "är inte en ICD-10-SE-kod (en bokstav, två siffror och högst två tecken till; punkt efter tredje tecknet är tillåten)"},
	CodeDiagnosisLength:    {"a diagnosis code has 3 to 5 characters", "en diagnoskod har 3 till 5 tecken"},
	CodePsychDiagnosisLen:  {"codes starting with F or Z73 need at least 4 characters", "koder som börjar på F eller Z73 måste ha minst 4 tecken"},
	CodeTooManyPeriods:     {"at most 4 sick-leave periods may be given", "högst 4 sjukskrivningsperioder får anges"},
	CodeToBeforeFrom:       {"the period ends before it starts", "perioden slutar innan den börjar"},
	CodeWorkTimeRequired:   {"must be answered when a period is 75, 50 or 25 percent", "måste besvaras när någon period är 75, 50 eller 25 procent"},
	CodeWorkTimeMotivation: {"a motivation is required when working time is distributed otherwise", "motivering krävs när arbetstiden ska förläggas på annat sätt"},
	CodeWorkTimeNoMotiv:    {"a motivation is allowed only when working time is distributed otherwise", "motivering får bara anges när arbetstiden ska förläggas på annat sätt"},
	CodeWorkTimeNotAllowed: {"working time distribution is not answered when the sick leave is full time", "arbetstidsförläggning besvaras inte vid hel sjukskrivning"},
	CodePeriodsOverlap:     {"sick-leave periods must not overlap", "sjukskrivningsperioderna får inte överlappa varandra"},
	CodeDegreeRepeated:     {"each degree may be given only once", "varje sjukskrivningsgrad får anges bara en gång"},
	CodePrognosisDaysNeed:  {"the number of days is required with ATER_X_ANTAL_DGR", "antal dagar måste anges när prognosen är återgång efter ett antal dagar"},
	CodePrognosisDaysNot:   {"days are allowed only with ATER_X_ANTAL_DGR", "antal dagar får bara anges när prognosen är återgång efter ett antal dagar"},
	CodePrognosisDaysBad:   {"days must be 30, 60, 90, 180 or 365", "antal dagar måste vara 30, 60, 90, 180 eller 365"},
	CodePrognosisMonthNeed: {"the number of months is required with ATER_X_ANTAL_MANADER", "antal månader måste anges när prognosen är återgång efter ett antal månader"},
	CodePrognosisMonthNot:  {"months are allowed only with ATER_X_ANTAL_MANADER", "antal månader får bara anges när prognosen är återgång efter ett antal månader"},
	CodePrognosisMonthBad:  {"months must be 1 to 99", "antal månader måste vara 1 till 99"},
	CodeMeasureNotAlone:    {"EJ_AKTUELLT cannot be combined with other measures", "Inte aktuellt kan inte kombineras med andra åtgärder"},
	CodeMeasureNoText:      {"no description of measures with EJ_AKTUELLT", "åtgärder beskrivs inte när Inte aktuellt är valt"},
	CodeMeasureRepeated:    {"each measure may be given only once", "varje åtgärd får anges bara en gång"},
	CodeTooManyMeasures:    {"at most 10 work measures may be given", "högst 10 åtgärder får anges"},
	CodeContactReasonAlone: {"a reason for contact is allowed only when contact with Försäkringskassan is wanted", "anledning får bara anges när kontakt med Försäkringskassan önskas"},
	CodeRelationToItself:   {"a certificate cannot relate to itself", "ett intyg kan inte hänvisa till sig självt"},
	CodeNotInVersion:       {"is not part of this version of the certificate", "finns inte i den här versionen av intyget"},
	CodeLabourMarketRequired: {"the labour market programme must be described when the occupation is PROGRAM",
		"programmet måste beskrivas när sysselsättningen är Arbetsmarknadspolitiskt program"},
	CodeLabourMarketNotProg: {"a labour market programme may be described only with the occupation PROGRAM",
		"program får bara beskrivas när sysselsättningen är Arbetsmarknadspolitiskt program"},
	CodeMeasureTextRequired: {"the work measures must be described", "åtgärderna måste beskrivas"},
	CodePrognosisDescNeed:   {"the basis of an unclear prognosis must be described", "underlaget för en oklar prognos måste beskrivas"},
	CodeMixedCodeSystems:    {"all diagnoses must use the same code system", "alla diagnoser måste anges i samma kodverk"},
	CodeAdditionalRepeated:  {"each additional question may be answered only once", "varje tilläggsfråga får besvaras bara en gång"},
	CodeAdditionalID:        {"is not the id of an additional question (9001 and up)", "är inte id för en tilläggsfråga (9001 och uppåt)"},
}

type validator struct {
	errs  []FieldError
	today Date
}

// The checks take the field as a loc, so that the path of a list element
// ("sick_leave[1].to") is built only when there is an error to report.

func (v *validator) add(field, code string) { v.addAt(loc{key: field}, code) }

func (v *validator) addAt(f loc, code string) {
	m := messages[code]
	path := f.String()
	v.errs = append(v.errs, FieldError{Field: path, Answer: answerOf(path), Code: code, Message: m[0], MessageSV: m[1]})
}

func (v *validator) addMsg(field, code, en, sv string) { v.addMsgAt(loc{key: field}, code, en, sv) }

func (v *validator) addMsgAt(f loc, code, en, sv string) {
	path := f.String()
	v.errs = append(v.errs, FieldError{Field: path, Answer: answerOf(path), Code: code, Message: en, MessageSV: sv})
}

// Validate checks c against the sending systems' rules (Inera's lisjp
// validator, the lisjp schematron, the personnummer and HSA-id validators)
// and returns every problem at once, in the order of the form, or nil when
// c is valid. today is the Swedish calendar day the certificate is received
// on: dates after it are refused, and personnummer are read on it.
//
// When Smittskydd is true the reduced rule set applies, as in Inera's
// validator: basis, occupation, functional impairment, activity limitation,
// working time distribution (R13), prognosis and work measures are not
// required. What is given is still checked for consistency (codes, R2/R3,
// R5, R9/R10, R21/R27/R29, limits), since an inconsistent answer is wrong
// whether or not it was required.
//
// Each major version has its own code lists, answers and limits:
//   - lisjp v1 (1.x): bases UNDERSOKNING, TELEFONKONTAKT,
//     JOURNALUPPGIFTER, ANNAT, at most 4; the prognosis ATER_X_ANTAL_DGR
//     with days (39.3); work measures (40) required unless smittskydd,
//     with an optional description (44). In Inera's 2016 schema
//     (Schema2016) also the occupation PROGRAM (labour market programme) with
//     its description (30), up to 5 occupations, and 44 required with any
//     measure but EJ_AKTUELLT;
//   - FK7804 v2 (2.x): bases FYSISKUNDERSOKNING, DIGITALUNDERSOKNING,
//     TELEFONKONTAKT, JOURNALUPPGIFTER, ANNAT (at most 5, the ANNAT
//     description at most 50 characters); ATER_X_ANTAL_MANADER with 1–99
//     months (39.4); PROGNOS_OKLAR needs its basis described (39.2); no
//     svar 40, and 44 is optional.
func Validate(c *Certificate, today Date) []FieldError {
	v := validator{today: today}
	if _, ok := NormalizeVersion(c.Version); !ok && c.Version != "" {
		v.add("version", CodeInvalidCode)
	}
	m := c.model()
	v.header(c)
	smitt := c.Smittskydd
	v.basis(c, m, smitt)
	v.occupation(c, m, smitt)
	v.diagnoses(c)
	v.textRequired("functional_impairment", c.FunctionalImpairment, !smitt)
	v.textRequired("activity_limitation", c.ActivityLimitation, !smitt)
	v.textOptional("ongoing_treatment", c.OngoingTreatment)
	v.textOptional("planned_treatment", c.PlannedTreatment)
	v.sickLeave(c, smitt)
	v.textOptional("early_start_reason", c.EarlyStartReason)
	v.textOptional("fmb_motivation", c.FMBMotivation)
	v.prognosis(c, m, smitt)
	v.workMeasures(c, m, smitt)
	v.textOptional("other", c.Other)
	v.textOptional("contact_reason", c.ContactReason)
	if !c.ContactFK && !isBlank(c.ContactReason) {
		v.add("contact_reason", CodeContactReasonAlone)
	}
	v.relation(c)
	v.additional(c)
	if len(v.errs) == 0 {
		return nil
	}
	return v.errs
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

// textOptional refuses whitespace-only text (lisjp.validation.blanksteg.
// otillatet) and text over the length limit.
func (v *validator) textOptional(field, s string) { v.textOptionalAt(loc{key: field}, s) }

func (v *validator) textOptionalAt(f loc, s string) {
	if s != "" && isBlank(s) {
		v.addAt(f, CodeBlankText)
		return
	}
	v.textLengthAt(f, s, maxTextRunes)
}

// textRequired is textOptional when required is false.
func (v *validator) textRequired(field, s string, required bool) {
	v.textRequiredAt(loc{key: field}, s, required)
}

func (v *validator) textRequiredAt(f loc, s string, required bool) {
	if required && isBlank(s) {
		v.addAt(f, CodeMissing)
		return
	}
	v.textOptionalAt(f, s)
}

func (v *validator) textLength(field, s string, limit int) { v.textLengthAt(loc{key: field}, s, limit) }

func (v *validator) textLengthAt(f loc, s string, limit int) {
	if len(s) > limit && utf8.RuneCountInString(s) > limit {
		n := strconv.Itoa(limit)
		v.addMsgAt(f, CodeTextTooLong, "is longer than "+n+" characters", "är längre än "+n+" tecken")
	}
}

// date checks that d is given and within the accepted range, and, when
// notFuture, not after today.
func (v *validator) date(f loc, d Date, notFuture bool) bool {
	switch {
	case d.IsZero():
		v.addAt(f, CodeMissing)
	case d.Before(minDate) || d.After(maxDate):
		v.addAt(f, CodeDateOutOfRange)
	case notFuture && d.After(v.today):
		v.addAt(f, CodeDateInFuture)
	default:
		return true
	}
	return false
}

func (v *validator) header(c *Certificate) {
	v.textRequired("id", c.ID, true)
	v.textLength("id", c.ID, maxIDLen)
	signed := Date{}
	if c.SignedAt.IsZero() {
		v.add("signed_at", CodeMissing)
	} else if v.date(loc{key: "signed_at"}, c.SignedDate(), true) {
		signed = c.SignedDate()
	}
	v.personnummer(c.Patient.Personnummer, signed)
	v.hsaID("issuer.hsa_id", c.Issuer.HSAID)
	v.textRequired("issuer.name", c.Issuer.Name, true)
	v.textLength("issuer.name", c.Issuer.Name, maxTextRunes)
	v.hsaID("issuer.unit_hsa_id", c.Issuer.UnitHSAID)
	v.textOptional("issuer.unit_name", c.Issuer.UnitName)
	v.hsaID("issuer.care_provider_hsa_id", c.Issuer.CareProviderHSAID)
	v.textOptional("issuer.care_provider_name", c.Issuer.CareProviderName)
}

func (v *validator) personnummer(s string, signed Date) {
	const field = "patient.personnummer"
	if isBlank(s) {
		v.add(field, CodeMissing)
		return
	}
	n, err := personnummer.Parse(s, v.today.Time())
	if err != nil {
		en, sv := "is not a valid personnummer or samordningsnummer", "är inte ett giltigt personnummer eller samordningsnummer"
		switch {
		case errors.Is(err, personnummer.ErrChecksum):
			en, sv = "has a wrong check digit", "har fel kontrollsiffra"
		case errors.Is(err, personnummer.ErrDate):
			en, sv = "has a birth date that does not exist", "har ett födelsedatum som inte finns"
		case errors.Is(err, personnummer.ErrFuture):
			en, sv = "has a birth date in the future", "har ett födelsedatum i framtiden"
		}
		v.addMsg(field, CodeInvalidPersonnr, en, sv)
		return
	}
	// A patient born after the certificate was signed is a wrong number;
	// checking it also makes a 10-digit number resolve to the same century
	// whether read on today or on the signing day (see Canonical).
	if !signed.IsZero() && DateOf(n.BirthDate()).After(signed) {
		v.addMsg(field, CodeInvalidPersonnr, "has a birth date after the certificate was signed",
			"har ett födelsedatum efter det att intyget signerades")
	}
}

func (v *validator) hsaID(field, s string) {
	if s == "" {
		v.add(field, CodeMissing)
		return
	}
	if p := hsaIDProblem(s); p != "" {
		v.addMsg(field, CodeInvalidHSAID, "is not a valid HSA-id: it "+p, "är inte ett giltigt HSA-id")
	}
}

// listCount checks the length n of a list the certificate must have
// (unless it is about smittskydd), with no more than most entries, which the
// messages name in English and Swedish.
func (v *validator) listCount(field string, n, most int, smitt bool, code, en, sv string) {
	if n == 0 {
		if !smitt {
			v.add(field, CodeMissing)
		}
	} else if n > most {
		m := strconv.Itoa(most)
		v.addMsg(field, code, "at most "+m+" "+en+" may be given", "högst "+m+" "+sv+" får anges")
	}
}

func (v *validator) basis(c *Certificate, m *model, smitt bool) {
	v.listCount("basis", len(c.Basis), m.maxBasis, smitt, CodeTooManyBasis, "bases", "grunder för intyget")
	var seen [16]bool
	for i, b := range c.Basis {
		at := func(key string) loc { return loc{arr: "basis", idx: i, key: key} }
		v.codeOf(at("type"), b.Type, basisOrder, m.basis, &seen, CodeBasisRepeated)
		v.date(at("date"), b.Date, true)
		switch {
		case b.Type == BasisOther && isBlank(b.Description):
			v.addAt(at("description"), CodeAnnatNeedsText) // R2
		case b.Type != BasisOther && b.Description != "":
			v.addAt(at("description"), CodeTextNeedsAnnat) // R3
		case m.annatMax > 0:
			v.textOptionalAt(at("description"), b.Description)
			v.textLengthAt(at("description"), b.Description, m.annatMax)
		default:
			v.textOptionalAt(at("description"), b.Description)
		}
	}
	v.textOptional("not_examined_reason", c.NotExaminedReason)
}

// codeList checks the codes of a list at arr with codeOf.
func (v *validator) codeList(arr string, codes, order, allowed []string, repeated string) {
	var seen [16]bool
	for i, c := range codes {
		v.codeOf(loc{arr: arr, idx: i}, c, order, allowed, &seen, repeated)
	}
}

// codeOf checks one code of a list, at at: given, one of allowed (order,
// the code list, or the part of it the version has), and not one that seen
// marks as met before (repeated is the rule's code for that). It returns
// the code's index in order, -1 when it has none.
func (v *validator) codeOf(at loc, code string, order, allowed []string, seen *[16]bool, repeated string) int {
	k := indexOf(order, code)
	switch {
	case code == "":
		v.addAt(at, CodeMissing)
	case k < 0 || indexOf(allowed, code) < 0:
		v.addAt(at, CodeInvalidCode)
	case seen[k]:
		v.addAt(at, repeated)
	default:
		seen[k] = true
	}
	return k
}

func (v *validator) occupation(c *Certificate, m *model, smitt bool) {
	v.listCount("occupation", len(c.Occupation), m.maxOccup, smitt, CodeTooManyOccupations, "occupations", "sysselsättningar")
	v.codeList("occupation", c.Occupation, occupationOrder, m.occupation, CodeOccupationRepeated) // R5
	working := slices.Contains(c.Occupation, OccupationCurrentWork)
	programme := slices.Contains(c.Occupation, OccupationLabourMarket)
	switch {
	case !c.Schema2016 && c.LabourMarketProgramme != "":
		v.add("labour_market_programme", CodeNotInVersion)
	case programme && isBlank(c.LabourMarketProgramme):
		v.add("labour_market_programme", CodeLabourMarketRequired)
	case !programme && c.LabourMarketProgramme != "":
		v.add("labour_market_programme", CodeLabourMarketNotProg)
	}
	switch {
	case working && isBlank(c.CurrentWork):
		v.add("current_work", CodeCurrentWorkMissing) // R9
	case !working && !isBlank(c.CurrentWork):
		v.add("current_work", CodeCurrentWorkNotWork) // R10
	default:
		v.textOptional("current_work", c.CurrentWork)
	}
}

func (v *validator) diagnoses(c *Certificate) {
	if len(c.Diagnoses) == 0 {
		v.add("diagnoses", CodeMissing)
	} else if len(c.Diagnoses) > maxDiagnoses {
		v.add("diagnoses", CodeTooManyDiagnoses)
	}
	for i, d := range c.Diagnoses {
		at := func(key string) loc { return loc{arr: "diagnoses", idx: i, key: key} }
		if d.Code == "" {
			v.addAt(at("code"), CodeMissing)
		} else if code := NormalizeDiagnosisCode(d.Code); !diagnosisSyntax(code) {
			v.addAt(at("code"), CodeInvalidDiagnosis)
		} else if len(code) < 3 || len(code) > 5 {
			v.addAt(at("code"), CodeDiagnosisLength)
		} else if len(code) < 4 && (code[0] == 'F' || strings.HasPrefix(code, "Z73")) {
			v.addAt(at("code"), CodePsychDiagnosisLen)
		}
		v.textRequiredAt(at("text"), d.Text, true)
		switch sys := diagnosisSystem(d.System); {
		case sys == "":
			v.addAt(at("system"), CodeInvalidCode)
		case sys != diagnosisSystem(c.Diagnoses[0].System):
			v.addAt(at("system"), CodeMixedCodeSystems) // R12
		}
	}
}

// diagnosisSystem returns the code system's JSON name, "" for an unknown
// one.
func diagnosisSystem(s string) string {
	switch s {
	case "", SystemICD10SE, oidICD10SE:
		return SystemICD10SE
	case SystemKSH97P, oidKSH97P:
		return SystemKSH97P
	}
	return ""
}

// NormalizeDiagnosisCode returns an ICD-10-SE code as finsam stores it:
// upper-case, without the dot ("f32.1" → "F321"). Codes that are not
// well-formed are returned upper-cased, with at most the dot after the
// third character removed.
func NormalizeDiagnosisCode(code string) string {
	if len(code) > 4 && code[3] == '.' {
		code = code[:3] + code[4:]
	} else if len(code) == 4 && code[3] == '.' {
		code = code[:3]
	}
	for i := 0; i < len(code); i++ {
		if c := code[i]; c >= 'a' && c <= 'z' {
			return strings.ToUpper(code)
		}
	}
	return code
}

// diagnosisSyntax checks the shape of a normalised ICD-10-SE or KSH97-P
// code as Inera's schematron does: a letter, two digits, then letters,
// digits or "-" (KSH97-P groups and unspecified codes end in "-"; length
// is checked apart, to give its own error).
func diagnosisSyntax(code string) bool {
	if len(code) < 3 || code[0] < 'A' || code[0] > 'Z' {
		return false
	}
	for i := 1; i < len(code); i++ {
		c := code[i]
		digit := c >= '0' && c <= '9'
		if i < 3 && !digit {
			return false
		}
		if !digit && (c < 'A' || c > 'Z') && c != '-' {
			return false
		}
	}
	return true
}

func (v *validator) sickLeave(c *Certificate, smitt bool) {
	if len(c.SickLeave) == 0 {
		v.add("sick_leave", CodeMissing)
	} else if len(c.SickLeave) > maxPeriods {
		v.add("sick_leave", CodeTooManyPeriods)
	}
	var seen [16]bool
	// Up to 8 periods need no allocation; Validate refuses more than 4.
	var validBuf, reportedBuf [8]bool
	valid, reported := validBuf[:0], reportedBuf[:0]
	if n := len(c.SickLeave); n > len(validBuf) {
		valid, reported = make([]bool, 0, n), make([]bool, 0, n)
	}
	valid, reported = valid[:len(c.SickLeave)], reported[:len(c.SickLeave)]
	partial, full := false, false
	for i, s := range c.SickLeave {
		at := func(key string) loc { return loc{arr: "sick_leave", idx: i, key: key} }
		k := v.codeOf(at("degree"), s.Degree, degreeOrder, degreeOrder, &seen, CodeDegreeRepeated) // R22
		partial = partial || (k > 0)
		full = full || k == 0
		// Periods may lie in the future: neither Inera validator limits how
		// far back or forward they may start.
		okFrom := v.date(at("from"), s.From, false)
		okTo := v.date(at("to"), s.To, false)
		if okFrom && okTo {
			if s.To.Before(s.From) {
				v.addAt(at("to"), CodeToBeforeFrom)
			} else {
				valid[i] = true
			}
		}
	}
	// R17: no two periods may share a day (the check is inclusive). The
	// error goes on the period that starts later, as in Inera's validator.
	for i := range c.SickLeave {
		for j := i + 1; j < len(c.SickLeave); j++ {
			a, b := c.SickLeave[i], c.SickLeave[j]
			if !valid[i] || !valid[j] || a.From.After(b.To) || b.From.After(a.To) {
				continue
			}
			later := j
			if a.From.After(b.From) {
				later = i
			}
			if !reported[later] {
				reported[later] = true
				v.addAt(loc{arr: "sick_leave", idx: later, key: "from"}, CodePeriodsOverlap)
			}
		}
	}
	// R13–R16, arbetstidsförläggning (33).
	mandatory := !smitt && partial
	wtd, motiv := c.WorkingTimeDistribution, c.WorkingTimeMotivation
	switch {
	case mandatory && wtd == nil:
		v.add("working_time_distribution", CodeWorkTimeRequired) // R13
	case mandatory && *wtd && isBlank(motiv):
		v.add("working_time_motivation", CodeWorkTimeMotivation) // R14
	case mandatory && !*wtd && !isBlank(motiv):
		v.add("working_time_motivation", CodeWorkTimeNoMotiv) // R15
	case !mandatory && full && wtd != nil:
		v.add("working_time_distribution", CodeWorkTimeNotAllowed) // R16
	case !mandatory && full && !isBlank(motiv):
		v.add("working_time_motivation", CodeWorkTimeNotAllowed) // R16
	case !mandatory && wtd != nil && !*wtd && !isBlank(motiv):
		// Smittskydd with partial periods: 33 is optional but R15 still
		// holds for what is given.
		v.add("working_time_motivation", CodeWorkTimeNoMotiv)
	default:
		v.textOptional("working_time_motivation", motiv)
	}
}

func (v *validator) prognosis(c *Certificate, m *model, smitt bool) {
	p := c.Prognosis
	if p == nil || p.Type == "" {
		if !smitt {
			if p == nil {
				v.add("prognosis", CodeMissing)
			} else {
				v.add("prognosis.type", CodeMissing)
			}
		}
		if p == nil {
			return
		}
	} else if indexOf(m.prognosis, p.Type) < 0 {
		v.add("prognosis.type", CodeInvalidCode)
	}
	// Answers the version does not have are refused before their rules.
	if !m.days && p.Days != 0 {
		v.add("prognosis.days", CodeNotInVersion)
		p = &Prognosis{Type: p.Type, Months: p.Months, Description: p.Description}
	}
	if !m.months && (p.Months != 0 || p.Description != "") {
		if p.Months != 0 {
			v.add("prognosis.months", CodeNotInVersion)
		}
		if p.Description != "" {
			v.add("prognosis.description", CodeNotInVersion)
		}
		p = &Prognosis{Type: p.Type, Days: p.Days}
	}
	if m.months && p.Type == PrognosisUnclear && isBlank(p.Description) {
		v.add("prognosis.description", CodePrognosisDescNeed)
	} else {
		v.textOptional("prognosis.description", p.Description)
	}
	// INTYG-2286: days go with ATER_X_ANTAL_DGR and only with it; v2.0's
	// months likewise with ATER_X_ANTAL_MANADER.
	switch {
	case !m.days:
	case p.Type == PrognosisBackInDays && p.Days == 0:
		v.add("prognosis.days", CodePrognosisDaysNeed)
	case p.Type == PrognosisBackInDays && !validPrognosisDays(p.Days):
		v.add("prognosis.days", CodePrognosisDaysBad)
	case p.Type != PrognosisBackInDays && p.Days != 0:
		v.add("prognosis.days", CodePrognosisDaysNot)
	}
	switch {
	case !m.months:
	case p.Type == PrognosisBackInMonths && p.Months == 0:
		v.add("prognosis.months", CodePrognosisMonthNeed)
	case p.Type == PrognosisBackInMonths && (p.Months < 1 || p.Months > 99):
		v.add("prognosis.months", CodePrognosisMonthBad)
	case p.Type != PrognosisBackInMonths && p.Months != 0:
		v.add("prognosis.months", CodePrognosisMonthNot)
	}
}

func (v *validator) workMeasures(c *Certificate, mod *model, smitt bool) {
	m := c.WorkMeasures
	if !mod.workMeasures {
		// v2 has only the text 44, and it is optional.
		if len(m) > 0 {
			v.add("work_measures", CodeNotInVersion)
		}
		v.textOptional("work_measures_text", c.WorkMeasuresText)
		return
	}
	if len(m) == 0 && !smitt {
		v.add("work_measures", CodeMissing)
	}
	if len(m) > maxWorkMeasures {
		v.add("work_measures", CodeTooManyMeasures)
	}
	v.codeList("work_measures", m, workMeasureOrder, workMeasureOrder, CodeMeasureRepeated) // R29
	none := slices.Contains(m, WorkMeasureNone)
	if none && len(m) > 1 {
		v.add("work_measures", CodeMeasureNotAlone) // R21
	}
	if none && !isBlank(c.WorkMeasuresText) {
		v.add("work_measures_text", CodeMeasureNoText) // R27
	} else if c.Schema2016 && len(m) > 0 && !none && isBlank(c.WorkMeasuresText) {
		v.add("work_measures_text", CodeMeasureTextRequired)
	} else {
		v.textOptional("work_measures_text", c.WorkMeasuresText)
	}
}

func (v *validator) relation(c *Certificate) {
	r := c.Relation
	if r == nil {
		return
	}
	if r.Type == "" {
		v.add("relation.type", CodeMissing)
	} else if indexOf(RelationTypes, r.Type) < 0 {
		v.add("relation.type", CodeInvalidCode)
	}
	switch {
	case isBlank(r.CertificateID):
		v.add("relation.certificate_id", CodeMissing)
	case r.CertificateID == c.ID:
		v.add("relation.certificate_id", CodeRelationToItself)
	default:
		v.textLength("relation.certificate_id", r.CertificateID, maxIDLen)
	}
}

// additional checks Försäkringskassan's additional questions: numeric ids
// from 9001, each once (Inera's q9000 rules), with an answer.
func (v *validator) additional(c *Certificate) {
	for i, a := range c.Additional {
		f := loc{arr: "additional", idx: i, key: "id"}
		ans := "svar[" + a.ID + "].delsvar[" + a.ID + ".1]"
		n, err := strconv.Atoi(a.ID)
		switch {
		case err != nil || n < 9001 || strconv.Itoa(n) != a.ID:
			m := messages[CodeAdditionalID]
			v.errs = append(v.errs, FieldError{Field: f.String(), Code: CodeAdditionalID, Message: m[0], MessageSV: m[1]})
			continue
		case slices.ContainsFunc(c.Additional[:i], func(b AdditionalAnswer) bool { return b.ID == a.ID }):
			m := messages[CodeAdditionalRepeated]
			v.errs = append(v.errs, FieldError{Field: f.String(), Answer: ans, Code: CodeAdditionalRepeated, Message: m[0], MessageSV: m[1]})
		}
		before := len(v.errs)
		v.textRequiredAt(loc{arr: "additional", idx: i, key: "text"}, a.Text, true)
		for j := before; j < len(v.errs); j++ {
			v.errs[j].Answer = ans
		}
	}
}
