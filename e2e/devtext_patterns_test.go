package e2e

import (
	"regexp"
	"strings"
)

// devTextPattern is one kind of developer text that must never reach a page
// people read: what it looks like, and why it is there.
type devTextPattern struct {
	name string
	re   *regexp.Regexp
	// svOnly patterns hold on Swedish pages only (English words, Swedish
	// plurals and number formats).
	svOnly bool
}

// devTextPatterns is the one list of developer text the page walker
// (TestWalkEveryPageAsEveryRole) fails on. Each pattern has a positive and
// a negative example in TestDevTextPatterns; a new finding gets a pattern
// here, and the page is fixed at its source.
//
// The walker reads the text people see (innerText, with every details
// element opened) with web and e-mail addresses removed. Left out on
// purpose: pre.finsam-code blocks, which show a request in JSON to copy
// into the API or `finsam rules evaluate` under a heading that says so and
// are not printed; and elements marked translate="no", which hold data
// shown exactly as it is, never words of the page (a browser's user-agent
// string, the identifiers of a code list's upload file, a JSON scenario
// being edited).
var devTextPatterns = []devTextPattern{
	// A JSON path as an API error names a field: $.periods[0].from.
	{name: "JSON path", re: regexp.MustCompile(`\$\.[A-Za-z_]|\.[a-z_]+\[\d+\]`)},
	// Template syntax left unrendered, or text/template's nil value.
	{name: "template syntax", re: regexp.MustCompile(`\{\{|\}\}|<no value>`)},
	// fmt's complaints about a verb and its argument: %!d(string=…).
	{name: "fmt error", re: regexp.MustCompile(`%!`)},
	// Go values printed with %v: map[a:1], a pointer, a nil.
	{name: "Go value", re: regexp.MustCompile(`map\[|\b0x[0-9a-f]{4,}|<nil>`)},
	// A stable code meant for programs (invalid_flag, stale_version,
	// read_case) or a message id without its text: snake_case words.
	{name: "snake_case code", re: regexp.MustCompile(`\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b`)},
	// A dotted identifier: an audit action (case.read), a message id with
	// no translation (case.status.open), a rule name (rules.max_days). Domain
	// names and file names are no such thing (see dottedExempt).
	{name: "dotted identifier", re: regexp.MustCompile(`\b[a-z][a-z0-9]*(?:\.[a-z][a-z0-9_]*)+\b`)},
	// A rule expression: comparison and logic operators between names.
	{name: "rule expression", re: regexp.MustCompile(`[A-Za-z_]\w* *(?:==|!=|>=|<=|&&|\|\|) *\w`)},
	// An ICD-10 code with its dot doubled (F43..8A), as a code joined to
	// its subcode by string concatenation comes out.
	{name: "ICD code with a doubled dot", re: regexp.MustCompile(`\b[A-Z]\d{2}\.\.`)},
	// English developer words on a Swedish page.
	{name: "English developer word", svOnly: true, re: regexp.MustCompile(`\b(?:null|nil|undefined|NaN|true|false|TODO|FIXME|Internal Server Error|Not Found|Bad Request|error|Error)\b`)},
	// An amount or count of a thousand or more without the thousands
	// separated (1409 dagar, 12000 kr): four or more digits followed by a
	// unit or a counted noun. Ids, years, dates and personnummer carry no
	// unit and are left alone.
	{name: "number without thousands separator", svOnly: true, re: regexp.MustCompile(`(?:^|[^\d\-:/.,])\d{4,}(?:,\d+)? ?(?:kr|kronor|SEK|dagar|dag|ärenden|ärende|personer|intyg|veckor|timmar|st|%)\b`)},
	// Singular and plural: one of something is never "1 dagar".
	{name: "plural after one", re: regexp.MustCompile(`(?:^|[^\d\s.,\x{a0}\x{202f}])[ \x{a0}]?\b1[ \x{a0}](?:dagar|ärenden|veckor|månader|personer|timmar|åtgärder|signaler|frister|anteckningar|användare[n]?s|days|cases|weeks|months|persons|people|hours|actions|warnings|deadlines|notes|certificates)\b`)},
}

// dottedExempt are the endings that make a dotted word a domain name, a
// file name or an abbreviation (t.ex., e.g.) rather than an identifier.
var dottedExempt = map[string]bool{
	"ex": true, "g": true, "e": true, "a": true, "m": true, "k": true, "v": true,
	"se": true, "com": true, "org": true, "net": true, "nu": true, "eu": true, "io": true, "dev": true,
	"json": true, "csv": true, "xlsx": true, "pdf": true, "html": true, "css": true, "js": true, "svg": true,
	"txt": true, "xml": true, "yaml": true, "md": true,
}

// urlInText finds web and e-mail addresses in text, which may hold dots and
// underscores.
var urlInText = regexp.MustCompile(`https?://\S*[^\s.,;:)]|(?:^|\s)/[a-z]\S*[^\s.,;:)]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+`)

// devTextFinding is one match of a pattern on a page.
type devTextFinding struct {
	pattern, match, context string
}

// findDevText returns what the patterns find in a page's text; sv tells
// whether the page is Swedish.
func findDevText(text string, sv bool) []devTextFinding {
	text = urlInText.ReplaceAllString(text, " ")
	var out []devTextFinding
	for _, p := range devTextPatterns {
		if p.svOnly && !sv {
			continue
		}
		for _, loc := range p.re.FindAllStringIndex(text, -1) {
			m := text[loc[0]:loc[1]]
			if p.name == "dotted identifier" {
				if dottedExempt[m[strings.LastIndexByte(m, '.')+1:]] {
					continue
				}
			}
			from, to := max(0, loc[0]-40), min(len(text), loc[1]+40)
			for from > 0 && !isRuneStart(text[from]) {
				from--
			}
			for to < len(text) && !isRuneStart(text[to]) {
				to++
			}
			out = append(out, devTextFinding{pattern: p.name, match: strings.TrimSpace(m),
				context: strings.Join(strings.Fields(text[from:to]), " ")})
		}
	}
	return out
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
