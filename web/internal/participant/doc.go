// Package participant registers participants in the insatser of
// coordination associations, and is the form model of the pages that do
// (site.Problems drawn at form controls). It is shared by the
// associations' pages (web/forbund), where their staff register
// participants, and by the case page's referral, where an FK case worker
// sends a person to an insats as a pending registration.
package participant

import (
	"embed"
	"io/fs"

	"github.com/finsam/finsam/web/internal/site"
)

//go:embed templates/*.html
var templateFS embed.FS

// Templates hold the "assoc-ins-problems" template (the summary of a
// form's problems), for site.Pages.Shared.
var Templates fs.FS = templateFS

//go:embed messages/*.json
var messageFS embed.FS

// Messages are the form's words: the fields' labels and the referral's.
var Messages = site.MustCatalogue(messageFS)

var messages = site.MustMerge(Messages, site.Core)

func translate(lang, id string) string { return messages.T(lang, id) }
