package rules

import "strconv"

// Error codes. They are part of the API: callers (CLI, HTTP API, batch
// output) show them as they are, so never rename one.
const (
	CodeInvalidJSON        = "invalid_json"
	CodeUnknownField       = "unknown_field"
	CodeMissingField       = "missing_field"
	CodeInvalidType        = "invalid_type"
	CodeInvalidDate        = "invalid_date"
	CodeDateOutOfRange     = "date_out_of_range"
	CodeUnknownEmployment  = "unknown_employment"
	CodeInvalidDegree      = "invalid_degree"
	CodeToBeforeFrom       = "period_to_before_from"
	CodeOverlappingPeriods = "overlapping_periods"
	CodeNegativeIncome     = "negative_income"
	CodeInvalidIncome      = "invalid_income"
	CodeTooManyPeriods     = "too_many_periods"
	CodeLineTooLong        = "line_too_long"
	// CodeInvalidBirthDate: the birth date lies after the evaluated date.
	CodeInvalidBirthDate = "invalid_birth_date"
	// CodeInvalidKarenstid: karenstid_days is not a karenstid the law has
	// ever offered.
	CodeInvalidKarenstid = "invalid_karenstid"
	// CodeKarenstidNotAllowed: a karenstid that may not be chosen by this
	// person on that date (not self-employed, not offered then, or the age
	// limit of 27 kap. 31 § before 2025).
	CodeKarenstidNotAllowed = "karenstid_not_allowed"
)

// Error is a problem with the input, in a form the CLI, the HTTP API and the
// calculator page can show without further interpretation. Callers render it
// as {"error":{"code":…,"message":…,"field":…}}; the field order of the
// struct makes encoding/json produce exactly that shape.
type Error struct {
	// Code is a stable snake_case identifier such as "invalid_date".
	Code string `json:"code"`
	// Message is the English explanation.
	Message string `json:"message"`
	// Field is the JSON path of the offending value, e.g. "periods[1].to",
	// or "" when the problem is not tied to one field.
	Field string `json:"field"`
	// MessageSV is the Swedish explanation for the calculator page.
	MessageSV string `json:"-"`
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Field == "" {
		return e.Code + ": " + e.Message
	}
	return e.Code + ": " + e.Field + ": " + e.Message
}

func newError(code, field, en, sv string) *Error {
	return &Error{Code: code, Field: field, Message: en, MessageSV: sv}
}

// periodField returns the JSON path of a field of periods[i].
func periodField(i int, name string) string {
	return "periods[" + strconv.Itoa(i) + "]." + name
}
