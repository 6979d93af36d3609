package publicsite_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/webtest"
	"github.com/finsam/finsam/web/publicsite"
	"github.com/finsam/finsam/website"
)

const staffBase = "/forbund/" + demo.OperatorOrg + "/webb"

// picture is a synthetic w × h image encoded as format (png or jpeg).
func picture(t *testing.T, format string, w, h int) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var buf bytes.Buffer
	var err error
	if format == "jpeg" {
		err = jpeg.Encode(&buf, m, nil)
	} else {
		err = png.Encode(&buf, m)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withExif is a JPEG with an APP1 (Exif) segment holding a GPS-like
// marker string right after its start of image.
func withExif(jpg []byte, marker string) []byte {
	payload := append([]byte("Exif\x00\x00"), marker...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

// bomb is a valid PNG header that claims w × h pixels (its IHDR with a
// correct checksum) and no picture: what a decompression bomb shows
// before it is decoded.
func bomb(t *testing.T, w, h uint32) []byte {
	b := picture(t, "png", 1, 1)
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// upload is the multipart body of the upload form.
func upload(t *testing.T, filename, contentType string, data []byte, fields map[string]string) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	h := make(map[string][]string)
	h["Content-Disposition"] = []string{fmt.Sprintf(`form-data; name="image"; filename=%q`, filename)}
	h["Content-Type"] = []string{contentType}
	fw, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return buf.String(), mw.FormDataContentType()
}

func demoPage(t *testing.T, st *store.Store, slug string) website.Page {
	t.Helper()
	p, err := store.PageBySlug(context.Background(), st, assocID(t, st), website.KindPage, slug)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func siteVersion(t *testing.T, st *store.Store, now time.Time) int64 {
	t.Helper()
	c, err := store.SiteContentState(context.Background(), st, demo.OperatorOrg, now)
	if err != nil {
		t.Fatal(err)
	}
	return c.Version
}

var imgTag = regexp.MustCompile(`<img src="(/f/[a-z0-9-]+/bilder/[0-9]+-[0-9a-f]{16}\.(?:jpg|png))" alt="([^"]*)"`)

// TestStaffPlaceAnUploadedImageOnAPageAndVisitorsSeeItWithItsAlt: the
// editor uploads a photo with alt text from a page's edit form, pastes the
// code the form gives into the text and saves; the kept public page shows
// the image with its alt at once, with og:image, and the image's address
// answers with the bytes, cacheable for a year, without cookies. The
// camera's metadata is gone.
func TestStaffPlaceAnUploadedImageOnAPageAndVisitorsSeeItWithItsAlt(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := demoSite(t, st)
		staff := s.SignedIn(t, "forbund")
		p := demoPage(t, st, "finsam-pa-gotland")
		if rec := s.Do("GET", base+"/sida/finsam-pa-gotland", nil); rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "<img") {
			t.Fatalf("the page before: %d", rec.Code)
		}
		before := siteVersion(t, st, s.Clock.Now())
		photo := withExif(picture(t, "jpeg", 2400, 1200), "GPSLatitude 57.6348 N")
		body, ct := upload(t, "semester.jpg", "image/jpeg", photo, map[string]string{"alt": "Deltagare i trädgården på Roma"})
		rec := staff.DoBody("POST", fmt.Sprintf("%s/sidor/%d/bilder", staffBase, p.ID), body, ct)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("upload: %d %s", rec.Code, rec.Body)
		}
		if got := siteVersion(t, st, s.Clock.Now()); got != before+1 {
			t.Errorf("content version after the upload = %d, want %d", got, before+1)
		}
		form := staff.Do("GET", rec.Header().Get("Location"), nil).Body.String()
		code := regexp.MustCompile(`!\[Deltagare i trädgården på Roma\]\(bild:[0-9]+\)`).FindString(form)
		if code == "" {
			t.Fatal("the edit form does not give the image's code")
		}
		save := url.Values{"kind": {"page"}, "title": {p.Title}, "slug": {p.Slug}, "summary": {p.Summary}, "body": {p.Body + "\n\n" + code},
			"easy_body": {p.EasyBody}, "menu_order": {fmt.Sprint(p.MenuOrder)}, "version": {fmt.Sprint(p.Version)},
			"publish_at": {p.PublishAt.In(site.Stockholm).Format("2006-01-02T15:04")}}
		if rec := staff.Do("POST", fmt.Sprintf("%s/sidor/%d", staffBase, p.ID), save); rec.Code != http.StatusSeeOther {
			t.Fatalf("save: %d", rec.Code)
		}
		page := s.Do("GET", base+"/sida/finsam-pa-gotland", nil).Body.String()
		m := imgTag.FindStringSubmatch(page)
		if m == nil || m[2] != "Deltagare i trädgården på Roma" {
			t.Fatalf("the page does not show the image with its alt: %v", m)
		}
		if !strings.Contains(page, `<meta property="og:image" content="http://example.com`+m[1]+`">`) {
			t.Error("no og:image for the page's image")
		}
		img := s.Do("GET", m[1], nil)
		if img.Code != http.StatusOK || img.Header().Get("Content-Type") != "image/jpeg" || img.Header().Get("Set-Cookie") != "" ||
			img.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" || img.Header().Get("ETag") == "" {
			t.Fatalf("the image: %d %v", img.Code, img.Header())
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(img.Body.Bytes()))
		if err != nil || format != "jpeg" || cfg.Width != website.ImageWidth || cfg.Height != 800 {
			t.Errorf("served image: %s %dx%d %v; want jpeg %dx800", format, cfg.Width, cfg.Height, err, website.ImageWidth)
		}
		if bytes.Contains(img.Body.Bytes(), []byte("GPSLatitude")) || bytes.Contains(img.Body.Bytes(), []byte("Exif")) {
			t.Error("the served image keeps the camera's metadata")
		}
		if again := s.Do("GET", m[1], nil, "If-None-Match", img.Header().Get("ETag")); again.Code != http.StatusNotModified {
			t.Errorf("a revisit with the ETag: %d, want 304", again.Code)
		}
		small := strings.Replace(m[1], ".jpg", "-liten.jpg", 1)
		if rec := s.Do("GET", small, nil); rec.Code != http.StatusOK || !strings.Contains(page, small+" 480w") {
			t.Errorf("the small version: %d, in srcset %v", rec.Code, strings.Contains(page, small))
		}
		wrong := regexp.MustCompile(`-[0-9a-f]{16}\.`).ReplaceAllString(m[1], "-0000000000000000.")
		if rec := s.Do("GET", wrong, nil); rec.Code != http.StatusNotFound {
			t.Errorf("another hash: %d, want 404", rec.Code)
		}
	})
}

