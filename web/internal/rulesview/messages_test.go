package rulesview_test

import (
	"testing"

	"github.com/finsam/finsam/web/internal/rulesview"
	"github.com/finsam/finsam/web/internal/webtest"
)

// TestMessagesComplete: the shared view finds every word it uses in its
// own catalogue.
func TestMessagesComplete(t *testing.T) {
	webtest.MessagesComplete(t, ".", rulesview.Messages)
}
