// Package admin is the administration of finsam: users, organisations and
// their offices, API tokens, the audit log and a person's access-log
// extract, the certificates intake rejected (for administrators and intake
// stewards) and the FMB table the quality check uses.
package admin

import (
	"embed"
	"html/template"
	"io/fs"
	"slices"

	"github.com/finsam/finsam/web/internal/certintake"
	"github.com/finsam/finsam/web/internal/certview"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/tablehead"
	"github.com/finsam/finsam/web/internal/tmplfunc"
)

//go:embed templates/*.html templates/partials/*.html messages/*.json
var files embed.FS

// feature is the package's pages and words, and the words it builds on.
var feature = site.NewFeature(files, certview.Messages, site.Core)

// Messages are the administration's words.
var Messages = feature.Messages

func translate(lang, id string) string { return feature.T(lang, id) }

// Handlers serve the administration's routes; the web package registers
// them.
type Handlers struct {
	*site.Site
	// intake is the certificate intake whose FMB table the FMB page shows
	// and replaces.
	intake *certintake.Holder
}

// New is the administration's handlers on s, with their pages added to s.
func New(s *site.Site, in *certintake.Holder) (*Handlers, error) {
	forms := []string{"partials/forms.html"}
	partials := map[string][]string{"admin_audit.html": {"partials/forms.html", "partials/audit_table.html"}, "admin_extract.html": {"partials/audit_table.html"},
		"admin_user.html": forms, "admin_user_new.html": forms, "admin_rejected.html": {"cert_pager.html"},
		"admin_organisation.html": forms, "admin_organisations.html": forms, "admin_tokens.html": forms, "admin_users.html": forms}
	for _, page := range []string{"admin_fmb.html", "admin_organisation.html", "admin_organisations.html", "admin_rejected.html", "admin_rejected_one.html",
		"admin_tokens.html", "admin_users.html"} {
		partials[page] = append(slices.Clip(partials[page]), tablehead.Partial)
	}
	pages := site.Pages{Shared: []fs.FS{certview.Templates, tablehead.Templates}, Partials: partials,
		Funcs: tablehead.Funcs(template.FuncMap{"dict": tmplfunc.Dict})}
	return site.Mount(feature, s, pages, &Handlers{Site: s, intake: in})
}
