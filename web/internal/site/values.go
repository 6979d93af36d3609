package site

import (
	"net/url"
	"strings"
)

// Choice is one option of a select, radio group or checkbox group.
type Choice struct {
	Value, Label string
	Selected     bool
}

// ChoiceGroup is an optgroup of a select.
type ChoiceGroup struct {
	Label   string
	Options []Choice
}

// WithQuery is path with the query values that are set.
func WithQuery(path string, q url.Values) string {
	for k, v := range q {
		if len(v) == 0 || v[0] == "" {
			delete(q, k)
		}
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// SpreadsheetCell keeps a spreadsheet from reading a value as a formula:
// exports hold text others typed (a user name tried at sign-in, for one),
// and a cell starting with = + - @ or a tab would run in Excel (CSV
// injection, OWASP).
func SpreadsheetCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
