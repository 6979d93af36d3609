package signin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// Sign-in throttling. Accounts are never locked (a lock lets anyone lock
// anyone out, an administrator included, and one address shared by an
// office lock out the office): instead every failure makes the next attempt
// of the same user name wait longer, counted per user name and address
// (one guesser) and, more leniently, per user name from every address
// (guessers spread over many addresses). Unknown user names are counted
// alike, so the waiting says nothing about which names exist. An address
// whose sign-ins fail on many different user names is guessing passwords
// across accounts: it is refused outright for addrWindow.
const (
	// failureWindow is how long a failure counts for the waits.
	failureWindow = time.Hour
	// pairFree failures of a name from one address cost nothing; each one
	// after doubles the wait, from a second up to pairMaxWait.
	pairFree    = 3
	pairMaxWait = 5 * time.Minute
	// accountFree failures of a name from all addresses cost nothing;
	// each one after doubles the wait up to accountMaxWait.
	accountFree    = 10
	accountMaxWait = time.Minute
	// addrMaxAccounts different user names failing from one address within
	// addrWindow refuse every sign-in from it for the rest of the window.
	addrMaxAccounts = 20
	addrWindow      = 15 * time.Minute
)

// backoff is the wait after n failures of which free cost nothing: a
// second, doubling with each further failure, at most limit.
func backoff(n, free int, limit time.Duration) time.Duration {
	if n < free {
		return 0
	}
	return min(time.Second<<min(n-free, 30), limit)
}

// signInWait is how long an attempt must still wait, given the failures.
func signInWait(f store.LoginFailures, now time.Time) time.Duration {
	until := f.PairLast.Add(backoff(f.Pair, pairFree, pairMaxWait))
	if u := f.AccountLast.Add(backoff(f.Account, accountFree, accountMaxWait)); u.After(until) {
		until = u
	}
	return max(until.Sub(now), 0)
}

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

var demoUsernames = []string{"handlaggare", "handlaggare-roma", "chef", "direktor", "samordnare-af", "samordnare-region", "samordnare-kommun", "forbund", "styrelse", "ekonomi-kommun", "admin", "intygsforvaltare"}

// Form is GET /login: the sign-in page, which returns to next after.
func (s *Handlers) Form(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.renderLogin(w, r, http.StatusOK, loginData{Next: safeNext(r.URL.Query().Get("next"))})
}

