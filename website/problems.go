package website

import "github.com/finsam/finsam/validation"

// Problem is what is wrong with one field of a form: its name and a
// stable code the web layer words in the visitor's language.
type Problem = validation.Problem

// Problems are a form's problems in the order found; the first of a field
// wins. It is an error so that a validation inside a transaction rolls
// it back.
type Problems = validation.Problems

// The problem codes.
const (
	CodeRequired      = "required"
	CodeTooLong       = "too_long"
	CodeInvalid       = "invalid"
	CodeEmail         = "email"
	CodeUnknown       = "unknown"
	CodeEventPast     = "event_past"
	CodeAlreadySigned = "already_signed_up"
	CodeOrder         = "order"
	CodeSlugTaken     = "slug_taken"
	// CodeUnpublishOrder: a page's unpublishing is not after its
	// publishing.
	CodeUnpublishOrder = "unpublish_order"
)
