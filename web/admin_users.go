package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
)

// userForm is what the user forms submit (and show again after an error).
type userForm struct {
	Username, Name, Email string
	Org                   string // slug
	OfficeID              int64
	Roles                 account.Roles
	Disabled              bool
	// PasswordMode is "generate" (shown once) or "set" (typed by the
	// administrator).
	PasswordMode string
}

type userRow struct {
	ID                         int64
	Username, Name, Org, Roles string
	Status                     string
	Disabled                   bool
}

type adminUsersData struct {
	Users []userRow
	// Filter is the chosen organisation's slug; Orgs the choices, offered
	// to system administrators only.
	Filter  string
	Orgs    []choice
	NewHref string
}

// adminUsers lists the users an administrator manages: their organisation's,
// or for a system administrator everyone's, filtered by organisation.
func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request, a *actor) {
	ctx := r.Context()
	lang := language(w, r)
	d := adminUsersData{Filter: r.URL.Query().Get("org"), NewHref: "/admin/users/new"}
	orgID := a.AdminOrgID()
	if d.Filter != "" {
		org, ok := s.adminOrg(w, r, a, policy.ManageUsers, d.Filter)
		if !ok {
			return
		}
		orgID = org.ID
		d.NewHref = withQuery("/admin/users/new", url.Values{"org": {org.Slug}})
	}
	users, err := store.Users(ctx, s.store, orgID)
	if err != nil {
		s.unavailable(w, r, "list users", err)
		return
	}
	names, err := s.orgNames(ctx)
	if err != nil {
		s.unavailable(w, r, "list organisations", err)
		return
	}
	for _, u := range users {
		d.Users = append(d.Users, userRow{ID: u.ID, Username: u.Username, Name: u.Name, Org: names[u.OrgID],
			Roles: roleLabels(lang, u.Roles), Status: userStatus(lang, &u, s.now()), Disabled: u.Disabled})
	}
	if a.SystemAdmin {
		withUsers, err := store.OrganisationsWithUsers(ctx, s.store)
		if err != nil {
			s.unavailable(w, r, "list organisations", err)
			return
		}
		d.Orgs = []choice{{Value: "", Label: translate(lang, "admin.users.filter.all"), Selected: d.Filter == ""}}
		for _, o := range withUsers {
			d.Orgs = append(d.Orgs, choice{Value: o.Slug, Label: fmt.Sprintf("%s (%d)", o.Name, o.Users), Selected: o.Slug == d.Filter})
		}
	}
	s.render(w, r, http.StatusOK, "admin_users", page{Lang: lang, Title: translate(lang, "admin.users.title"), Actor: a, Data: d})
}

// orgNames maps every organisation's id to its name.
func (s *Server) orgNames(ctx context.Context) (map[int64]string, error) {
	orgs, err := store.Organisations(ctx, s.store, "")
	if err != nil {
		return nil, err
	}
	m := make(map[int64]string, len(orgs))
	for _, o := range orgs {
		m[o.ID] = o.Name
	}
	return m, nil
}

// adminOrg finds the organisation slug names and checks that a may perform
// act on it. An unknown slug is 404, like one the actor may not see; on
// false the answer is written.
func (s *Server) adminOrg(w http.ResponseWriter, r *http.Request, a *actor, act policy.Action, slug string) (organisation.Organisation, bool) {
	org, err := store.OrganisationBySlug(r.Context(), s.store, slug)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "not_found", "")
		return org, false
	} else if err != nil {
		s.unavailable(w, r, "find organisation", err)
		return org, false
	}
	return org, s.authorize(w, r, a, act, policy.Resource{OrgID: org.ID}, "organisation", org.Slug)
}

// userStatus says whether a user can sign in.
func userStatus(lang string, u *store.User, now time.Time) string {
	switch {
	case u.Disabled:
		return translate(lang, "admin.user.status.disabled")
	}
	return translate(lang, "admin.user.status.active")
}

type adminUserNewData struct {
	Form userForm
	Org  organisation.Organisation
	// OrgChoices lets a system administrator pick another organisation.
	OrgChoices []choiceGroup
	Offices    []choice
	Roles      []choice
	Errs       *formErrors
}

// adminUserNew shows the form for a new user in the administrator's own
// organisation, or the one ?org= names.
func (s *Server) adminUserNew(w http.ResponseWriter, r *http.Request, a *actor) {
	slug := r.URL.Query().Get("org")
	if slug == "" {
		slug = a.Org.Slug
	}
	org, ok := s.adminOrg(w, r, a, policy.ManageUsers, slug)
	if !ok {
		return
	}
	s.renderUserNew(w, r, a, http.StatusOK, org, userForm{Org: org.Slug, PasswordMode: "generate"}, nil)
}

