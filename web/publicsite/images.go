package publicsite

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/website"
)

// The site's images (ADR 37). The staff upload one on a page's edit form;
// it belongs to the site, so that every page and news item can show it
// with ![alt](bild:ID) in its Markdown. Visitors get it at an address
// that names its content (/bilder/<id>-<hash>.jpg), which therefore never
// changes meaning and is cached for a year.

// imageSet is a site's images as its pages place them.
type imageSet struct {
	// base is where the site's addresses start ("/f/<slug>" or "" on
	// its own host name).
	base string
	byID map[int64]website.Image
}

// URL is the address of the image's large version, or with small its
// small one.
func (set *imageSet) URL(im website.Image, small bool) string {
	name := strconv.FormatInt(im.ID, 10) + "-" + im.Hash
	if small {
		name += "-liten"
	}
	return set.base + "/bilder/" + name + "." + im.Ext()
}

// siteImages reads the association's images for its pages at base.
func (s *Handlers) siteImages(r *http.Request, associationID int64, base string) (*imageSet, error) {
	list, err := store.SiteImages(r.Context(), s.Store, associationID)
	if err != nil {
		return nil, site.Unavailable("site images", err)
	}
	set := &imageSet{base: base, byID: map[int64]website.Image{}}
	for _, im := range list {
		set.byID[im.ID] = im
	}
	return set, nil
}

// markdownWith renders Markdown as Markdown does, with the images that
// images holds in place of bild:ID. Every other image is dropped for its
// alt text: the site shows only its own images, and a visitor's browser
// is never sent to another server (the site promises no tracking).
func markdownWith(src string, images *imageSet) template.HTML {
	source := []byte(src)
	doc := md.Parser().Parse(text.NewReader(source))
	var imgs []*ast.Image
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if im, ok := n.(*ast.Image); ok && entering {
			imgs = append(imgs, im)
		}
		return ast.WalkContinue, nil
	})
	for _, n := range imgs {
		im, ok := images.place(n)
		if !ok {
			n.Parent().ReplaceChild(n.Parent(), n, ast.NewString([]byte(altOf(n, source))))
			continue
		}
		n.Destination = []byte(images.URL(im, false))
		n.SetAttributeString("srcset", images.URL(im, true)+" "+strconv.Itoa(im.SmallWidth)+"w, "+images.URL(im, false)+" "+strconv.Itoa(im.Width)+"w")
		n.SetAttributeString("sizes", "(max-width: 40em) 100vw, 40em")
		n.SetAttributeString("width", strconv.Itoa(im.Width))
		n.SetAttributeString("height", strconv.Itoa(im.Height))
		n.SetAttributeString("loading", "lazy")
		// The editor's alt text in the Markdown says what the image
		// means on this page; without one, the image's own.
		if im.Decorative || altOf(n, source) == "" {
			for c := n.FirstChild(); c != nil; {
				next := c.NextSibling()
				n.RemoveChild(n, c)
				c = next
			}
			if !im.Decorative {
				n.AppendChild(n, ast.NewString([]byte(im.Alt)))
			}
		}
	}
	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, source, doc); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(sanitizer.SanitizeBytes(buf.Bytes())) // #nosec: sanitised
}

// place is the image n shows when its destination is bild:ID of one of
// the set's images.
func (set *imageSet) place(n *ast.Image) (website.Image, bool) {
	if set == nil {
		return website.Image{}, false
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(string(n.Destination), "bild:"), 10, 64)
	if err != nil || !bytes.HasPrefix(n.Destination, []byte("bild:")) {
		return website.Image{}, false
	}
	im, ok := set.byID[id]
	return im, ok
}

// altOf is the text of an image's alt (its children).
func altOf(n ast.Node, source []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(source))
		case *ast.String:
			b.Write(t.Value)
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// firstImage is the first of the site's images that the Markdown places,
// for og:image.
func firstImage(src string, images *imageSet) (website.Image, bool) {
	for _, m := range bildRef.FindAllStringSubmatch(src, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		if im, ok := images.byID[id]; ok {
			return im, true
		}
	}
	return website.Image{}, false
}

var bildRef = regexp.MustCompile(`\]\(bild:([0-9]{1,18})\)`)

// imageFile is an image's file name in its address.
var imageFile = regexp.MustCompile(`^([0-9]{1,18})-([0-9a-f]{16})(-liten)?\.(jpg|png)$`)

// Image is GET /f/{site}/bilder/{file}: one version of one of the site's
// images. The address names the bytes, so the answer may be kept for a
// year; no cookie, no session. It is served also while the site is not
// published, so that the staff's preview shows it; the address cannot be
// guessed (64 bits of the content's hash).
func (s *Handlers) Image(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	m := imageFile.FindStringSubmatch(r.PathValue("file"))
	if m == nil {
		return site.NotFound()
	}
	id, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		return site.NotFound()
	}
	org, err := s.PathAssociation(r, "site")
	if err != nil {
		return err
	}
	small := m[3] != ""
	im, err := store.SiteImageData(r.Context(), s.Store, org.ID, id, small)
	if errors.Is(err, store.ErrNotFound) {
		return site.NotFound()
	}
	if err != nil {
		return site.Unavailable("site image", err)
	}
	if im.Hash != m[2] || im.Ext() != m[4] {
		return site.NotFound()
	}
	data := im.Data
	if small {
		data = im.SmallData
	}
	etag := `"` + im.Hash + m[3] + `"`
	h := w.Header()
	h.Set("Content-Type", im.ContentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", etag)
	h.Set("X-Content-Type-Options", "nosniff")
	if notModified(r, etag, im.Created) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
	return nil
}

