package account

import (
	"errors"
	"net/http"
	"strconv"

	acct "github.com/finsam/finsam/account"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

type accountData struct {
	User     *store.User
	OrgName  string
	Office   string
	Roles    []string
	Sessions []sessionView
	Message  string
	Error    string
	CanSetPW bool
}

type sessionView struct {
	Started, LastSeen, Address, Agent string
	Current                           bool
}

// Page is GET /account.
func (s *Handlers) Page(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.renderAccount(w, r, a, http.StatusOK, "", "")
}

// renderAccount shows the account page with a message of success or of
// what went wrong.
func (s *Handlers) renderAccount(w http.ResponseWriter, r *http.Request, a *site.Actor, status int, msg, errMsg string) error {
	ctx := r.Context()
	lang := site.Language(w, r)
	d := accountData{User: a.User, OrgName: a.Org.Name, Message: msg, Error: errMsg, CanSetPW: a.User.PasswordHash != ""}
	for _, role := range a.User.Roles.List() {
		d.Roles = append(d.Roles, translate(lang, "role."+role.String()))
	}
	if a.User.OfficeID != 0 {
		if offices, err := store.Offices(ctx, s.Store, a.User.OrgID); err == nil {
			for _, o := range offices {
				if o.ID == a.User.OfficeID {
					d.Office = o.Name
				}
			}
		}
	}
	sessions, err := store.UserSessions(ctx, s.Store, a.User.ID)
	if err != nil {
		return site.Unavailable("account: sessions", err)
	}
	for _, se := range sessions {
		d.Sessions = append(d.Sessions, sessionView{
			Started: se.CreatedAt.In(site.Stockholm).Format("2006-01-02 15:04"), LastSeen: se.LastSeenAt.In(site.Stockholm).Format("2006-01-02 15:04"),
			Address: se.RemoteAddr, Agent: se.UserAgent, Current: se.IDHash == a.SessionHash,
		})
	}
	s.Render(w, r, status, "account", site.Page{Lang: lang, Title: translate(lang, "account.title"), Actor: a, Data: d})
	return nil
}

// ChangePassword is POST /account/password: the current password and the
// new one twice. The user's other sessions end with the old password.
func (s *Handlers) ChangePassword(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	r.Body = http.MaxBytesReader(w, r.Body, site.MaxFormBytes)
	if err := r.ParseForm(); err != nil {
		return site.TooLarge()
	}
	ctx := r.Context()
	lang := site.Language(w, r)
	current, next, again := r.PostForm.Get("current"), r.PostForm.Get("new"), r.PostForm.Get("repeat")
	switch {
	case a.User.PasswordHash == "" || !acct.VerifyPassword(a.User.PasswordHash, current):
		return s.renderAccount(w, r, a, http.StatusUnprocessableEntity, "", translate(lang, "account.pw.wrong"))
	case next != again:
		return s.renderAccount(w, r, a, http.StatusUnprocessableEntity, "", translate(lang, "account.pw.mismatch"))
	case acct.CheckPasswordRules(next) != nil:
		return s.renderAccount(w, r, a, http.StatusUnprocessableEntity, "", translate(lang, "account.pw.rules"))
	}
	hash, err := acct.HashPassword(next)
	if err == nil {
		err = s.Store.Tx(ctx, func(tx *store.Tx) error {
			if err := store.SetPassword(ctx, tx, a.User.ID, hash); err != nil {
				return err
			}
			// Other sessions end: whoever knew the old password is out.
			if err := store.DeleteOtherSessions(ctx, tx, a.User.ID, a.SessionHash); err != nil {
				return err
			}
			return store.AppendAudit(ctx, tx, s.Audit.Keys(), a.Event(r, "change_password", audit.OutcomeOK, "user", strconv.FormatInt(a.User.ID, 10)))
		})
	}
	if err != nil {
		return site.Unavailable("change password", err)
	}
	a.User.PasswordHash = hash
	return s.renderAccount(w, r, a, http.StatusOK, translate(lang, "account.pw.changed"), "")
}

// EndAllSessions is POST /account/sessions/end-all: every session of the
// user ends, this one too.
func (s *Handlers) EndAllSessions(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ctx := r.Context()
	err := s.Store.Tx(ctx, func(tx *store.Tx) error {
		if _, err := store.DeleteUserSessions(ctx, tx, a.User.ID); err != nil {
			return err
		}
		return store.AppendAudit(ctx, tx, s.Audit.Keys(), a.Event(r, "sign_out_everywhere", audit.OutcomeOK, "user", strconv.FormatInt(a.User.ID, 10)))
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return site.Unavailable("end all sessions", err)
	}
	site.ClearSessionCookie(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}
