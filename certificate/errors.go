package certificate

import "strconv"

// ParseError is a structural problem with a certificate's JSON or XML: the
// body is not a certificate at all (not JSON or XML, wrong JSON types,
// unknown fields, duplicate keys, trailing data, an unknown certificate
// type). The HTTP layer answers 400 for these; rule violations are
// FieldErrors from Validate (422).
type ParseError struct {
	// Field is the JSON path of the offending value ("sick_leave[1].to"),
	// or "" when the problem is not tied to one field.
	Field string `json:"field"`
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
)

// FieldError is one rule violation found by Validate.
type FieldError struct {
	// Field is the JSON path: "sick_leave[1].to", "diagnoses[0].code",
	// "issuer.hsa_id".
	Field string `json:"field"`
	// Code is stable: a generic code such as "missing", or the Inera rule id
	// and its meaning such as "R17_periods_overlap".
	Code string `json:"code"`
	// Message is English, MessageSV Swedish.
	Message   string `json:"message"`
	MessageSV string `json:"-"`
}

// indexed returns name[i].
func indexed(name string, i int) string { return name + "[" + strconv.Itoa(i) + "]" }
