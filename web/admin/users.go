package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
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
	Orgs    []site.Choice
	NewHref string
}

// Users lists the users an administrator manages: their organisation's,
// or for a system administrator everyone's, filtered by organisation.
func (s *Handlers) Users(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ctx := r.Context()
	lang := site.Language(w, r)
	d := adminUsersData{Filter: r.URL.Query().Get("org"), NewHref: "/admin/users/new"}
	orgID, names, err := s.listed(r, a, policy.ManageUsers, d.Filter)
	if err != nil {
		return err
	}
	if d.Filter != "" {
		d.NewHref = site.WithQuery("/admin/users/new", url.Values{"org": {d.Filter}})
	}
	users, err := store.Users(ctx, s.Store, orgID)
	if err != nil {
		return site.Unavailable("list users", err)
	}
	for _, u := range users {
		d.Users = append(d.Users, userRow{ID: u.ID, Username: u.Username, Name: u.Name, Org: names[u.OrgID],
			Roles: roleLabels(lang, u.Roles), Status: userStatus(lang, &u, s.Now()), Disabled: u.Disabled})
	}
	if a.SystemAdmin {
		withUsers, err := store.OrganisationsWithUsers(ctx, s.Store)
		if err != nil {
			return site.Unavailable("list organisations", err)
		}
		d.Orgs = []site.Choice{{Value: "", Label: translate(lang, "admin.users.filter.all"), Selected: d.Filter == ""}}
		for _, o := range withUsers {
			d.Orgs = append(d.Orgs, site.Choice{Value: o.Slug, Label: fmt.Sprintf("%s (%d)", o.Name, o.Users), Selected: o.Slug == d.Filter})
		}
	}
	s.Render(w, r, http.StatusOK, "admin_users", site.Page{Lang: lang, Title: translate(lang, "admin.users.title"), Actor: a, Data: d})
	return nil
}

