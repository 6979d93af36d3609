package web_test

import (
	"path/filepath"
	"testing"

	"github.com/finsam/finsam/web/account"
	"github.com/finsam/finsam/web/admin"
	"github.com/finsam/finsam/web/calculator"
	"github.com/finsam/finsam/web/cases"
	"github.com/finsam/finsam/web/certificates"
	"github.com/finsam/finsam/web/coordination"
	"github.com/finsam/finsam/web/forbund"
	"github.com/finsam/finsam/web/internal/certview"
	"github.com/finsam/finsam/web/internal/participant"
	"github.com/finsam/finsam/web/internal/rulesview"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/supplement"
	"github.com/finsam/finsam/web/internal/webtest"
	"github.com/finsam/finsam/web/quality"
	"github.com/finsam/finsam/web/search"
	"github.com/finsam/finsam/web/signin"
	"github.com/finsam/finsam/web/today"
)

// TestFeatureMessagesComplete: each feature package (and shared part) finds
// every word it uses in its own catalogue and those it builds on; the
// catalogues are merged as the package's doc.go merges them.
func TestFeatureMessagesComplete(t *testing.T) {
	for dir, c := range map[string]site.Catalogue{
		"account":              site.MustMerge(account.Messages, site.Core),
		"admin":                site.MustMerge(admin.Messages, certview.Messages, site.Core),
		"calculator":           site.MustMerge(calculator.Messages, rulesview.Messages, site.Core),
		"cases":                site.MustMerge(cases.Messages, rulesview.Messages, supplement.Messages, participant.Messages, site.Core),
		"certificates":         site.MustMerge(certificates.Messages, certview.Messages, site.Core),
		"coordination":         site.MustMerge(coordination.Messages, site.Core),
		"forbund":              site.MustMerge(forbund.Messages, participant.Messages, site.Core),
		"internal/participant": site.MustMerge(participant.Messages, site.Core),
		"internal/rulesview":   rulesview.Messages,
		"quality":              site.MustMerge(quality.Messages, certview.Messages, site.Core),
		"search":               site.MustMerge(search.Messages, site.Core),
		"signin":               site.MustMerge(signin.Messages, site.Core),
		"today":                site.MustMerge(today.Messages, site.Core),
	} {
		t.Run(dir, func(t *testing.T) { webtest.MessagesComplete(t, filepath.FromSlash(dir), c) })
	}
}
