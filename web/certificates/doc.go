// Package certificates is the certificates of FK 7804 as Försäkringskassan's
// staff read them and as care providers send them: an office's inbox of new
// certificates, the page of one certificate with its answers grouped as on
// the form and its quality findings beside the answers they concern, and
// POST /api/v1/certificates, the intake for care providers' systems.
//
// The supplement requests shown on a certificate's page belong to the case
// work; the web package hands them in as Supplements, so that this package
// does not depend on the case work.
package certificates

import (
	"context"
	"embed"
	"io/fs"

	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/web/internal/certintake"
	"github.com/finsam/finsam/web/internal/certview"
	"github.com/finsam/finsam/web/internal/site"
)

//go:embed templates/*.html messages/*.json
var files embed.FS

// feature is the package's pages and words, and the words it builds on.
var feature = site.NewFeature(files, certview.Messages, site.Core)

// Messages are the certificate pages' words.
var Messages = feature.Messages

func translate(lang, id string) string { return feature.T(lang, id) }

// Supplements is the part of a certificate's page that shows its supplement
// requests and the form for a new one: the case work's, handed in by the
// web package.
type Supplements struct {
	// View builds the part for one certificate, with its quality findings
	// (which the form offers first), in lang; the templates
	// "supplement-status" and "supplement-form" get it as dot.
	View func(ctx context.Context, certificateID int64, findings []certificate.Finding, lang string) (any, error)
	// Templates hold supplement_form.html, which defines those templates.
	Templates fs.FS
}

// Handlers serve the certificates' routes; the web package registers them.
type Handlers struct {
	*site.Site
	intake      *certintake.Holder
	supplements Supplements
}

// New is the certificates' handlers on s, submitting to in, with their
// pages added to s.
func New(s *site.Site, in *certintake.Holder, sup Supplements) (*Handlers, error) {
	pages := site.Pages{
		Partials: map[string][]string{"certificate.html": {"supplement_form.html"}, "certificates.html": {"cert_pager.html"}},
		Shared:   []fs.FS{sup.Templates, certview.Templates}}
	return site.Mount(feature, s, pages, &Handlers{Site: s, intake: in, supplements: sup})
}