func (s *Handlers) renderLogin(w http.ResponseWriter, r *http.Request, status int, d loginData) error {
	lang := site.Language(w, r)
	if s.demo {
		d.DemoUsers = demoUsernames
	}
	d.Providers = s.oidcButtons(r.Context())
	s.Render(w, r, status, "login", site.Page{Lang: lang, Title: translate(lang, "login.title"), Data: d})
	return nil
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

// SignIn is POST /login: a user name and password, throttled (see above).
func (s *Handlers) SignIn(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	r.Body = http.MaxBytesReader(w, r.Body, site.MaxFormBytes)
	if err := r.ParseForm(); err != nil {
		return site.TooLarge()
	}
	ctx := r.Context()
	username := strings.TrimSpace(r.PostForm.Get("username"))
	password := r.PostForm.Get("password")
	next := safeNext(r.PostForm.Get("next"))
	lang := site.Language(w, r)
	now := s.Now()
	addr := a.RemoteAddr

	byAddr, err := store.LoginFailuresOf(ctx, s.Store, username, addr, now.Add(-addrWindow))
	if err != nil {
		return site.Unavailable("sign-in failures of the address", err)
	}
	if byAddr.Accounts >= addrMaxAccounts {
		w.Header().Set("Retry-After", strconv.Itoa(int(addrWindow.Seconds())))
		s.auditLogin(ctx, r, nil, username, addr, audit.OutcomeDenied, "failures on many accounts from this address")
		return s.renderLogin(w, r, http.StatusTooManyRequests, loginData{Username: username, Next: next, Error: translate(lang, "login.throttled")})
	}
	failures, err := store.LoginFailuresOf(ctx, s.Store, username, addr, now.Add(-failureWindow))
	if err != nil {
		return site.Unavailable("sign-in failures", err)
	}
	if wait := signInWait(failures, now); wait > 0 {
		secs := int((wait + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		s.auditLogin(ctx, r, nil, username, addr, audit.OutcomeDenied, fmt.Sprintf("waiting %ds after failed sign-ins", secs))
		return s.renderLogin(w, r, http.StatusTooManyRequests, loginData{Username: username, Next: next,
			Error: fmt.Sprintf(translate(lang, "login.wait"), secs)})
	}

	u, err := store.UserByName(ctx, s.Store, username)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return site.Unavailable("find user", err)
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
		err := s.Store.Tx(ctx, func(tx *store.Tx) error {
			if err := store.RecordLoginFailure(ctx, tx, uid, username, addr, now, now.Add(-failureWindow)); err != nil {
				return err
			}
			e := s.loginEvent(r, known, &u, username, addr, audit.OutcomeFailed, reason)
			return store.AppendAudit(ctx, tx, s.Audit.Keys(), e)
		})
		if err != nil {
			s.Log.ErrorContext(ctx, "record failed sign-in", "err", err)
		}
		// One message for every failure: it must not tell which user names exist.
		return s.renderLogin(w, r, http.StatusUnauthorized, loginData{Username: username, Next: next, Error: translate(lang, "login.failed")})
	}

	err = s.Store.Tx(ctx, func(tx *store.Tx) error {
		if err := store.ClearLoginFailures(ctx, tx, u.ID, username, addr); err != nil {
			return err
		}
		if account.NeedsRehash(u.PasswordHash) {
			if h, err := account.HashPassword(password); err == nil {
				if err := store.SetPassword(ctx, tx, u.ID, h); err != nil {
					return err
				}
			}
		}
		if err := s.StartSession(ctx, w, r, tx, &u, addr); err != nil {
			return err
		}
		return store.AppendAudit(ctx, tx, s.Audit.Keys(), s.loginEvent(r, true, &u, username, addr, audit.OutcomeOK, "password"))
	})
	if err != nil {
		return site.Unavailable("sign in", err)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// loginEvent is the audit event of a sign-in attempt.
func (s *Handlers) loginEvent(r *http.Request, known bool, u *store.User, username, addr, outcome, detail string) audit.Event {
	e := audit.Event{At: s.Now(), ActorName: site.AuditText(username), Action: "sign_in", Outcome: outcome, ResourceType: "session",
		Purpose: detail, RemoteAddr: addr, RequestID: site.RequestID(r.Context())}
	if known {
		e.ActorUserID, e.ActorRoles = u.ID, u.Roles.String()
		if org, err := store.OrganisationByID(r.Context(), s.Store, u.OrgID); err == nil {
			e.ActorOrg = org.Slug
		}
	}
	return e
}

func (s *Handlers) auditLogin(ctx context.Context, r *http.Request, u *store.User, username, addr, outcome, detail string) {
	if err := s.Audit.Record(ctx, s.loginEvent(r, u != nil, u, username, addr, outcome, detail)); err != nil {
		s.Log.ErrorContext(ctx, "audit sign-in", "err", err)
	}
}

// SignOut is POST /logout: the session ends, here and on the server.
func (s *Handlers) SignOut(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ctx := r.Context()
	if a.SignedIn() {
		err := s.Store.Tx(ctx, func(tx *store.Tx) error {
			if err := store.DeleteSession(ctx, tx, a.SessionHash); err != nil {
				return err
			}
			return store.AppendAudit(ctx, tx, s.Audit.Keys(), a.Event(r, "sign_out", audit.OutcomeOK, "session", ""))
		})
		if err != nil {
			s.Log.ErrorContext(ctx, "sign out", "err", err)
		}
	}
	site.ClearSessionCookie(w, r)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}