func (s *Server) renderUserNew(w http.ResponseWriter, r *http.Request, a *actor, status int, org organisation.Organisation, f userForm, errs *formErrors) {
	ctx := r.Context()
	lang := language(w, r)
	offices, err := store.Offices(ctx, s.store, org.ID)
	if err != nil {
		s.unavailable(w, r, "list offices", err)
		return
	}
	d := adminUserNewData{Form: f, Org: org, Offices: officeChoices(lang, offices, f.OfficeID), Roles: roleChoices(lang, f.Roles), Errs: errs}
	if a.SystemAdmin {
		orgs, err := store.Organisations(ctx, s.store, "")
		if err != nil {
			s.unavailable(w, r, "list organisations", err)
			return
		}
		d.OrgChoices = orgChoices(lang, orgs, org.Slug)
	}
	s.render(w, r, status, "admin_user_new", page{Lang: lang, Title: translate(lang, "admin.usernew.title"), Actor: a, Data: d})
}

// adminUserCreate creates a user. The initial password is either generated
// and shown once on the answer to this POST, or set by the administrator.
func (s *Server) adminUserCreate(w http.ResponseWriter, r *http.Request, a *actor) {
	if !s.parseAdminForm(w, r) {
		return
	}
	ctx := r.Context()
	lang := language(w, r)
	slug := r.PostForm.Get("org")
	if slug == "" { // the form of an organisation's admin has no choice: their own
		slug = a.Org.Slug
	}
	org, ok := s.adminOrg(w, r, a, policy.ManageUsers, slug)
	if !ok {
		return
	}
	offices, err := store.Offices(ctx, s.store, org.ID)
	if err != nil {
		s.unavailable(w, r, "list offices", err)
		return
	}
	errs := newFormErrors(lang)
	f := userForm{Org: org.Slug, PasswordMode: r.PostForm.Get("password_mode")}
	f.Username = checkUsername(errs, r.PostForm.Get("username"))
	f.Name = text(errs, "name", r.PostForm.Get("name"), true, maxNameLen)
	f.Email = checkEmail(errs, r.PostForm.Get("email"))
	f.OfficeID = checkOffice(errs, r.PostForm.Get("office"), offices)
	f.Roles = checkRoles(errs, r.PostForm["roles"])
	password := ""
	switch f.PasswordMode {
	case "generate":
		password = account.GeneratePassword()
	case "set":
		password = r.PostForm.Get("password")
		checkNewPassword(errs, password, r.PostForm.Get("repeat"))
	default:
		f.PasswordMode = "generate"
		errs.add("password_mode", "required")
	}
	if !errs.Any() {
		if _, err := store.UserByName(ctx, s.store, f.Username); err == nil {
			errs.add("username", "username_taken")
		} else if !errors.Is(err, store.ErrNotFound) {
			s.unavailable(w, r, "find user", err)
			return
		}
	}
	if errs.Any() {
		s.renderUserNew(w, r, a, http.StatusUnprocessableEntity, org, f, errs)
		return
	}
	hash, err := account.HashPassword(password)
	if err != nil {
		s.unavailable(w, r, "hash password", err)
		return
	}
	var id int64
	err = s.store.Tx(ctx, func(tx *store.Tx) error {
		var err error
		id, err = store.CreateUser(ctx, tx, store.User{Username: f.Username, Name: f.Name, Email: f.Email, OrgID: org.ID,
			OfficeID: f.OfficeID, Roles: f.Roles, PasswordHash: hash})
		if err != nil {
			return err
		}
		e := a.Event(r, "create_user", audit.OutcomeOK, "user", itoa(id))
		e.Purpose = "username=" + f.Username + " org=" + org.Slug + " roles=" + f.Roles.String()
		return store.AppendAudit(ctx, tx, s.audit.Keys(), e)
	})
	if errors.Is(err, store.ErrConflict) { // taken between the check and the insert
		errs.add("username", "username_taken")
		s.renderUserNew(w, r, a, http.StatusUnprocessableEntity, org, f, errs)
		return
	}
	if err != nil {
		s.unavailable(w, r, "create user", err)
		return
	}
	if f.PasswordMode == "set" {
		http.Redirect(w, r, "/admin/users/"+itoa(id)+"?done=created", http.StatusSeeOther)
		return
	}
	s.renderSecret(w, r, a, secretData{
		Heading: translate(lang, "admin.usernew.done"),
		Lead:    fmt.Sprintf(translate(lang, "admin.secret.password.lead"), f.Username),
		Label:   translate(lang, "admin.secret.password"),
		Secret:  password,
		Warning: translate(lang, "admin.secret.password.once"),
		Back:    pageLink{Href: "/admin/users/" + itoa(id), Label: translate(lang, "admin.secret.touser")},
	})
}

