package site

import "io/fs"

// Feature is what a feature package declares once about itself: its
// embedded files, with its pages under templates/ and its words under
// messages/ (see LoadCatalogue), and the catalogues its code builds on.
// Its New mounts it on the site (Mount).
type Feature struct {
	files fs.FS
	// Messages are the feature's own words, which the web package merges
	// into the server's catalogue.
	Messages Catalogue
	// Words are Messages merged with the catalogues the feature builds on:
	// where its own code looks words up.
	Words Catalogue
}

// NewFeature is the feature whose files are files and whose code builds
// on the catalogues builds besides its own. Like MustCatalogue it is for
// files embedded at build time, and panics on a broken catalogue.
func NewFeature(files fs.FS, builds ...Catalogue) *Feature {
	own := MustCatalogue(files)
	return &Feature{files: files, Messages: own, Words: MustMerge(append([]Catalogue{own}, builds...)...)}
}

// T is the feature's message id in lang, as Catalogue.T.
func (f *Feature) T(lang, id string) string { return f.Words.T(lang, id) }

// Mount is what a feature's New does: it adds f's pages (templates/*.html)
// to s, as Site.AddPages with p's partials, shared templates and
// functions, and answers handlers, the feature's handlers on s, or the
// error that stopped a page.
func Mount[H any](f *Feature, s *Site, p Pages, handlers H) (H, error) {
	p.FS, p.Dir = f.files, "templates"
	if err := s.AddPages(p); err != nil {
		var none H
		return none, err
	}
	return handlers, nil
}