// TestTheUploadRefusesWhatIsNoImageOrTooLargeAndWritesNothing: a page, a
// script or an SVG named .png and sent as image/png, a file over 8 MB, a
// picture that claims too many pixels and an image without alt text are
// each refused with a Swedish message at the field; nothing is stored and
// the content version stays.
func TestTheUploadRefusesWhatIsNoImageOrTooLargeAndWritesNothing(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := demoSite(t, st)
		staff := s.SignedIn(t, "forbund")
		p := demoPage(t, st, "finsam-pa-gotland")
		path := fmt.Sprintf("%s/sidor/%d/bilder", staffBase, p.ID)
		before := siteVersion(t, st, s.Clock.Now())
		stored := s.Count(t, "SELECT count(*) FROM site_images")
		huge := append(picture(t, "png", 10, 10), bytes.Repeat([]byte{0}, website.MaxImageBytes)...)
		alt := map[string]string{"alt": "En bild"}
		for _, c := range []struct {
			name   string
			data   []byte
			fields map[string]string
			want   string
		}{
			{"html.png", []byte("<!doctype html><html><body><script>alert(1)</script></body></html>"), alt, "Filen är ingen bild i formatet JPEG, PNG eller GIF"},
			{"bild.png", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>`), alt, "Filen är ingen bild i formatet JPEG, PNG eller GIF"},
			{"skript.png", []byte("alert(document.cookie)"), alt, "Filen är ingen bild i formatet JPEG, PNG eller GIF"},
			{"stor.png", huge, alt, "Bilden är för stor, högst 8 MB"},
			{"bomb.png", bomb(t, 50000, 50000), alt, "Bilden har för många bildpunkter"},
			{"utan-alt.png", picture(t, "png", 20, 20), nil, "Beskriv vad bilden visar, eller markera att den bara är dekorativ"},
		} {
			body, ct := upload(t, c.name, "image/png", c.data, c.fields)
			rec := staff.DoBody("POST", path, body, ct)
			page := rec.Body.String()
			if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(page, c.want) || !strings.Contains(page, `aria-invalid="true"`) {
				t.Errorf("%s: %d, message %q shown: %v", c.name, rec.Code, c.want, strings.Contains(page, c.want))
			}
			if strings.Contains(page, "image_") || strings.Contains(page, "alt_required") {
				t.Errorf("%s: the page shows a raw code", c.name)
			}
		}
		if n := s.Count(t, "SELECT count(*) FROM site_images"); n != stored {
			t.Errorf("%d images stored", n-stored)
		}
		if got := siteVersion(t, st, s.Clock.Now()); got != before {
			t.Errorf("content version %d after refused uploads, want %d", got, before)
		}
		// A decorative image needs no alt text.
		body, ct := upload(t, "linje.png", "image/png", picture(t, "png", 20, 20), map[string]string{"decorative": "on"})
		if rec := staff.DoBody("POST", path, body, ct); rec.Code != http.StatusSeeOther {
			t.Errorf("a decorative image: %d", rec.Code)
		}
		// A body that is no multipart form is a bad request, not a crash.
		if rec := staff.DoBody("POST", path, "image=x", "application/x-www-form-urlencoded"); rec.Code != http.StatusBadRequest {
			t.Errorf("a urlencoded upload: %d, want 400", rec.Code)
		}
		if rec := staff.DoBody("POST", path, "--x\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\ntrunc", "multipart/form-data; boundary=x"); rec.Code != http.StatusBadRequest {
			t.Errorf("a truncated multipart body: %d, want 400", rec.Code)
		}
	})
}

// TestMarkdownShowsOnlyTheSitesOwnImages: bild:ID of the site's image
// becomes its address with the editor's or the image's alt text; any
// other image (another server's, another site's address, an unknown id,
// raw HTML) shows as its alt text, so a visitor's browser never fetches
// from elsewhere.
func TestMarkdownShowsOnlyTheSitesOwnImages(t *testing.T) {
	own := website.Image{ID: 7, Alt: "Karta över Gotland", ContentType: "image/png", Hash: "0123456789abcdef", Width: 800, Height: 600, SmallWidth: 480, SmallHeight: 360}
	deco := website.Image{ID: 8, Decorative: true, ContentType: "image/jpeg", Hash: "fedcba9876543210", Width: 10, Height: 10, SmallWidth: 10, SmallHeight: 10}
	set := publicsite.ImageSet("/f/finsam-gotland", own, deco)
	for _, c := range []struct {
		src       string
		want      []string
		wantNoImg bool
	}{
		{"![](bild:7)", []string{`<img src="/f/finsam-gotland/bilder/7-0123456789abcdef.png" alt="Karta över Gotland"`, `width="800"`, `height="600"`}, false},
		{"![Visby på kartan](bild:7)", []string{`alt="Visby på kartan"`}, false},
		{"![ska inte synas](bild:8)", []string{`<img src="/f/finsam-gotland/bilder/8-fedcba9876543210.jpg" alt=""`}, false},
		{"![Spårpixel](https://evil.example/p.png)", []string{"Spårpixel"}, true},
		{"![Annan](/f/annat-forbund/bilder/7-0123456789abcdef.png)", []string{"Annan"}, true},
		{"![Okänd](bild:99)", []string{"Okänd"}, true},
		{`<img src="https://evil.example/p.png" onerror="alert(1)">`, nil, true},
		{`![x](javascript:alert(1))`, []string{"x"}, true},
	} {
		got := string(publicsite.MarkdownWithImages(c.src, set))
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %s lacks %s", c.src, got, w)
			}
		}
		if c.wantNoImg && strings.Contains(got, "<img") {
			t.Errorf("%s: %s has an image", c.src, got)
		}
	}
	if got := string(publicsite.Markdown("![Karta](bild:7)")); strings.Contains(got, "<img") {
		t.Errorf("text without the site's images shows one: %s", got)
	}
}

// TestAPageLeavesTheSiteAtItsUnpublishingTimeThoughPagesAreKept: the
// editor sets when a news item is unpublished (not before it is
// published: a Swedish message, nothing written); the kept news list,
// the item, the feeds and the sitemap drop it at that time.
func TestAPageLeavesTheSiteAtItsUnpublishingTimeThoughPagesAreKept(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := demoSite(t, st)
		staff := s.SignedIn(t, "forbund")
		now := s.Clock.Now()
		local := func(t time.Time) string { return t.In(site.Stockholm).Format("2006-01-02T15:04") }
		form := url.Values{"kind": {"news"}, "title": {"Tillfällig nyhet"}, "slug": {"tillfallig"}, "body": {"Gäller till i eftermiddag."},
			"publish_at": {local(now.Add(-time.Hour))}, "unpublish_at": {local(now.Add(-2 * time.Hour))}}
		rec := staff.Do("POST", staffBase+"/sidor/ny", form)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Avpubliceringen måste vara efter publiceringen") {
			t.Fatalf("unpublishing before publishing: %d", rec.Code)
		}
		if n := s.Count(t, "SELECT count(*) FROM site_pages WHERE slug = 'tillfallig'"); n != 0 {
			t.Fatal("a refused page was written")
		}
		form.Set("unpublish_at", local(now.Add(2*time.Hour)))
		if rec := staff.Do("POST", staffBase+"/sidor/ny", form); rec.Code != http.StatusSeeOther {
			t.Fatalf("save: %d", rec.Code)
		}
		for _, path := range []string{"/nyheter", "/nyheter.xml", "/nyheter.atom", "/sitemap.xml"} {
			if body := s.Do("GET", base+path, nil).Body.String(); !strings.Contains(body, "tillfallig") {
				t.Errorf("%s lacks the news item before its unpublishing", path)
			}
		}
		if rec := s.Do("GET", base+"/nyheter/tillfallig", nil); rec.Code != http.StatusOK {
			t.Fatalf("the news item: %d", rec.Code)
		}
		s.Clock.Add(2*time.Hour + time.Minute)
		for _, path := range []string{"/nyheter", "/nyheter.xml", "/nyheter.atom", "/sitemap.xml", "/"} {
			if body := s.Do("GET", base+path, nil).Body.String(); strings.Contains(body, "tillfallig") {
				t.Errorf("%s still has the news item after its unpublishing", path)
			}
		}
		if rec := s.Do("GET", base+"/nyheter/tillfallig", nil); rec.Code != http.StatusNotFound {
			t.Errorf("the news item after its unpublishing: %d, want 404", rec.Code)
		}
		if body := s.Do("GET", base+"/sok?q=tillf%C3%A4llig", nil).Body.String(); strings.Contains(body, "/nyheter/tillfallig") {
			t.Error("search finds the news item after its unpublishing")
		}
	})
}

// TestDemoPagesShowTheirDrawnImages: the demo's Almedalen page and a news
// item show the images drawn for them, with alt text, and the page names
// its image for Open Graph.
func TestDemoPagesShowTheirDrawnImages(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := demoSite(t, st)
		for _, path := range []string{"/sida/almedalen", "/nyheter/rekordmanga-pa-finsamdagen"} {
			page := s.Do("GET", base+path, nil).Body.String()
			m := imgTag.FindStringSubmatch(page)
			if m == nil || !strings.HasPrefix(m[2], "Tecknad") {
				t.Errorf("%s: no drawn image with alt text", path)
				continue
			}
			if !strings.Contains(page, `property="og:image"`) {
				t.Errorf("%s: no og:image", path)
			}
			if rec := s.Do("GET", m[1], nil); rec.Code != http.StatusOK || rec.Body.Len() < 1000 {
				t.Errorf("%s: the image answers %d with %d bytes", path, rec.Code, rec.Body.Len())
			}
		}
	})
}
