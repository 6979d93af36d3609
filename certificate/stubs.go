package certificate

import (
	"errors"
	"io"
)

// ParseError is a structural problem with a certificate's JSON or XML: the
// body is not a certificate at all, so the HTTP layer answers 400.
type ParseError struct {
	// Field is the JSON path of the offending value ("" when not tied to one).
	Field string `json:"field"`
	// Code is a stable snake_case identifier.
	Code string `json:"code"`
	// Message is the English explanation.
	Message string `json:"message"`
}

func (e *ParseError) Error() string {
	if e.Field == "" {
		return e.Code + ": " + e.Message
	}
	return e.Code + ": " + e.Field + ": " + e.Message
}

// FieldError is one validation problem.
type FieldError struct {
	Field     string `json:"field"`
	Code      string `json:"code"`
	Message   string `json:"message"`
	MessageSV string `json:"-"`
}

// ParseJSON decodes finsam's JSON form strictly.
func ParseJSON(data []byte) (*Certificate, error) { return nil, errors.New("not implemented") }

// ParseXML decodes RegisterCertificate v3 of type LISJP.
func ParseXML(data []byte) (*Certificate, error) { return nil, errors.New("not implemented") }

// Validate checks every rule and returns all problems, nil when valid.
func Validate(c *Certificate, today Date) []FieldError { return nil }

// Quality is a certificate's quality score and findings.
type Quality struct {
	Score    int       `json:"score"`
	Findings []Finding `json:"findings"`
}

// Finding is one quality problem.
type Finding struct {
	Code      string `json:"code"`
	AnswerID  string `json:"answer_id"`
	Message   string `json:"message"`
	MessageEN string `json:"-"`
}

// Assess scores a certificate's quality.
func Assess(c *Certificate, fmb *FMB, priorSickDays int) Quality { return Quality{Score: 100} }

// FMB is a table of recommended maximum sick-leave days per diagnosis.
type FMB struct {
	days map[string]int
}

// DefaultFMB returns the embedded table.
func DefaultFMB() *FMB { return &FMB{} }

// LoadFMBCSV reads an FMB table.
func LoadFMBCSV(r io.Reader) (*FMB, error) { return nil, errors.New("not implemented") }

// MaxDays returns the recommended maximum for a code.
func (f *FMB) MaxDays(code string) (int, bool) { d, ok := f.days[code]; return d, ok }

// Canonical returns the stable JSON encoding.
func (c *Certificate) Canonical() []byte { return nil }