type adminUserData struct {
	User     store.User
	Org      organisation.Organisation
	Office   string
	Status   string
	Form     userForm
	Offices  []choice
	Roles    []choice
	Sessions int
	// Self is the administrator's own account: the password and session
	// buttons are on the account page instead.
	Self    bool
	Message string
	Error   string
	Errs    *formErrors
}

// userFor finds the user the path names and checks that a may manage them;
// another organisation's user is 404 unless a is a system administrator.
func (s *Server) userFor(w http.ResponseWriter, r *http.Request, a *actor) (store.User, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "not_found", "")
		return store.User{}, false
	}
	u, err := store.UserByID(r.Context(), s.store, id)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "not_found", "")
		return u, false
	} else if err != nil {
		s.unavailable(w, r, "find user", err)
		return u, false
	}
	return u, s.authorize(w, r, a, policy.ManageUsers, policy.Resource{OrgID: u.OrgID}, "user", itoa(u.ID))
}

// adminUser shows one user with the form to change them.
func (s *Server) adminUser(w http.ResponseWriter, r *http.Request, a *actor) {
	u, ok := s.userFor(w, r, a)
	if !ok {
		return
	}
	lang := language(w, r)
	msg := ""
	switch r.URL.Query().Get("done") {
	case "created", "saved", "sessions":
		msg = translate(lang, "admin.user.done."+r.URL.Query().Get("done"))
	}
	s.renderUser(w, r, a, http.StatusOK, u, userFormOf(&u), msg, "", nil)
}

func (s *Server) renderUser(w http.ResponseWriter, r *http.Request, a *actor, status int, u store.User, f userForm, msg, errMsg string, errs *formErrors) {
	ctx := r.Context()
	lang := language(w, r)
	org, err := store.OrganisationByID(ctx, s.store, u.OrgID)
	if err != nil {
		s.unavailable(w, r, "find organisation", err)
		return
	}
	offices, err := store.Offices(ctx, s.store, u.OrgID)
	if err != nil {
		s.unavailable(w, r, "list offices", err)
		return
	}
	sessions, err := store.UserSessions(ctx, s.store, u.ID)
	if err != nil {
		s.unavailable(w, r, "list sessions", err)
		return
	}
	d := adminUserData{User: u, Org: org, Status: userStatus(lang, &u, s.now()), Form: f,
		Offices: officeChoices(lang, offices, f.OfficeID), Roles: roleChoices(lang, f.Roles),
		Sessions: len(sessions), Self: a.User.ID == u.ID, Message: msg, Error: errMsg, Errs: errs}
	for _, o := range offices {
		if o.ID == u.OfficeID {
			d.Office = o.Name
		}
	}
	s.render(w, r, status, "admin_user", page{Lang: lang, Title: u.Name, Actor: a, Data: d})
}

// adminUserUpdate changes name, e-mail, office, roles and whether the account
// is disabled. Disabling ends the user's sessions at once. Administrators
// cannot take their own administrator role away or disable themselves: an
// organisation must not lock itself out by a slip.
func (s *Server) adminUserUpdate(w http.ResponseWriter, r *http.Request, a *actor) {
	if !s.parseAdminForm(w, r) {
		return
	}
	u, ok := s.userFor(w, r, a)
	if !ok {
		return
	}
	ctx := r.Context()
	lang := language(w, r)
	offices, err := store.Offices(ctx, s.store, u.OrgID)
	if err != nil {
		s.unavailable(w, r, "list offices", err)
		return
	}
	errs := newFormErrors(lang)
	f := userForm{Disabled: r.PostForm.Get("disabled") == "true"}
	f.Name = text(errs, "name", r.PostForm.Get("name"), true, maxNameLen)
	f.Email = checkEmail(errs, r.PostForm.Get("email"))
	f.OfficeID = checkOffice(errs, r.PostForm.Get("office"), offices)
	f.Roles = checkRoles(errs, r.PostForm["roles"])
	if u.ID == a.User.ID {
		if errs.Code("roles") == "" && !f.Roles.Has(account.Admin) {
			errs.add("roles", "self_admin")
		}
		if f.Disabled {
			errs.add("disabled", "self_disable")
		}
	}
	if errs.Any() {
		s.renderUser(w, r, a, http.StatusUnprocessableEntity, u, f, "", "", errs)
		return
	}
	changes := userChanges(&u, &f)
	if changes == "" {
		http.Redirect(w, r, "/admin/users/"+itoa(u.ID)+"?done=saved", http.StatusSeeOther)
		return
	}
	next := u
	next.Name, next.Email, next.OfficeID, next.Roles, next.Disabled = f.Name, f.Email, f.OfficeID, f.Roles, f.Disabled
	err = s.store.Tx(ctx, func(tx *store.Tx) error {
		if err := store.UpdateUser(ctx, tx, next); err != nil {
			return err
		}
		if next.Disabled && !u.Disabled {
			if _, err := store.DeleteUserSessions(ctx, tx, u.ID); err != nil {
				return err
			}
		}
		e := a.Event(r, "update_user", audit.OutcomeOK, "user", itoa(u.ID))
		e.Purpose = changes
		return store.AppendAudit(ctx, tx, s.audit.Keys(), e)
	})
	if err != nil {
		s.unavailable(w, r, "update user", err)
		return
	}
	http.Redirect(w, r, "/admin/users/"+itoa(u.ID)+"?done=saved", http.StatusSeeOther)
}

