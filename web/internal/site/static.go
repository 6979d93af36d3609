package site

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base32"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed static
var staticFS embed.FS

// assetHash encodes the content hash in asset URLs.
var assetHash = base32.StdEncoding.WithPadding(base32.NoPadding)

// assets are the embedded static files with a content hash each, so pages can
// link them with a version that changes when the file does and browsers can
// cache them for a year.
type assets struct {
	files map[string][]byte
	hash  map[string]string
}

func loadAssets() (*assets, error) {
	a := &assets{files: map[string][]byte{}, hash: map[string]string{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := path.Base(p)
		sum := sha256.Sum256(b)
		a.files[name] = b
		// Lower-case base32 rather than hex: twelve hex digits can all be
		// decimal and read as a personnummer to a scan of the page (and to
		// the tests that make one); base32's letters make that vanishingly
		// unlikely.
		a.hash[name] = strings.ToLower(assetHash.EncodeToString(sum[:6]))
		return nil
	})
	return a, err
}

// url is the versioned address of an asset; templates call it as
// {{asset "fkui.css"}}. An unknown name is a bug caught when templates run in
// tests.
func (a *assets) url(name string) (string, error) {
	h, ok := a.hash[name]
	if !ok {
		return "", fmt.Errorf("no asset %q", name)
	}
	return "/static/" + name + "?v=" + h, nil
}

// Static is GET /static/{file}: an embedded file, cached for a year when
// asked for by its versioned address.
func (s *Site) Static(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	b, ok := s.assets.files[name]
	if !ok {
		s.FailWith(w, r, http.StatusNotFound, "not_found", "")
		return
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	if r.URL.Query().Get("v") == s.assets.hash[name] {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
}

// AssetURL is the versioned address of an embedded static file, for
// packages that render pages into a layout of their own (the
// associations' public sites).
func (s *Site) AssetURL(name string) (string, error) { return s.assets.url(name) }
