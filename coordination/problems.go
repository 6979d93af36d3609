package coordination

import "github.com/finsam/finsam/validation"

// Problem is one invalid field: the field's name (the form input's and the
// API's JSON name) and a stable code.
type Problem = validation.Problem

// Problems are a validation's findings, the first of a field winning. It
// is an error.
type Problems = validation.Problems
