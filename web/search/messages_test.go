package search_test

import (
	"testing"

	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/webtest"
	"github.com/finsam/finsam/web/search"
)

// TestMessagesComplete: the package finds every word it uses in its own
// catalogue and those it builds on.
func TestMessagesComplete(t *testing.T) {
	webtest.MessagesComplete(t, ".", site.MustMerge(search.Messages, site.Core))
}
