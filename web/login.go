package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/store"
)

// Sign-in throttling (issue 4): an account is locked for lockFor after
// maxFailures failed attempts in a row; an address is refused for the rest
// of the window after addrMaxFailures failures within addrWindow.
const (
	maxFailures     = 5
	lockFor         = 15 * time.Minute
	addrMaxFailures = 20
	addrWindow      = 15 * time.Minute
	maxFormBytes    = 16 << 10
)

type loginData struct {
	Username  string
	Next      string
	Error     string
	DemoUsers []string
	Providers []oidcButton
}

type oidcButton struct {
	Slug, Name string
}

var demoUsernames = []string{"handlaggare", "handlaggare-roma", "chef", "samordnare-af", "samordnare-region", "samordnare-kommun", "forbund", "styrelse", "ekonomi-kommun", "admin"}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request, a *actor) {
	s.renderLogin(w, r, http.StatusOK, loginData{Next: safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, d loginData) {
	lang := language(w, r)
	if s.demo {
		d.DemoUsers = demoUsernames
	}
	d.Providers = s.oidcButtons(r.Context())
	s.render(w, r, status, "login", page{Lang: lang, Title: translate(lang, "login.title"), Data: d})
}

// safeNext keeps a post-sign-in redirect on this server: a path, parsed,
// with no scheme or host, not starting with two slashes, and without
// backslashes or control characters in it either as written or decoded
// (browsers strip tabs and newlines and read a backslash as a slash, so
// "/\t/evil.example" and "/\\evil.example" lead to another host). Anything else
// goes to the start view.
func safeNext(next string) string {
	const start = "/"
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || len(next) > maxNextBytes || unsafeInPath(next) {
		return start
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") || unsafeInPath(u.Path) {
		return start
	}
	return next
}

// maxNextBytes bounds a redirect target: no page of finsam has a longer
// address.
const maxNextBytes = 2048

// unsafeInPath reports a backslash or a control character (C0, DEL, C1).
func unsafeInPath(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r == '\\' || unicode.IsControl(r) })
}

func (s *Server) login(w http.ResponseWriter, r *http.Request, a *actor) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, http.StatusRequestEntityTooLarge, "too_large", "")
		return
	}
	ctx := r.Context()
	username := strings.TrimSpace(r.PostForm.Get("username"))
	password := r.PostForm.Get("password")
	next := safeNext(r.PostForm.Get("next"))
	lang := language(w, r)
	now := s.now()
	addr := a.remoteAddr

	fails, err := store.LoginFailuresFrom(ctx, s.store, addr, now.Add(-addrWindow))
	if err != nil {
		s.fail(w, r, http.StatusServiceUnavailable, "unavailable", "")
		return
	}
	if fails >= addrMaxFailures {
		w.Header().Set("Retry-After", "900")
		s.auditLogin(ctx, r, nil, username, addr, audit.OutcomeDenied, "too many failures from this address")
		s.renderLogin(w, r, http.StatusTooManyRequests, loginData{Username: username, Next: next, Error: translate(lang, "login.throttled")})
		return
	}

	u, err := store.UserByName(ctx, s.store, username)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusServiceUnavailable, "unavailable", "")
		return
	}
	known := err == nil
	ok := false
	reason := "unknown user"
	switch {
	case !known:
		account.BurnPasswordTime(password) // as slow as a real check
	case u.Disabled:
		account.BurnPasswordTime(password)
		reason = "account disabled"
	case now.Before(u.LockedUntil):
		account.BurnPasswordTime(password)
		reason = "account locked"
	case u.PasswordHash == "":
		account.BurnPasswordTime(password)
		reason = "no password (single sign-on only)"
	default:
		ok = account.VerifyPassword(u.PasswordHash, password)
		reason = "wrong password"
	}

	if !ok {
		var uid int64
		if known {
			uid = u.ID
		}
		err := s.store.Tx(ctx, func(tx *store.Tx) error {
			locked, err := store.RecordLoginFailure(ctx, tx, uid, username, addr, now, maxFailures, lockFor)
			if err != nil {
				return err
			}
			why := reason
			if locked {
				why += "; account locked for 15 minutes"
			}
			e := s.loginEvent(r, known, &u, username, addr, audit.OutcomeFailed, why)
			return store.AppendAudit(ctx, tx, s.audit.Keys(), e)
		})
		if err != nil {
			s.log.ErrorContext(ctx, "record failed sign-in", "err", err)
		}
		// One message for every failure: it must not tell which user names exist.
		s.renderLogin(w, r, http.StatusUnauthorized, loginData{Username: username, Next: next, Error: translate(lang, "login.failed")})
		return
	}

	err = s.store.Tx(ctx, func(tx *store.Tx) error {
		if err := store.ClearLoginFailures(ctx, tx, u.ID); err != nil {
			return err
		}
		if account.NeedsRehash(u.PasswordHash) {
			if h, err := account.HashPassword(password); err == nil {
				if err := store.SetPassword(ctx, tx, u.ID, h); err != nil {
					return err
				}
			}
		}
		if err := s.startSession(ctx, w, r, tx, &u); err != nil {
			return err
		}
		return store.AppendAudit(ctx, tx, s.audit.Keys(), s.loginEvent(r, true, &u, username, addr, audit.OutcomeOK, "password"))
	})
	if err != nil {
		s.log.ErrorContext(ctx, "sign in", "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, "unavailable", "")
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// loginEvent is the audit event of a sign-in attempt.
func (s *Server) loginEvent(r *http.Request, known bool, u *store.User, username, addr, outcome, detail string) audit.Event {
	e := audit.Event{At: s.now(), ActorName: truncateName(username), Action: "sign_in", Outcome: outcome, ResourceType: "session",
		Purpose: detail, RemoteAddr: addr, RequestID: RequestID(r.Context())}
	if known {
		e.ActorUserID, e.ActorRoles = u.ID, u.Roles.String()
		if org, err := store.OrganisationByID(r.Context(), s.store, u.OrgID); err == nil {
			e.ActorOrg = org.Slug
		}
	}
	return e
}

func (s *Server) auditLogin(ctx context.Context, r *http.Request, u *store.User, username, addr, outcome, detail string) {
	if err := s.audit.Record(ctx, s.loginEvent(r, u != nil, u, username, addr, outcome, detail)); err != nil {
		s.log.ErrorContext(ctx, "audit sign-in", "err", err)
	}
}

func truncateName(s string) string {
	if len(s) > 64 {
		return strings.ToValidUTF8(s[:64], "")
	}
	return s
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, a *actor) {
	ctx := r.Context()
	if a.signedIn() {
		err := s.store.Tx(ctx, func(tx *store.Tx) error {
			if err := store.DeleteSession(ctx, tx, a.sessionHash); err != nil {
				return err
			}
			return store.AppendAudit(ctx, tx, s.audit.Keys(), a.event(r, "sign_out", audit.OutcomeOK, "session", ""))
		})
		if err != nil {
			s.log.ErrorContext(ctx, "sign out", "err", err)
		}
	}
	s.clearSessionCookie(w, r)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
