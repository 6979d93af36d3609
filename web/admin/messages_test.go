package admin_test

import (
	"testing"

	"github.com/finsam/finsam/web/admin"
	"github.com/finsam/finsam/web/internal/certview"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/webtest"
)

// TestMessagesComplete: the package finds every word it uses in its own
// catalogue and those it builds on.
func TestMessagesComplete(t *testing.T) {
	webtest.MessagesComplete(t, ".", site.MustMerge(admin.Messages, certview.Messages, site.Core))
}
