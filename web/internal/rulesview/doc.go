// Package rulesview shows the rules engine's answers to people: the one
// timeline picture (periods, the chain's phases, and who pays each day on
// the calculator, or a case's certificates, deadlines, decisions and plan
// actions as marks of a shape each on the case page), its legend and, for
// a case, its table, the trace of the rules applied as a table (the
// partial template "rules-trace") and the words for values and parameters.
// The calculator and the case pages both use it.
package rulesview

import (
	"embed"

	"github.com/finsam/finsam/web/internal/site"
)

// Templates holds the partial templates pages include.
//
//go:embed templates/*.html
var Templates embed.FS

//go:embed messages/*.json
var messageFS embed.FS

// Messages are the words of the timeline, the trace and the parameters.
var Messages = site.MustCatalogue(messageFS)

func translate(lang, id string) string { return Messages.T(lang, id) }