// userChanges describes what an update changes, for the audit log: role and
// account changes are permission changes and must be traceable.
func userChanges(u *store.User, f *userForm) string {
	var c []string
	if u.Name != f.Name {
		c = append(c, "name")
	}
	if u.Email != f.Email {
		c = append(c, "email")
	}
	if u.OfficeID != f.OfficeID {
		c = append(c, fmt.Sprintf("office=%d->%d", u.OfficeID, f.OfficeID))
	}
	if u.Roles != f.Roles {
		c = append(c, "roles="+u.Roles.String()+"->"+f.Roles.String())
	}
	if u.Disabled != f.Disabled {
		c = append(c, fmt.Sprintf("disabled=%t->%t", u.Disabled, f.Disabled))
	}
	return strings.Join(c, " ")
}

// adminUserPassword gives a user a new generated password, shown once, and
// ends their sessions. For their own password administrators use the
// account page, which asks for the current one.
func (s *Server) adminUserPassword(w http.ResponseWriter, r *http.Request, a *actor) {
	if !s.parseAdminForm(w, r) {
		return
	}
	u, ok := s.userFor(w, r, a)
	if !ok {
		return
	}
	ctx := r.Context()
	lang := language(w, r)
	if u.ID == a.User.ID {
		s.renderUser(w, r, a, http.StatusUnprocessableEntity, u, userFormOf(&u), "", translate(lang, "admin.err.self_password"), nil)
		return
	}
	password := account.GeneratePassword()
	hash, err := account.HashPassword(password)
	if err != nil {
		s.unavailable(w, r, "hash password", err)
		return
	}
	err = s.store.Tx(ctx, func(tx *store.Tx) error {
		if err := store.SetPassword(ctx, tx, u.ID, hash); err != nil {
			return err
		}
		n, err := store.DeleteUserSessions(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		e := a.Event(r, "set_password", audit.OutcomeOK, "user", itoa(u.ID))
		e.Purpose = fmt.Sprintf("generated; %d sessions ended", n)
		return store.AppendAudit(ctx, tx, s.audit.Keys(), e)
	})
	if err != nil {
		s.unavailable(w, r, "set password", err)
		return
	}
	s.renderSecret(w, r, a, secretData{
		Heading: translate(lang, "admin.user.password.done"),
		Lead:    fmt.Sprintf(translate(lang, "admin.secret.password.lead"), u.Username),
		Label:   translate(lang, "admin.secret.password"),
		Secret:  password,
		Warning: translate(lang, "admin.secret.password.once"),
		Back:    pageLink{Href: "/admin/users/" + itoa(u.ID), Label: translate(lang, "admin.secret.touser")},
	})
}

// adminUserEndSessions signs a user out everywhere.
func (s *Server) adminUserEndSessions(w http.ResponseWriter, r *http.Request, a *actor) {
	if !s.parseAdminForm(w, r) {
		return
	}
	u, ok := s.userFor(w, r, a)
	if !ok {
		return
	}
	ctx := r.Context()
	lang := language(w, r)
	if u.ID == a.User.ID {
		s.renderUser(w, r, a, http.StatusUnprocessableEntity, u, userFormOf(&u), "", translate(lang, "admin.err.self_sessions"), nil)
		return
	}
	err := s.store.Tx(ctx, func(tx *store.Tx) error {
		n, err := store.DeleteUserSessions(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		e := a.Event(r, "end_sessions", audit.OutcomeOK, "user", itoa(u.ID))
		e.Purpose = fmt.Sprintf("%d sessions ended", n)
		return store.AppendAudit(ctx, tx, s.audit.Keys(), e)
	})
	if err != nil {
		s.unavailable(w, r, "end sessions", err)
		return
	}
	http.Redirect(w, r, "/admin/users/"+itoa(u.ID)+"?done=sessions", http.StatusSeeOther)
}

func userFormOf(u *store.User) userForm {
	return userForm{Name: u.Name, Email: u.Email, OfficeID: u.OfficeID, Roles: u.Roles, Disabled: u.Disabled}
}
