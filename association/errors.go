package association

import (
	"strconv"
	"strings"
)

// Error codes. They are part of the API (pages, JSON errors, imports): never
// rename one.
const (
	CodeRequired            = "required"
	CodeTooLong             = "too_long"
	CodeInvalidAmount       = "invalid_amount"
	CodeAmountOverflow      = "amount_overflow"
	CodeNegative            = "negative"
	CodeInvalidShare        = "invalid_share"
	CodeSharesSum           = "shares_sum"
	CodeNoParties           = "no_parties"
	CodeNoWeight            = "no_weight"
	CodeUnknownKey          = "unknown_key"
	CodeDuplicate           = "duplicate"
	CodeUnknownCode         = "unknown_code"
	CodeTooFewParties       = "too_few_parties"
	CodeResponsibleNotParty = "responsible_not_party"
	CodeEndBeforeStart      = "end_before_start"
	CodeInvalidYear         = "invalid_year"
	CodeInvalidExtent       = "invalid_extent"
	CodeNoneWithOthers      = "none_with_others"
	CodePersonalNoConsent   = "personal_data_without_consent"
	CodeProtectedIdentity   = "protected_identity_anonymous_only"
	CodeInvalidStatus       = "invalid_status"
	CodeStartRequired       = "start_required"
	CodeEndRequired         = "end_required"
	CodeEndNotAllowed       = "end_not_allowed"
	CodeEndReasonRequired   = "end_reason_required"
	CodeFollowUpBeforeEnd   = "follow_up_before_end"
	CodeFutureDate          = "future_date"
	CodeInvalidFollowUp     = "invalid_follow_up"
	CodeBaseExceedsTotal    = "base_exceeds_total"
	CodeInvalidOrgNumber    = "invalid_org_number"
	CodeInvalidNumber       = "invalid_number"
	CodeColumns             = "wrong_column_count"
	CodeHeader              = "bad_header"
	CodeCSV                 = "bad_csv"
	CodeEmpty               = "empty"
	CodeTooManyRows         = "too_many_rows"
	CodeOverlap             = "overlapping_registration"
	CodePartyNotMember      = "party_not_member"
	CodeCountsOnly          = "insats_counts_only"
	CodeWrongInsats         = "wrong_insats"
)

// Error is one problem with the input, in a form pages, the JSON API and
// imports can show as it is: a stable code, the field, and the message in
// English and Swedish. Line is the 1-based line of an imported file, 0
// when the input is not a file.
type Error struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	Field     string `json:"field"`
	Line      int    `json:"line,omitempty"`
	MessageSV string `json:"message_sv"`
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Code)
	if e.Line > 0 {
		b.WriteString(": line ")
		b.WriteString(strconv.Itoa(e.Line))
	}
	if e.Field != "" {
		b.WriteString(": ")
		b.WriteString(e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Message)
	return b.String()
}

func newError(code, field, en, sv string) *Error {
	return &Error{Code: code, Field: field, Message: en, MessageSV: sv}
}

// Errors is every problem found in one input: validation reports them all at
// once so that a form or an upload can be corrected in one go.
type Errors []*Error

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Has reports whether one of the errors has the code.
func (es Errors) Has(code string) bool {
	for _, e := range es {
		if e.Code == code {
			return true
		}
	}
	return false
}

// err returns es as an error, or nil when it is empty (a nil Errors in an
// error interface would not be nil).
func (es Errors) err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

func (es *Errors) add(code, field, en, sv string) {
	*es = append(*es, newError(code, field, en, sv))
}
