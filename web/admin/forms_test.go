package admin

import (
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

func TestFormChecks(t *testing.T) {
	tests := []struct {
		name  string
		check func(*site.Problems)
		field string
		want  string // error code, "" for none
	}{
		{"username ok", func(e *site.Problems) { checkUsername(e, " anna.berg-2 ") }, "username", ""},
		{"username empty", func(e *site.Problems) { checkUsername(e, "  ") }, "username", "required"},
		{"username upper case", func(e *site.Problems) { checkUsername(e, "Anna") }, "username", "invalid_username"},
		{"username with space", func(e *site.Problems) { checkUsername(e, "anna berg") }, "username", "invalid_username"},
		{"username starting with a dot", func(e *site.Problems) { checkUsername(e, ".anna") }, "username", "invalid_username"},
		{"username too long", func(e *site.Problems) { checkUsername(e, strings.Repeat("a", 65)) }, "username", "too_long"},
		{"name with a control character", func(e *site.Problems) { text(e, "name", "Anna\x00Berg", true, 200) }, "name", "invalid_text"},
		{"name in Swedish", func(e *site.Problems) { text(e, "name", "Åsa Öberg", true, 200) }, "name", ""},
		{"name of 200 letters ä", func(e *site.Problems) { text(e, "name", strings.Repeat("ä", 200), true, 200) }, "name", ""},
		{"invalid UTF-8", func(e *site.Problems) { text(e, "name", "\xff", true, 200) }, "name", "invalid_text"},
		{"email empty is fine", func(e *site.Problems) { checkEmail(e, "") }, "email", ""},
		{"email ok", func(e *site.Problems) { checkEmail(e, "anna@example.se") }, "email", ""},
		{"email without @", func(e *site.Problems) { checkEmail(e, "anna.example.se") }, "email", "invalid_email"},
		{"email with a display name", func(e *site.Problems) { checkEmail(e, "Anna <anna@example.se>") }, "email", "invalid_email"},
		{"slug ok", func(e *site.Problems) { checkSlug(e, "slug", "region-gotland") }, "slug", ""},
		{"slug with å", func(e *site.Problems) { checkSlug(e, "slug", "malmö") }, "slug", "invalid_slug"},
		{"slug with a double hyphen", func(e *site.Problems) { checkSlug(e, "slug", "a--b") }, "slug", "invalid_slug"},
		{"no role", func(e *site.Problems) { checkRoles(e, nil) }, "roles", "no_role"},
		{"unknown role", func(e *site.Problems) { checkRoles(e, []string{"root"}) }, "roles", "unknown_role"},
		{"roles ok", func(e *site.Problems) { checkRoles(e, []string{"admin", "board"}) }, "roles", ""},
		{"office of another organisation", func(e *site.Problems) { checkOffice(e, "7", []store.Office{{ID: 3}}) }, "office", "unknown_office"},
		{"no office is fine", func(e *site.Problems) { checkOffice(e, "", nil) }, "office", ""},
		{"short password", func(e *site.Problems) { checkNewPassword(e, "kort", "kort") }, "password", "password_rules"},
		{"passwords differ", func(e *site.Problems) { checkNewPassword(e, "ett-långt-lösenord", "ett-annat-lösenord") }, "repeat", "password_mismatch"},
		{"region code ok", func(e *site.Problems) { checkOrgCode(e, organisation.Region, "09") }, "code", ""},
		{"region code unknown", func(e *site.Problems) { checkOrgCode(e, organisation.Region, "99") }, "code", "unknown_region_code"},
		{"region code missing", func(e *site.Problems) { checkOrgCode(e, organisation.Region, "") }, "code", "required"},
		{"municipality code ok", func(e *site.Problems) { checkOrgCode(e, organisation.Municipality, "0980") }, "code", ""},
		{"municipality code unknown", func(e *site.Problems) { checkOrgCode(e, organisation.Municipality, "0999") }, "code", "unknown_municipality_code"},
		{"care provider's HSA id is free text", func(e *site.Problems) { checkOrgCode(e, organisation.CareProvider, "SE2321000016-1234") }, "code", ""},
		{"date ok", func(e *site.Problems) { checkDate(e, "from", "2026-02-28") }, "from", ""},
		{"date that does not exist", func(e *site.Problems) { checkDate(e, "from", "2026-02-30") }, "from", "invalid_date"},
		{"date in another format", func(e *site.Problems) { checkDate(e, "from", "28/2/2026") }, "from", "invalid_date"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var e site.Problems
			tc.check(&e)
			if got := e.Code(tc.field); got != tc.want {
				t.Fatalf("code %q, want %q (all: %+v)", got, tc.want, e)
			}
			if v := problemsView("sv", e); tc.want != "" && strings.HasPrefix(v.For(tc.field), "admin.err.") {
				t.Fatalf("no Swedish text for %s", tc.want)
			}
		})
	}
}

func TestCheckDateIsSwedishMidnight(t *testing.T) {
	d := checkDate(&site.Problems{}, "from", "2026-07-01")
	if want := time.Date(2026, 6, 30, 22, 0, 0, 0, time.UTC); !d.Equal(want) {
		t.Fatalf("2026-07-01 starts at %v UTC, want %v (CEST)", d.UTC(), want)
	}
}

func TestFirstErrorOfAFieldWins(t *testing.T) {
	var e site.Problems
	e.Add("username", "required")
	e.Add("username", "username_taken")
	v := problemsView("en", e)
	if len(v.List()) != 1 || e.Code("username") != "required" || v.For("username") != "Fill in this field." {
		t.Fatalf("%+v", v.List())
	}
	var none formView
	if none.Any() || none.For("x") != "" || none.List() != nil {
		t.Fatal("a form view without problems must read as no errors")
	}
}

func TestCSVCellsCannotBeFormulas(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")",
		"+46701234567":      "'+46701234567",
		"-1":                "'-1",
		"@SUM(A1)":          "'@SUM(A1)",
		"\tx":               "'\tx",
		"handlaggare":       "handlaggare",
		"":                  "",
	} {
		if got := cell(in); got != want {
			t.Errorf("cell(%q) = %q, want %q", in, got, want)
		}
	}
}
