package site

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// A flash is shown once, on the page it was sent to, and only when it is
// one of the catalogue's flash messages: the cookie is the browser's to
// change.
func TestFlashIsShownOnceAndOnlyFromTheCatalogue(t *testing.T) {
	s := testSite(t)
	s.Messages["sv"]["flash.done"] = "Klart."
	s.Messages["sv"]["err.not_found"] = "Sidan finns inte"
	set := httptest.NewRecorder()
	SetFlash(set, httptest.NewRequest("POST", "/arenden/7/status", nil), "/arenden/7?x=1#status", "flash.done")
	sent := set.Result().Cookies()
	if len(sent) != 1 || sent[0].Path != "/arenden/7" || sent[0].MaxAge <= 0 || !sent[0].HttpOnly || sent[0].Value != "flash.done" {
		t.Fatalf("flash cookie %+v", sent)
	}
	for _, tc := range []struct{ value, want string }{
		{"flash.done", "Klart."},
		{"flash.unknown", ""},
		{"err.not_found", ""}, // a message, but not a flash
		{"<b>Hej</b>", ""},
	} {
		r := httptest.NewRequest("GET", "/arenden/7", nil)
		r.AddCookie(&http.Cookie{Name: flashCookie, Value: tc.value})
		w := httptest.NewRecorder()
		if got := s.TakeFlash(w, r, "sv"); got != tc.want {
			t.Errorf("flash %q shows %q, want %q", tc.value, got, tc.want)
		}
		if c := w.Result().Cookies(); len(c) != 1 || c[0].MaxAge >= 0 {
			t.Errorf("flash %q is not cleared: %+v", tc.value, c)
		}
	}
	if got := s.TakeFlash(httptest.NewRecorder(), httptest.NewRequest("GET", "/arenden/7", nil), "sv"); got != "" {
		t.Errorf("no cookie shows %q", got)
	}
}

// The confirmation page carries the asking form's values (not a confirm
// of its own), agrees with confirm=1, and its cancel link stays on the
// site.
func TestConfirmationCarriesTheFormAndStaysOnTheSite(t *testing.T) {
	s := testSite(t)
	for _, tc := range []struct{ back, want string }{
		{"/arenden/7#status", `href="/arenden/7#status"`},
		{"https://example.com/", `href="/"`},
		{"//example.com/", `href="/"`},
	} {
		w := httptest.NewRecorder()
		s.Confirm(w, httptest.NewRequest("POST", "/arenden/7/status", nil), nil, Confirmation{Title: "Avsluta?", Lead: []string{"Ärendet avslutas."},
			Action: "/arenden/7/status", Values: url.Values{"version": {"3"}, "status": {"closed"}, "confirm": {"0"}, "note": {`"<x>`}},
			Submit: "Ja", Back: tc.back})
		page := w.Body.String()
		for _, want := range []string{tc.want, `<h1>Avsluta?</h1>`, `<p>Ärendet avslutas.</p>`, `action="/arenden/7/status"`,
			`name="status" value="closed"`, `name="version" value="3"`, `name="note" value="&#34;&lt;x&gt;"`, `name="confirm" value="1"`} {
			if !strings.Contains(page, want) {
				t.Errorf("back %q: the page lacks %s", tc.back, want)
			}
		}
		if w.Code != http.StatusOK || strings.Count(page, `name="confirm"`) != 1 {
			t.Errorf("back %q: %d, %d confirm fields", tc.back, w.Code, strings.Count(page, `name="confirm"`))
		}
	}
}
