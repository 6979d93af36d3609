package web

import (
	"embed"
	"net/http"

	"github.com/finsam/finsam/web/account"
	"github.com/finsam/finsam/web/admin"
	"github.com/finsam/finsam/web/calculator"
	"github.com/finsam/finsam/web/cases"
	"github.com/finsam/finsam/web/certificates"
	"github.com/finsam/finsam/web/coordination"
	"github.com/finsam/finsam/web/dashboards"
	"github.com/finsam/finsam/web/forbund"
	"github.com/finsam/finsam/web/internal/certview"
	"github.com/finsam/finsam/web/internal/participant"
	"github.com/finsam/finsam/web/internal/rulesview"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/supplement"
	"github.com/finsam/finsam/web/publicsite"
	"github.com/finsam/finsam/web/quality"
	"github.com/finsam/finsam/web/search"
	"github.com/finsam/finsam/web/signin"
	"github.com/finsam/finsam/web/today"
)

// The user interface is Swedish first, with English available. Messages are
// data (messages/*.json), keyed by a stable id; TestMessagesComplete checks
// that both languages have the same ids and that every id used exists. A
// part of the interface may keep its messages in a file of its own,
// messages/<lang>.<part>.json (messages/sv.association.json); an id may be
// defined only once per language.
//
//go:embed messages/*.json
var messageFS embed.FS

var messages = site.MustMerge(site.MustCatalogue(messageFS), site.Core, calculator.Messages, rulesview.Messages, account.Messages, quality.Messages, forbund.Messages, participant.Messages, certview.Messages, certificates.Messages, admin.Messages, signin.Messages, cases.Messages, supplement.Messages, dashboards.Messages, coordination.Messages, publicsite.Messages, today.Messages, search.Messages)

// apiMessages are the English developer-facing texts of API error codes.
var apiMessages = site.APIMessages

// translate returns the text of id in lang.
func translate(lang, id string) string { return messages.T(lang, id) }

// language picks the page language (see site.Language).
func language(w http.ResponseWriter, r *http.Request) string { return site.Language(w, r) }

const langCookie = site.LangCookie