// uploadBytes is how large an upload request may be before it is refused
// unread: the image's limit and room for the form's other fields. An image
// over website.MaxImageBytes within it is read to its end and refused with
// a message at the field, so that the browser gets the page.
const uploadBytes = 4 * website.MaxImageBytes

// imageUpload is what the upload form sends.
type imageUpload struct {
	data       []byte
	alt        string
	decorative bool
	// tooLarge: the file was over website.MaxImageBytes.
	tooLarge bool
}

// readImageUpload reads the multipart form of an upload: alt, decorative
// and the file image, which it reads to at most website.MaxImageBytes+1
// bytes. A body that is not a multipart form is a bad request.
func readImageUpload(w http.ResponseWriter, r *http.Request) (imageUpload, error) {
	var up imageUpload
	if r.ContentLength > uploadBytes {
		return up, site.TooLarge()
	}
	ct, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "multipart/form-data" || params["boundary"] == "" {
		return up, site.BadRequest()
	}
	r.Body = http.MaxBytesReader(w, r.Body, uploadBytes)
	mr, err := r.MultipartReader()
	if err != nil {
		return up, site.BadRequest()
	}
	seen := map[string]bool{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return up, uploadError(err)
		}
		name := part.FormName()
		if seen[name] {
			return up, site.BadRequest()
		}
		seen[name] = true
		switch name {
		case "image":
			up.data, err = io.ReadAll(io.LimitReader(part, website.MaxImageBytes+1))
			if err == nil && len(up.data) > website.MaxImageBytes {
				up.data, up.tooLarge = nil, true
				_, err = io.Copy(io.Discard, part)
			}
		case "alt", "decorative":
			var b []byte
			b, err = io.ReadAll(io.LimitReader(part, 4096))
			if name == "alt" {
				up.alt = string(b)
			} else {
				up.decorative = string(b) == "on"
			}
		default:
			_, err = io.Copy(io.Discard, part)
		}
		if err != nil {
			return up, uploadError(err)
		}
	}
	return up, nil
}

func uploadError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return site.TooLarge()
	}
	return site.BadRequest()
}

// UploadImage is POST /forbund/{slug}/webb/sidor/{pageID}/bilder: an image
// for the site, sent from a page's edit form, which the answer shows again
// with the image's Markdown to place it, or with the upload's problems at
// its fields (nothing stored).
func (s *Handlers) UploadImage(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ss, p, err := s.staffPage(r, a)
	if err != nil {
		return err
	}
	up, err := readImageUpload(w, r)
	if err != nil {
		return err
	}
	var ps site.Problems
	var im website.Image
	if up.tooLarge {
		ps.Add("image", website.CodeImageBytes)
		if strings.TrimSpace(up.alt) == "" && !up.decorative {
			ps.Add("alt", website.CodeAltRequired)
		}
	} else {
		s.prepare.Lock()
		im, err = website.PrepareImage(up.data, up.alt, up.decorative)
		s.prepare.Unlock()
		if wps, ok := site.ProblemsOf(err); ok {
			ps = wps
		} else if err != nil {
			return site.Internal("prepare image", err)
		}
	}
	ps, err = s.save(r, ps, func(tx *store.Tx) error {
		im, err = store.SaveSiteImage(r.Context(), tx, ss.Org.ID, im, editor(a), s.Now())
		return err
	})
	if err != nil {
		return err
	}
	if ps != nil {
		d, err := s.pageForm(r, ss, p, site.Language(w, r))
		if err != nil {
			return err
		}
		d.ImageProblems.list, d.Alt, d.Decorative = ps, up.alt, up.decorative
		return s.staffRender(w, r, a, http.StatusUnprocessableEntity, "site_page", "site.page.title", d)
	}
	http.Redirect(w, r, fmt.Sprintf("%s/sidor/%d?bild=%d#bilder", ss.Base, p.ID, im.ID), http.StatusSeeOther)
	return nil
}

// DeleteImage is POST /forbund/{slug}/webb/sidor/{pageID}/bilder/{imageID}/ta-bort:
// removes one of the site's images; pages that still place it show its
// alt text.
func (s *Handlers) DeleteImage(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ss, id, err := s.staffFormItem(w, r, a, "pageID")
	if err != nil {
		return err
	}
	imageID, ok := site.PathID(r, "imageID")
	if !ok {
		return site.NotFound()
	}
	if _, err := store.PageByID(r.Context(), s.Store, ss.Org.ID, id); err != nil {
		return err
	}
	err = s.Store.Tx(r.Context(), func(tx *store.Tx) error { return store.DeleteSiteImage(r.Context(), tx, ss.Org.ID, imageID) })
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("%s/sidor/%d?bort=1#bilder", ss.Base, id), http.StatusSeeOther)
	return nil
}