// orgNames maps every organisation's id to its name.
func (s *Handlers) orgNames(ctx context.Context) (map[int64]string, error) {
	orgs, err := store.Organisations(ctx, s.Store, "")
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
// act on it. An unknown slug is 404, like one the actor may not see.
func (s *Handlers) adminOrg(r *http.Request, a *site.Actor, act policy.Action, slug string) (organisation.Organisation, error) {
	org, err := store.OrganisationBySlug(r.Context(), s.Store, slug)
	if errors.Is(err, store.ErrNotFound) {
		return org, site.NotFound()
	} else if err != nil {
		return org, site.Unavailable("find organisation", err)
	}
	return org, s.Authorize(r, a, act, policy.Resource{OrgID: org.ID}, "organisation", org.Slug)
}

// listed is the organisation whose users or tokens an administrator
// lists: the one of the slug filter, which they must manage (act), or by
// default their own (everyone's for a system administrator, 0). names are
// every organisation's names by id, for the list's rows.
func (s *Handlers) listed(r *http.Request, a *site.Actor, act policy.Action, filter string) (orgID int64, names map[int64]string, err error) {
	orgID = a.AdminOrgID()
	if filter != "" {
		org, err := s.adminOrg(r, a, act, filter)
		if err != nil {
			return 0, nil, err
		}
		orgID = org.ID
	}
	if names, err = s.orgNames(r.Context()); err != nil {
		return 0, nil, site.Unavailable("list organisations", err)
	}
	return orgID, names, nil
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
	OrgChoices []site.ChoiceGroup
	Offices    []site.Choice
	Roles      []site.Choice
	Errs       formView
}

// UserNew shows the form for a new user in the administrator's own
// organisation, or the one ?org= names.
func (s *Handlers) UserNew(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	slug := r.URL.Query().Get("org")
	if slug == "" {
		slug = a.Org.Slug
	}
	org, err := s.adminOrg(r, a, policy.ManageUsers, slug)
	if err != nil {
		return err
	}
	return s.renderUserNew(w, r, a, http.StatusOK, org, userForm{Org: org.Slug, PasswordMode: "generate"}, nil)
}

func (s *Handlers) renderUserNew(w http.ResponseWriter, r *http.Request, a *site.Actor, status int, org organisation.Organisation, f userForm, errs site.Problems) error {
	ctx := r.Context()
	lang := site.Language(w, r)
	offices, err := store.Offices(ctx, s.Store, org.ID)
	if err != nil {
		return site.Unavailable("list offices", err)
	}
	d := adminUserNewData{Form: f, Org: org, Offices: officeChoices(lang, offices, f.OfficeID), Roles: roleChoices(lang, f.Roles), Errs: problemsView(lang, errs)}
	if a.SystemAdmin {
		orgs, err := store.Organisations(ctx, s.Store, "")
		if err != nil {
			return site.Unavailable("list organisations", err)
		}
		d.OrgChoices = orgChoices(lang, orgs, org.Slug)
	}
	s.Render(w, r, status, "admin_user_new", site.Page{Lang: lang, Title: translate(lang, "admin.usernew.title"), Actor: a, Data: d})
	return nil
}

// UserCreate creates a user. The initial password is either generated
// and shown once on the answer to this POST, or set by the administrator.
func (s *Handlers) UserCreate(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	if err := site.ParseForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	lang := site.Language(w, r)
	slug := r.PostForm.Get("org")
	if slug == "" { // the form of an organisation's admin has no choice: their own
		slug = a.Org.Slug
	}
	org, err := s.adminOrg(r, a, policy.ManageUsers, slug)
	if err != nil {
		return err
	}
	offices, err := store.Offices(ctx, s.Store, org.ID)
	if err != nil {
		return site.Unavailable("list offices", err)
	}
	var errs site.Problems
	f := userForm{Org: org.Slug, PasswordMode: r.PostForm.Get("password_mode")}
	f.Username = checkUsername(&errs, r.PostForm.Get("username"))
	f.Name = text(&errs, "name", r.PostForm.Get("name"), true, maxNameLen)
	f.Email = checkEmail(&errs, r.PostForm.Get("email"))
	f.OfficeID = checkOffice(&errs, r.PostForm.Get("office"), offices)
	f.Roles = checkRoles(&errs, r.PostForm["roles"])
	password := ""
	switch f.PasswordMode {
	case "generate":
		password = account.GeneratePassword()
	case "set":
		password = r.PostForm.Get("password")
		checkNewPassword(&errs, password, r.PostForm.Get("repeat"))
	default:
		f.PasswordMode = "generate"
		errs.Add("password_mode", "required")
	}
	if !errs.Any() {
		if _, err := store.UserByName(ctx, s.Store, f.Username); err == nil {
			errs.Add("username", "username_taken")
		} else if !errors.Is(err, store.ErrNotFound) {
			return site.Unavailable("find user", err)
		}
	}
	if errs.Any() {
		return s.renderUserNew(w, r, a, http.StatusUnprocessableEntity, org, f, errs)
	}
	hash, err := account.HashPassword(password)
	if err != nil {
		return site.Unavailable("hash password", err)
	}
	var id int64
	err = s.Store.Tx(ctx, func(tx *store.Tx) error {
		var err error
		id, err = store.CreateUser(ctx, tx, store.User{Username: f.Username, Name: f.Name, Email: f.Email, OrgID: org.ID,
			OfficeID: f.OfficeID, Roles: f.Roles, PasswordHash: hash})
		if err != nil {
			return err
		}
		e := a.Event(r, "create_user", audit.OutcomeOK, "user", strconv.FormatInt(id, 10))
		e.Purpose = "username=" + f.Username + " org=" + org.Slug + " roles=" + f.Roles.String()
		return store.AppendAudit(ctx, tx, s.Audit.Keys(), e)
	})
	if errors.Is(err, store.ErrConflict) { // taken between the check and the insert
		errs.Add("username", "username_taken")
		return s.renderUserNew(w, r, a, http.StatusUnprocessableEntity, org, f, errs)
	}
	if err != nil {
		return site.Unavailable("create user", err)
	}
	if f.PasswordMode == "set" {
		http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10)+"?done=created", http.StatusSeeOther)
		return nil
	}
	return s.renderSecret(w, r, a, passwordShown(lang, "admin.usernew.done", id, f.Username, password))
}

// passwordShown is the page that shows a generated password of the user
// id (username) once, under the heading of the message heading.
func passwordShown(lang, heading string, id int64, username, password string) secretData {
	return secretData{
		Heading: translate(lang, heading),
		Lead:    fmt.Sprintf(translate(lang, "admin.secret.password.lead"), username),
		Label:   translate(lang, "admin.secret.password"),
		Secret:  password,
		Warning: translate(lang, "admin.secret.password.once"),
		Back:    pageLink{Href: "/admin/users/" + strconv.FormatInt(id, 10), Label: translate(lang, "admin.secret.touser")},
	}
}

