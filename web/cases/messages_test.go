package cases_test

import (
	"testing"

	"github.com/finsam/finsam/web/cases"
	"github.com/finsam/finsam/web/internal/participant"
	"github.com/finsam/finsam/web/internal/rulesview"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/supplement"
	"github.com/finsam/finsam/web/internal/webtest"
)

// TestMessagesComplete: the package finds every word it uses in its own
// catalogue and those it builds on.
func TestMessagesComplete(t *testing.T) {
	webtest.MessagesComplete(t, ".", site.MustMerge(cases.Messages, rulesview.Messages, supplement.Messages, participant.Messages, site.Core))
}
