package web

import (
	"errors"
	"net/http"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/store"
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

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request, a *actor) {
	s.renderAccount(w, r, a, http.StatusOK, "", "")
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, a *actor, status int, msg, errMsg string) {
	ctx := r.Context()
	lang := language(w, r)
	d := accountData{User: a.User, OrgName: a.Org.Name, Message: msg, Error: errMsg, CanSetPW: a.User.PasswordHash != ""}
	for _, role := range a.User.Roles.List() {
		d.Roles = append(d.Roles, translate(lang, "role."+role.String()))
	}
	if a.User.OfficeID != 0 {
		if offices, err := store.Offices(ctx, s.store, a.User.OrgID); err == nil {
			for _, o := range offices {
				if o.ID == a.User.OfficeID {
					d.Office = o.Name
				}
			}
		}
	}
	sessions, err := store.UserSessions(ctx, s.store, a.User.ID)
	if err != nil {
		s.fail(w, r, http.StatusServiceUnavailable, "unavailable", "")
		return
	}
	for _, se := range sessions {
		d.Sessions = append(d.Sessions, sessionView{
			Started: se.CreatedAt.In(stockholm).Format("2006-01-02 15:04"), LastSeen: se.LastSeenAt.In(stockholm).Format("2006-01-02 15:04"),
			Address: se.RemoteAddr, Agent: se.UserAgent, Current: se.IDHash == a.SessionHash,
		})
	}
	s.render(w, r, status, "account", page{Lang: lang, Title: translate(lang, "account.title"), Actor: a, Data: d})
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, a *actor) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, http.StatusRequestEntityTooLarge, "too_large", "")
		return
	}
	ctx := r.Context()
	lang := language(w, r)
	current, next, again := r.PostForm.Get("current"), r.PostForm.Get("new"), r.PostForm.Get("repeat")
	switch {
	case a.User.PasswordHash == "" || !account.VerifyPassword(a.User.PasswordHash, current):
		s.renderAccount(w, r, a, http.StatusUnprocessableEntity, "", translate(lang, "account.pw.wrong"))
		return
	case next != again:
		s.renderAccount(w, r, a, http.StatusUnprocessableEntity, "", translate(lang, "account.pw.mismatch"))
		return
	case account.CheckPasswordRules(next) != nil:
		s.renderAccount(w, r, a, http.StatusUnprocessableEntity, "", translate(lang, "account.pw.rules"))
		return
	}
	hash, err := account.HashPassword(next)
	if err == nil {
		err = s.store.Tx(ctx, func(tx *store.Tx) error {
			if err := store.SetPassword(ctx, tx, a.User.ID, hash); err != nil {
				return err
			}
			// Other sessions end: whoever knew the old password is out.
			if _, err := tx.Exec(ctx, "DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2", a.User.ID, a.SessionHash); err != nil {
				return err
			}
			return store.AppendAudit(ctx, tx, s.audit.Keys(), a.Event(r, "change_password", audit.OutcomeOK, "user", itoa(a.User.ID)))
		})
	}
	if err != nil {
		s.log.ErrorContext(ctx, "change password", "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, "unavailable", "")
		return
	}
	a.User.PasswordHash = hash
	s.renderAccount(w, r, a, http.StatusOK, translate(lang, "account.pw.changed"), "")
}

func (s *Server) endAllSessions(w http.ResponseWriter, r *http.Request, a *actor) {
	ctx := r.Context()
	err := s.store.Tx(ctx, func(tx *store.Tx) error {
		if _, err := store.DeleteUserSessions(ctx, tx, a.User.ID); err != nil {
			return err
		}
		return store.AppendAudit(ctx, tx, s.audit.Keys(), a.Event(r, "sign_out_everywhere", audit.OutcomeOK, "user", itoa(a.User.ID)))
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusServiceUnavailable, "unavailable", "")
		return
	}
	s.clearSessionCookie(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