type adminUserData struct {
	User     store.User
	Org      organisation.Organisation
	Office   string
	Status   string
	Form     userForm
	Offices  []site.Choice
	Roles    []site.Choice
	Sessions int
	// Self is the administrator's own account: the password and session
	// buttons are on the account page instead.
	Self    bool
	Message string
	Error   string
	Errs    formView
}

// userFor finds the user the path names and checks that a may manage them;
// another organisation's user is 404 unless a is a system administrator.
func (s *Handlers) userFor(r *http.Request, a *site.Actor) (store.User, error) {
	id, ok := site.PathID(r, "id")
	if !ok {
		return store.User{}, site.NotFound()
	}
	u, err := store.UserByID(r.Context(), s.Store, id)
	if errors.Is(err, store.ErrNotFound) {
		return u, site.NotFound()
	} else if err != nil {
		return u, site.Unavailable("find user", err)
	}
	return u, s.Authorize(r, a, policy.ManageUsers, policy.Resource{OrgID: u.OrgID}, "user", strconv.FormatInt(u.ID, 10))
}

// User shows one user with the form to change them.
func (s *Handlers) User(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	u, err := s.userFor(r, a)
	if err != nil {
		return err
	}
	lang := site.Language(w, r)
	msg := ""
	switch r.URL.Query().Get("done") {
	case "created", "saved", "sessions":
		msg = translate(lang, "admin.user.done."+r.URL.Query().Get("done"))
	}
	return s.renderUser(w, r, a, http.StatusOK, u, userFormOf(&u), msg, "", nil)
}

func (s *Handlers) renderUser(w http.ResponseWriter, r *http.Request, a *site.Actor, status int, u store.User, f userForm, msg, errMsg string, errs site.Problems) error {
	ctx := r.Context()
	lang := site.Language(w, r)
	org, err := store.OrganisationByID(ctx, s.Store, u.OrgID)
	if err != nil {
		return site.Unavailable("find organisation", err)
	}
	offices, err := store.Offices(ctx, s.Store, u.OrgID)
	if err != nil {
		return site.Unavailable("list offices", err)
	}
	sessions, err := store.UserSessions(ctx, s.Store, u.ID)
	if err != nil {
		return site.Unavailable("list sessions", err)
	}
	d := adminUserData{User: u, Org: org, Status: userStatus(lang, &u, s.Now()), Form: f,
		Offices: officeChoices(lang, offices, f.OfficeID), Roles: roleChoices(lang, f.Roles),
		Sessions: len(sessions), Self: a.User.ID == u.ID, Message: msg, Error: errMsg, Errs: problemsView(lang, errs)}
	for _, o := range offices {
		if o.ID == u.OfficeID {
			d.Office = o.Name
		}
	}
	s.Render(w, r, status, "admin_user", site.Page{Lang: lang, Title: u.Name, Actor: a, Data: d})
	return nil
}

// UserUpdate changes name, e-mail, office, roles and whether the account
// is disabled. Disabling ends the user's sessions at once. Administrators
// cannot take their own administrator role away or disable themselves: an
// organisation must not lock itself out by a slip.
func (s *Handlers) UserUpdate(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	if err := site.ParseForm(w, r); err != nil {
		return err
	}
	u, err := s.userFor(r, a)
	if err != nil {
		return err
	}
	ctx := r.Context()
	offices, err := store.Offices(ctx, s.Store, u.OrgID)
	if err != nil {
		return site.Unavailable("list offices", err)
	}
	var errs site.Problems
	f := userForm{Disabled: r.PostForm.Get("disabled") == "true"}
	f.Name = text(&errs, "name", r.PostForm.Get("name"), true, maxNameLen)
	f.Email = checkEmail(&errs, r.PostForm.Get("email"))
	f.OfficeID = checkOffice(&errs, r.PostForm.Get("office"), offices)
	f.Roles = checkRoles(&errs, r.PostForm["roles"])
	if u.ID == a.User.ID {
		if errs.Code("roles") == "" && !f.Roles.Has(account.Admin) {
			errs.Add("roles", "self_admin")
		}
		if f.Disabled {
			errs.Add("disabled", "self_disable")
		}
	}
	if errs.Any() {
		return s.renderUser(w, r, a, http.StatusUnprocessableEntity, u, f, "", "", errs)
	}
	changes := userChanges(&u, &f)
	if changes == "" {
		http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(u.ID, 10)+"?done=saved", http.StatusSeeOther)
		return nil
	}
	next := u
	next.Name, next.Email, next.OfficeID, next.Roles, next.Disabled = f.Name, f.Email, f.OfficeID, f.Roles, f.Disabled
	err = s.Store.Tx(ctx, func(tx *store.Tx) error {
		if err := store.UpdateUser(ctx, tx, next); err != nil {
			return err
		}
		if next.Disabled && !u.Disabled {
			if _, err := store.DeleteUserSessions(ctx, tx, u.ID); err != nil {
				return err
			}
		}
		e := a.Event(r, "update_user", audit.OutcomeOK, "user", strconv.FormatInt(u.ID, 10))
		e.Purpose = changes
		return store.AppendAudit(ctx, tx, s.Audit.Keys(), e)
	})
	if err != nil {
		return site.Unavailable("update user", err)
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(u.ID, 10)+"?done=saved", http.StatusSeeOther)
	return nil
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

