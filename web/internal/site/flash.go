package site

import (
	"net/http"
	"strings"
)

// A flash is a message a page shows once after a write redirected to it
// ("Ärendet är avslutat."). It travels in a short-lived cookie holding
// only the message's id, never personal data and never in the address,
// and is limited to the path of the page it was meant for, so that it
// cannot turn up on another page.

const (
	flashCookie = "finsam_flash"
	// flashPrefix is what a flash's message id starts with: the cookie is
	// the browser's to change, and only these messages may be shown.
	flashPrefix = "flash."
	// flashSeconds is how long a flash waits for its page.
	flashSeconds = 60
)

// SetFlash arranges for the page at path (where the handler redirects
// next) to show the message id once; id starts with "flash.".
func SetFlash(w http.ResponseWriter, r *http.Request, path, id string) {
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: id, Path: path, MaxAge: flashSeconds,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: SecureRequest(r)})
}

// TakeFlash is the text of the flash sent for this page, in lang, or ""
// when there is none; a flash is shown once, so it is cleared.
func (s *Site) TakeFlash(w http.ResponseWriter, r *http.Request, lang string) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: r.URL.Path, MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: SecureRequest(r)})
	if !strings.HasPrefix(c.Value, flashPrefix) || !s.Messages.Has(c.Value) {
		return ""
	}
	return s.T(lang, c.Value)
}
