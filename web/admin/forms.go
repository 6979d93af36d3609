package admin

import (
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/organisation/codelist"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// The validation of the administration forms. Each check adds a stable error
// code for the field to site.Problems; a form with any problem writes nothing.

// Field limits.
const (
	maxUsernameLen = 64
	maxNameLen     = 200
	maxEmailLen    = 254 // RFC 5321's limit on a forward path
	maxSlugLen     = 64
	maxCodeLen     = 64
	maxTokenName   = 100
)

var (
	// usernamePattern: lower-case letters, digits and . _ -, starting with a
	// letter or digit, so that names are easy to type and cannot be mistaken
	// for one another by case.
	usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	// slugPattern is organisation.Validate's: lower-case words joined by "-".
	slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// text trims a form value and checks it: required or not, at most max
// characters, no control characters. It returns the cleaned value.
func text(errs *site.Problems, field, v string, required bool, max int) string {
	v = strings.TrimSpace(v)
	switch {
	case v == "" && required:
		errs.Add(field, "required")
	case !utf8.ValidString(v) || strings.IndexFunc(v, unicode.IsControl) >= 0:
		errs.Add(field, "invalid_text")
	case utf8.RuneCountInString(v) > max:
		errs.Add(field, "too_long")
	}
	return v
}

func checkUsername(errs *site.Problems, v string) string {
	v = text(errs, "username", v, true, maxUsernameLen)
	if errs.Code("username") == "" && !usernamePattern.MatchString(v) {
		errs.Add("username", "invalid_username")
	}
	return v
}

// checkEmail accepts an empty address or one plain address (no display
// name): it is shown to administrators and used for notices.
func checkEmail(errs *site.Problems, v string) string {
	v = text(errs, "email", v, false, maxEmailLen)
	if v == "" || errs.Code("email") != "" {
		return v
	}
	if a, err := mail.ParseAddress(v); err != nil || a.Address != v || a.Name != "" {
		errs.Add("email", "invalid_email")
	}
	return v
}

func checkSlug(errs *site.Problems, field, v string) string {
	v = text(errs, field, v, true, maxSlugLen)
	if errs.Code(field) == "" && !slugPattern.MatchString(v) {
		errs.Add(field, "invalid_slug")
	}
	return v
}

// checkRoles reads the role checkboxes: at least one, all known.
func checkRoles(errs *site.Problems, values []string) account.Roles {
	var roles account.Roles
	for _, v := range values {
		r, err := account.ParseRole(v)
		if err != nil {
			errs.Add("roles", "unknown_role")
			return roles
		}
		roles |= account.RolesOf(r)
	}
	if roles == 0 {
		errs.Add("roles", "no_role")
	}
	return roles
}

// checkOffice reads an office choice: "" is none, anything else must be one
// of the organisation's offices.
func checkOffice(errs *site.Problems, v string, offices []store.Office) int64 {
	if v == "" {
		return 0
	}
	for _, o := range offices {
		if strconv.FormatInt(o.ID, 10) == v {
			return o.ID
		}
	}
	errs.Add("office", "unknown_office")
	return 0
}

// checkNewPassword checks a password an administrator sets.
func checkNewPassword(errs *site.Problems, pw, repeat string) {
	switch {
	case account.CheckPasswordRules(pw) != nil:
		errs.Add("password", "password_rules")
	case pw != repeat:
		errs.Add("repeat", "password_mismatch")
	}
}

// checkOrgCode checks an organisation's official code: SCB's län code for
// a region and kommun code for a municipality (both required and checked
// against the code lists), free text of at most maxCodeLen otherwise (an
// HSA id for a care provider).
func checkOrgCode(errs *site.Problems, t organisation.Type, v string) string {
	required := t == organisation.Region || t == organisation.Municipality
	v = text(errs, "code", v, required, maxCodeLen)
	if errs.Code("code") != "" || v == "" {
		return v
	}
	switch t {
	case organisation.Region:
		if _, ok := codelist.RegionByCode(v); !ok {
			errs.Add("code", "unknown_region_code")
		}
	case organisation.Municipality:
		if _, ok := codelist.MunicipalityByCode(v); !ok {
			errs.Add("code", "unknown_municipality_code")
		}
	}
	return v
}

// officeKinds are the kinds of office an organisation of type t may have:
// the local insurance centres and offices are Försäkringskassan's.
func officeKinds(t organisation.Type) []string {
	if t == organisation.FK {
		return []string{store.OfficeInsuranceCentre, store.OfficeLocal, store.OfficeOther}
	}
	return []string{store.OfficeOther}
}

// checkDate reads an optional date (YYYY-MM-DD) as the start of that day in
// Sweden.
func checkDate(errs *site.Problems, field, v string) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	d, err := time.ParseInLocation(time.DateOnly, v, site.Stockholm)
	if err != nil {
		errs.Add(field, "invalid_date")
		return time.Time{}
	}
	return d
}
