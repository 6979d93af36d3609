package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// TestErrorPageKeepsSignedInHeader checks that an error page answered to a
// signed-in person keeps their header and menu, whether a route refused or
// failed or no route matched, and that a visitor's error page has neither.
func TestErrorPageKeepsSignedInHeader(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	s, _ := demoServer(t, st)
	signed := newBrowser(t, s)
	signed.Login("handlaggare", "demo")
	visitor := newBrowser(t, s)

	tests := []struct {
		name       string
		b          *browser
		path       string
		status     int
		wantHeader bool
	}{
		{"a case that does not exist", signed, "/arenden/999999", http.StatusNotFound, true},
		{"a page the role may not use", signed, "/admin/users", http.StatusForbidden, true},
		{"an address no route has", signed, "/finns-inte", http.StatusNotFound, true},
		{"a visitor at an address no route has", visitor, "/finns-inte", http.StatusNotFound, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := tt.b.Do("GET", tt.path, nil)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			body := rec.Body.String()
			hasHeader := strings.Contains(body, `class="finsam-nav"`) && strings.Contains(body, "finsam-who")
			if hasHeader != tt.wantHeader {
				t.Errorf("signed-in header and menu shown: %v, want %v", hasHeader, tt.wantHeader)
			}
		})
	}
}
