package web

// Authentication and the guard stay in the composition root rather than
// move with the sign-in pages (package web/signin): every route of every
// feature runs through them, they need what only the root has (the
// trusted proxies that give the client's address, the operator setting),
// and no feature may change how a request is let in. What signing in shares
// with them, the session cookie and starting a session, is in
// web/internal/site.

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// How long a session may be idle (see site.SessionIdle), and how often its activity is recorded.
const (
	sessionIdle = site.SessionIdle
	// touchEvery limits session writes: activity is recorded at most this
	// often, which makes the idle timeout accurate to within it.
	touchEvery = time.Minute
	// sessionCookie names the session cookie.
	sessionCookie = site.SessionCookie
)

// guard resolves the actor, checks the route's action and calls h.
func (s *Server) guard(kind RouteKind, act policy.Action, h site.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, err := s.authenticate(w, r)
		if err != nil {
			if errors.Is(err, errBadToken) {
				w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
				s.fail(w, r, http.StatusUnauthorized, "invalid_token", "")
				return
			}
			s.log.ErrorContext(r.Context(), "authenticate", "err", err)
			s.fail(w, r, http.StatusServiceUnavailable, "unavailable", "")
			return
		}
		r = site.WithActor(r, a)
		if !s.decide(w, r, a, act, policy.Resource{}, "route", r.Pattern) {
			return
		}
		if err := h(w, r, a); err != nil {
			s.site.Fail(w, r, err)
		}
		// A handler that recorded a read but answered without render still
		// must not leave the entry unwritten.
		if err := a.AwaitAudit(); err != nil {
			s.log.ErrorContext(r.Context(), "audit after response", "err", err)
		}
	}
}

// auditRead queues the audit entry of a read of personal data. The request
// goes on with its queries and rendering meanwhile; render waits for the
// entry before it sends the page, and answers 503 instead if it failed.
func (s *Server) auditRead(r *http.Request, a *site.Actor, events ...audit.Event) {
	if len(events) == 0 || s.unauditedReads {
		return
	}
	a.QueueAudit(s.audit.Start(r.Context(), events...))
}

// decide checks act on a resource. On refusal it has already answered (and
// audited) and the caller must return.
func (s *Server) decide(w http.ResponseWriter, r *http.Request, a *site.Actor, act policy.Action, res policy.Resource, resourceType, resourceID string) bool {
	if err := s.site.Authorize(r, a, act, res, resourceType, resourceID); err != nil {
		s.site.Fail(w, r, err)
		return false
	}
	return true
}

var errBadToken = errors.New("invalid API token")

// authenticate finds who is asking: an API token in the Authorization
// header, or a session cookie. Nobody is the anonymous actor, not an error.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (*site.Actor, error) {
	a := &site.Actor{RemoteAddr: s.remoteAddr(r), Now: s.now}
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, secret, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") || !account.LooksLikeToken(secret) {
			return nil, errBadToken
		}
		tok, org, err := store.TokenWithOrganisation(ctx, s.store, secret)
		if errors.Is(err, store.ErrNotFound) {
			return nil, errBadToken
		} else if err != nil {
			return nil, err
		}
		a.Token, a.Org = &tok, org
		a.Actor = policy.Actor{TokenID: tok.ID, OrgID: org.ID, OrgType: org.Type, Scopes: policy.ScopesOf(tok.Scopes...)}
		if now := s.now(); now.Sub(tok.LastUsedAt) > touchEvery {
			_ = s.store.Tx(ctx, func(tx *store.Tx) error { return store.TouchToken(ctx, tx, tok.ID, now) })
		}
		return a, nil
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || !strings.HasPrefix(c.Value, account.SessionPrefix) {
		return a, nil
	}
	hash := account.HashSecret(c.Value)
	sess, u, org, err := store.SessionWithUser(ctx, s.store, hash)
	if errors.Is(err, store.ErrNotFound) {
		s.clearSessionCookie(w, r)
		return a, nil
	} else if err != nil {
		return nil, err
	}
	now := s.now()
	if now.After(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) > sessionIdle {
		_ = s.store.Tx(ctx, func(tx *store.Tx) error { return store.DeleteSession(ctx, tx, hash) })
		s.clearSessionCookie(w, r)
		return a, nil
	}
	if u.Disabled {
		_ = s.store.Tx(ctx, func(tx *store.Tx) error { _, err := store.DeleteUserSessions(ctx, tx, u.ID); return err })
		s.clearSessionCookie(w, r)
		return a, nil
	}
	if now.Sub(sess.LastSeenAt) > touchEvery {
		if err := s.store.Tx(ctx, func(tx *store.Tx) error { return store.TouchSession(ctx, tx, hash, now) }); err != nil {
			return nil, err
		}
	}
	a.User, a.Org, a.SessionHash = &u, org, hash
	a.Actor = policy.Actor{UserID: u.ID, OrgID: org.ID, OrgType: org.Type, Roles: u.Roles, OfficeID: u.OfficeID}
	// Only administrators and intake stewards need the (rarely changing)
	// operator setting.
	a.SystemAdmin = u.Roles.Has(account.Admin) && s.isOperator(ctx, org.Slug)
	a.Operator = u.Roles.Has(account.IntakeSteward) && s.isOperator(ctx, org.Slug)
	return a, nil
}

// isOperator tells whether an organisation operates this installation; its
// administrators manage every organisation.
func (s *Server) isOperator(ctx context.Context, slug string) bool {
	v, err := store.Setting(ctx, s.store, store.SettingOperatorOrg)
	return err == nil && v == slug
}

func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure(r), MaxAge: -1})
}