// otherUser parses the form of an action an administrator takes on
// another user, never on themselves, and finds the user. ok is false when
// the action stops here: err is the failure, or nil once their own user
// page has answered 422 with the message selfID.
func (s *Handlers) otherUser(w http.ResponseWriter, r *http.Request, a *site.Actor, selfID string) (u store.User, ok bool, err error) {
	if err := site.ParseForm(w, r); err != nil {
		return u, false, err
	}
	if u, err = s.userFor(r, a); err != nil {
		return u, false, err
	}
	if u.ID == a.User.ID {
		lang := site.Language(w, r)
		return u, false, s.renderUser(w, r, a, http.StatusUnprocessableEntity, u, userFormOf(&u), "", translate(lang, selfID), nil)
	}
	return u, true, nil
}

// UserPassword gives a user a new generated password, shown once, and
// ends their sessions. For their own password administrators use the
// account page, which asks for the current one.
func (s *Handlers) UserPassword(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	u, ok, err := s.otherUser(w, r, a, "admin.err.self_password")
	if !ok {
		return err
	}
	ctx := r.Context()
	lang := site.Language(w, r)
	password := account.GeneratePassword()
	hash, err := account.HashPassword(password)
	if err != nil {
		return site.Unavailable("hash password", err)
	}
	err = s.Store.Tx(ctx, func(tx *store.Tx) error {
		if err := store.SetPassword(ctx, tx, u.ID, hash); err != nil {
			return err
		}
		return s.endSessions(ctx, tx, r, a, u.ID, "set_password", "generated; ")
	})
	if err != nil {
		return site.Unavailable("set password", err)
	}
	return s.renderSecret(w, r, a, passwordShown(lang, "admin.user.password.done", u.ID, u.Username, password))
}

// UserEndSessions signs a user out everywhere.
func (s *Handlers) UserEndSessions(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	u, ok, err := s.otherUser(w, r, a, "admin.err.self_sessions")
	if !ok {
		return err
	}
	ctx := r.Context()
	err = s.Store.Tx(ctx, func(tx *store.Tx) error {
		return s.endSessions(ctx, tx, r, a, u.ID, "end_sessions", "")
	})
	if err != nil {
		return site.Unavailable("end sessions", err)
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(u.ID, 10)+"?done=sessions", http.StatusSeeOther)
	return nil
}

// endSessions ends every session of the user userID in tx, with the audit
// entry of action: its purpose is purpose followed by how many ended.
func (s *Handlers) endSessions(ctx context.Context, tx *store.Tx, r *http.Request, a *site.Actor, userID int64, action, purpose string) error {
	n, err := store.DeleteUserSessions(ctx, tx, userID)
	if err != nil {
		return err
	}
	e := a.Event(r, action, audit.OutcomeOK, "user", strconv.FormatInt(userID, 10))
	e.Purpose = fmt.Sprintf("%s%d sessions ended", purpose, n)
	return store.AppendAudit(ctx, tx, s.Audit.Keys(), e)
}

func userFormOf(u *store.User) userForm {
	return userForm{Name: u.Name, Email: u.Email, OfficeID: u.OfficeID, Roles: u.Roles, Disabled: u.Disabled}
}
