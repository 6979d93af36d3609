package site

import "net/http"

const (
	// SessionCookie names the session cookie.
	SessionCookie = "finsam_session"
	// MaxFormBytes bounds the body of a form a page posts.
	MaxFormBytes = 16 << 10
)

// ClearSessionCookie tells the browser to forget its session.
func ClearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: SecureRequest(r), MaxAge: -1})
}
