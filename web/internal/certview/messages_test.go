package certview_test

import (
	"testing"

	"github.com/finsam/finsam/web/internal/certview"
)

// TestMessagesInBothLanguages: every word is there in Swedish and English.
func TestMessagesInBothLanguages(t *testing.T) {
	for _, pair := range [][2]string{{"sv", "en"}, {"en", "sv"}} {
		for id := range certview.Messages[pair[0]] {
			if _, ok := certview.Messages[pair[1]][id]; !ok {
				t.Errorf("%s: in %s only", id, pair[0])
			}
		}
	}
	if len(certview.Messages["sv"]) == 0 {
		t.Fatal("no messages: the catalogue is not embedded")
	}
}
