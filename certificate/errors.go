package certificate

import (
	"strconv"
	"strings"
)

// ParseError is a structural problem with a certificate's JSON or XML: the
// body is not a certificate at all (not JSON or XML, wrong JSON types,
// unknown fields, duplicate keys, trailing data, an unknown certificate
// type). The HTTP layer answers 400 for these; rule violations are
// FieldErrors from Validate (422).
type ParseError struct {
	// Field is the JSON path of the offending value ("sick_leave[1].to"),
	// or "" when the problem is not tied to one field.
	Field string `json:"field"`
	// Answer names the svar and delsvar of RegisterCertificate
	// ("svar[28].delsvar[28.1]"), or "" when the problem is not in one.
	Answer string `json:"answer,omitempty"`
	// Code is a stable snake_case identifier (the Parse* constants).
	Code string `json:"code"`
	// Message is the English explanation.
	Message string `json:"message"`
}

// Error implements error.
func (e *ParseError) Error() string {
	if e.Field == "" {
		return e.Code + ": " + e.Message
	}
	return e.Code + ": " + e.Field + ": " + e.Message
}

// Codes of ParseError. They are part of the API: never rename one.
const (
	ParseInvalidJSON       = "invalid_json"
	ParseInvalidXML        = "invalid_xml"
	ParseInvalidType       = "invalid_type"
	ParseUnknownField      = "unknown_field"
	ParseDuplicateField    = "duplicate_field"
	ParseTrailingData      = "trailing_data"
	ParseInvalidDate       = "invalid_date"
	ParseInvalidDateTime   = "invalid_datetime"
	ParseInvalidNumber     = "invalid_number"
	ParseInvalidBoolean    = "invalid_boolean"
	ParseNotACertificate   = "not_a_certificate"
	ParseUnsupportedType   = "unsupported_certificate_type"
	ParseUnknownAnswer     = "unknown_answer"
	ParseDuplicateAnswer   = "duplicate_answer"
	ParseUnsupportedSystem = "unsupported_code_system"
	ParseTooManyElements   = "too_many_elements"
	// ParseUnsupportedVersion: a model version other than 1.x and 2.x.
	ParseUnsupportedVersion = "unsupported_version"
	// ParseUnsupportedNamespace: an element in a namespace that is neither
	// RegisterCertificate v3 nor v2.
	ParseUnsupportedNamespace = "unsupported_namespace"
	// ParseDuplicateDelsvar: one delsvar id twice in a svar.
	ParseDuplicateDelsvar = "duplicate_delsvar"
	// ParseEmptyAnswer: a svar without the delsvar it must have, or a
	// delsvar with no value.
	ParseEmptyAnswer = "empty_answer"
	// ParseNestedElement: an element inside a value (text, boolean, code,
	// code system, date).
	ParseNestedElement = "nested_element"
	// ParseRepeatedDisplayName: more than one displayName in a cv.
	ParseRepeatedDisplayName = "repeated_display_name"
	// ParseInvalidCodeSystem: a cv whose codeSystem is missing or is not
	// the code list of its delsvar.
	ParseInvalidCodeSystem = "invalid_code_system"
	// ParseMissingInstance: a repeatable svar of lisjp v1 without a
	// positive instans.
	ParseMissingInstance = "missing_instance"
)

// FieldError is one rule violation found by Validate.
type FieldError struct {
	// Field is the JSON path: "sick_leave[1].to", "diagnoses[0].code",
	// "issuer.hsa_id".
	Field string `json:"field"`
	// Answer is the svar and delsvar of RegisterCertificate the field is
	// sent in ("svar[32].delsvar[32.2]"), "" for the header (ids, patient,
	// issuer).
	Answer string `json:"answer,omitempty"`
	// Code is stable: a generic code such as "missing", or the Inera rule id
	// and its meaning such as "R17_periods_overlap".
	Code string `json:"code"`
	// Message is English, MessageSV Swedish.
	Message   string `json:"message"`
	MessageSV string `json:"-"`
}

// indexed returns name[i].
func indexed(name string, i int) string { return name + "[" + strconv.Itoa(i) + "]" }

// answers are the svar and delsvar of RegisterCertificate each field of
// the JSON is sent in, by the field's key; a field whose parts are sent in
// delsvar of their own has them in parts.
var answers = map[string]struct {
	svar, del string
	parts     map[string]string
}{
	"smittskydd":                {svar: "27", del: "27.1"},
	"basis":                     {svar: "1", parts: map[string]string{"type": "1.1", "date": "1.2", "description": "1.3"}},
	"occupation":                {svar: "28", del: "28.1"},
	"current_work":              {svar: "29", del: "29.1"},
	"labour_market_programme":   {svar: "30", del: "30.1"},
	"diagnoses":                 {svar: "6"}, // the delsvar count on with the diagnosis: see answerOf
	"functional_impairment":     {svar: "35", del: "35.1"},
	"activity_limitation":       {svar: "17", del: "17.1"},
	"ongoing_treatment":         {svar: "19", del: "19.1"},
	"planned_treatment":         {svar: "20", del: "20.1"},
	"sick_leave":                {svar: "32", parts: map[string]string{"degree": "32.1", "from": "32.2", "to": "32.2"}},
	"fmb_motivation":            {svar: "37", del: "37.1"},
	"working_time_distribution": {svar: "33", del: "33.1"},
	"working_time_motivation":   {svar: "33", del: "33.2"},
	"travel_to_work":            {svar: "34", del: "34.1"},
	"prognosis":                 {svar: "39", parts: map[string]string{"type": "39.1", "description": "39.2", "days": "39.3", "months": "39.4"}},
	"work_measures":             {svar: "40", del: "40.1"},
	"work_measures_text":        {svar: "44", del: "44.1"},
	"other":                     {svar: "25", del: "25.1"},
	"not_examined_reason":       {svar: "25", del: "25.1"},
	"early_start_reason":        {svar: "25", del: "25.1"},
	"contact_fk":                {svar: "26", del: "26.1"},
	"contact_reason":            {svar: "26", del: "26.2"},
}

// answerOf returns the svar and delsvar a JSON path is sent in, in the
// form "svar[32].delsvar[32.2]", or "svar[32]" for a whole list.
func answerOf(path string) string {
	key, rest, _ := strings.Cut(path, "[")
	idx := 0
	sub := ""
	if rest != "" {
		n, after, _ := strings.Cut(rest, "]")
		idx, _ = strconv.Atoi(n)
		sub = strings.TrimPrefix(after, ".")
	} else if k, s, ok := strings.Cut(path, "."); ok {
		key, sub = k, s
	}
	a, ok := answers[key]
	if !ok {
		return ""
	}
	svar, del := a.svar, a.del
	switch {
	case a.parts != nil:
		del = a.parts[sub]
	case key == "diagnoses" && (sub == "code" || sub == "system"):
		del = "6." + strconv.Itoa(2*idx+2)
	case key == "diagnoses" && sub == "text":
		del = "6." + strconv.Itoa(2*idx+1)
	}
	if del == "" || (rest != "" && sub == "" && key != "occupation" && key != "work_measures") {
		return "svar[" + svar + "]"
	}
	return "svar[" + svar + "].delsvar[" + del + "]"
}
