package site

import (
	"context"
	"net/http"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/store"
)

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

// Session lifetimes: 30 minutes idle, 10 hours at most. The guard ends a
// session past either; StartSession sets the longer.
const (
	SessionIdle     = 30 * time.Minute
	SessionAbsolute = 10 * time.Hour
)

// StartSession signs u in, inside tx: a fresh session id every time (so a
// session id known before sign-in is worth nothing after), stored as a
// hash, with the address it came from; the browser gets it as the session
// cookie.
func (s *Site) StartSession(ctx context.Context, w http.ResponseWriter, r *http.Request, tx *store.Tx, u *store.User, remoteAddr string) error {
	if c, err := r.Cookie(SessionCookie); err == nil {
		if err := store.DeleteSession(ctx, tx, account.HashSecret(c.Value)); err != nil {
			return err
		}
	}
	secret := account.NewSecret(account.SessionPrefix)
	now := s.Now().UTC()
	if err := store.CreateSession(ctx, tx, store.Session{
		IDHash: account.HashSecret(secret), UserID: u.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(SessionAbsolute), RemoteAddr: remoteAddr, UserAgent: r.UserAgent(),
	}); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: secret, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: SecureRequest(r), MaxAge: int(SessionAbsolute.Seconds()),
	})
	return nil
}
