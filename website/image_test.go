package website

import (
	"bytes"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"
	"time"
)

func encoded(t testing.TB, format string, w, h int) []byte {
	t.Helper()
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.Set(x, y, color.NRGBA{uint8(x * 7), uint8(y * 3), uint8(x + y), uint8(128 + x%128)})
		}
	}
	var buf bytes.Buffer
	var err error
	switch format {
	case "jpeg":
		err = jpeg.Encode(&buf, m, nil)
	case "gif":
		err = gif.Encode(&buf, m, nil)
	default:
		err = png.Encode(&buf, m)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func problemOf(err error) Problem {
	var ps Problems
	if !errors.As(err, &ps) || len(ps) == 0 {
		return Problem{}
	}
	return ps[0]
}

func TestPrepareImageScalesAndReencodesByContent(t *testing.T) {
	for _, c := range []struct {
		format        string
		w, h          int
		wantType      string
		wantW, wantH  int
		wantSW, wantS int
	}{
		{"jpeg", 3200, 1600, "image/jpeg", 1600, 800, 480, 240},
		{"png", 2000, 1000, "image/png", 1600, 800, 480, 240},
		{"gif", 300, 200, "image/png", 300, 200, 300, 200}, // not scaled up
	} {
		im, err := PrepareImage(encoded(t, c.format, c.w, c.h), "  Ett diagram  ", false)
		if err != nil {
			t.Fatalf("%s: %v", c.format, err)
		}
		if im.ContentType != c.wantType || im.Width != c.wantW || im.Height != c.wantH || im.SmallWidth != c.wantSW || im.SmallHeight != c.wantS {
			t.Errorf("%s: %s %dx%d small %dx%d", c.format, im.ContentType, im.Width, im.Height, im.SmallWidth, im.SmallHeight)
		}
		if im.Alt != "Ett diagram" || len(im.Hash) != 16 {
			t.Errorf("%s: alt %q hash %q", c.format, im.Alt, im.Hash)
		}
		for _, data := range [][]byte{im.Data, im.SmallData} {
			_, format, err := image.DecodeConfig(bytes.NewReader(data))
			if err != nil || "image/"+format != im.ContentType {
				t.Errorf("%s: stored bytes are %s (%v), not %s", c.format, format, err, im.ContentType)
			}
		}
	}
}

func TestPrepareImageRefusesBeforeDecoding(t *testing.T) {
	for _, c := range []struct {
		name       string
		data       []byte
		alt        string
		decorative bool
		want       Problem
	}{
		{"html", []byte("<html><script>alert(1)</script></html>"), "x", false, Problem{Field: "image", Code: CodeImageType}},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), "x", false, Problem{Field: "image", Code: CodeImageType}},
		{"empty", nil, "x", false, Problem{Field: "image", Code: CodeRequired}},
		{"too many bytes", make([]byte, MaxImageBytes+1), "x", false, Problem{Field: "image", Code: CodeImageBytes}},
		{"no alt", encoded(t, "png", 4, 4), " ", false, Problem{Field: "alt", Code: CodeAltRequired}},
		{"alt too long", encoded(t, "png", 4, 4), string(bytes.Repeat([]byte("å"), MaxAlt+1)), false, Problem{Field: "alt", Code: CodeTooLong}},
		{"alt not utf-8", encoded(t, "png", 4, 4), "\xff", false, Problem{Field: "alt", Code: CodeInvalid}},
	} {
		_, err := PrepareImage(c.data, c.alt, c.decorative)
		if got := problemOf(err); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	// A header that claims 20000 × 20000 pixels is refused at once: the
	// pixels are never allocated.
	b := encoded(t, "png", 1, 1)
	bomb := append([]byte{}, b...)
	copy(bomb[16:24], []byte{0, 0, 0x4e, 0x20, 0, 0, 0x4e, 0x20})
	crc := crcIEEE(bomb[12:29])
	bomb[29], bomb[30], bomb[31], bomb[32] = byte(crc>>24), byte(crc>>16), byte(crc>>8), byte(crc)
	_, err := PrepareImage(bomb, "x", false)
	if got := problemOf(err); got != (Problem{Field: "image", Code: CodeImagePixels}) {
		t.Errorf("bomb: %v", err)
	}
	// Decorative: no alt needed, and any alt given is dropped.
	im, err := PrepareImage(encoded(t, "png", 4, 4), "ignoreras", true)
	if err != nil || im.Alt != "" || !im.Decorative {
		t.Errorf("decorative: %+v %v", im.Alt, err)
	}
}

func TestPageUnpublishingMustFollowPublishing(t *testing.T) {
	at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		until *time.Time
		ok    bool
	}{{nil, true}, {ptrTime(at.Add(time.Hour)), true}, {ptrTime(at), false}, {ptrTime(at.Add(-time.Hour)), false}} {
		p := Page{Kind: KindNews, Title: "Nyhet", PublishAt: &at, UnpublishAt: c.until}
		err := p.Validate()
		if (err == nil) != c.ok || !c.ok && problemOf(err) != (Problem{Field: "unpublish_at", Code: CodeUnpublishOrder}) {
			t.Errorf("unpublish %v: %v", c.until, err)
		}
		if c.ok && c.until != nil && (p.Published(*c.until) || !p.Published(c.until.Add(-time.Second))) {
			t.Errorf("unpublish %v: Published is wrong around the time", c.until)
		}
	}
}

func ptrTime(t time.Time) *time.Time { return &t }

// BenchmarkPrepareImage measures a 12-megapixel photo's upload work
// beside the baseline of decoding it alone.
func BenchmarkPrepareImage(b *testing.B) {
	photo := encoded(b, "jpeg", 4000, 3000)
	b.Run("decode-only", func(b *testing.B) {
		for b.Loop() {
			if _, err := jpeg.Decode(bytes.NewReader(photo)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("prepare", func(b *testing.B) {
		for b.Loop() {
			if _, err := PrepareImage(photo, "Foto", false); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func crcIEEE(b []byte) uint32 { return crc32.ChecksumIEEE(b) }
