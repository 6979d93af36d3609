package website

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	xdraw "golang.org/x/image/draw"
)

// Images on the public site: staff upload one, the server checks what it
// is by its bytes, scales it down and encodes it anew (ADR 37).

// The limits of an uploaded image. MaxImagePixels is checked on the
// header alone, before a pixel is decoded: a small file can claim a huge
// picture (a decompression bomb), and decoding one allocates four bytes
// a pixel.
const (
	MaxImageBytes  = 8 << 20
	MaxImagePixels = 25_000_000 // a 6000 × 4000 camera picture fits
	MaxImageSide   = 12_000
	// ImageWidth is the widest a page shows an image; SmallImageWidth
	// is the version for lists and phones.
	ImageWidth      = 1600
	SmallImageWidth = 480
	MaxAlt          = 300
)

// The image problem codes.
const (
	CodeImageType   = "image_type"   // not JPEG, PNG or GIF by content
	CodeImageBytes  = "image_bytes"  // larger than MaxImageBytes
	CodeImagePixels = "image_pixels" // more pixels than MaxImagePixels
	CodeAltRequired = "alt_required" // no alt text and not marked decorative
)

// Image is an image of the site as stored: its description and the two
// encoded versions.
type Image struct {
	ID int64
	// Alt is the text alternative (WCAG 1.1.1); "" only when Decorative.
	Alt        string
	Decorative bool
	// ContentType is image/jpeg or image/png, for both versions.
	ContentType   string
	Width, Height int
	Data          []byte
	SmallWidth    int
	SmallHeight   int
	SmallData     []byte
	// Hash names the content in the image's address, which therefore
	// never serves other bytes and can be cached for good.
	Hash      string
	CreatedBy string
	Created   time.Time
}

// Ext is the file extension of the image's address.
func (im Image) Ext() string {
	if im.ContentType == "image/png" {
		return "png"
	}
	return "jpg"
}

// Markdown is what an editor writes into a page to show the image.
func (im Image) Markdown() string {
	alt := strings.NewReplacer("[", "", "]", "").Replace(im.Alt)
	return "![" + alt + "](bild:" + strconv.FormatInt(im.ID, 10) + ")"
}

// PrepareImage checks an upload and makes the image to store: the type
// by the bytes (JPEG, PNG or GIF; the file's name and the browser's
// Content-Type say nothing), the size in bytes and in pixels before
// decoding, the alt text; then it scales the picture to at most
// ImageWidth and SmallImageWidth wide and encodes both anew. Encoding
// anew keeps only pixels: EXIF and other metadata a camera or phone
// writes (GPS position, device, time) never reach the site. A GIF keeps
// its first frame only.
func PrepareImage(data []byte, alt string, decorative bool) (Image, error) {
	var ps Problems
	alt = strings.TrimSpace(alt)
	switch {
	case decorative:
		alt = ""
	case !utf8.ValidString(alt) || strings.ContainsRune(alt, 0):
		ps.Add("alt", CodeInvalid)
	case alt == "":
		ps.Add("alt", CodeAltRequired)
	case utf8.RuneCountInString(alt) > MaxAlt:
		ps.Add("alt", CodeTooLong)
	}
	im := Image{Alt: alt, Decorative: decorative}
	if len(data) == 0 {
		ps.Add("image", CodeRequired)
		return im, ps.Err()
	}
	if len(data) > MaxImageBytes {
		ps.Add("image", CodeImageBytes)
		return im, ps.Err()
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		ps.Add("image", CodeImageType)
		return im, ps.Err()
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxImageSide || cfg.Height > MaxImageSide ||
		int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
		ps.Add("image", CodeImagePixels)
		return im, ps.Err()
	}
	if len(ps) > 0 {
		return im, ps.Err()
	}
	var src image.Image
	switch format {
	case "jpeg":
		src, err = jpeg.Decode(bytes.NewReader(data))
	case "png":
		src, err = png.Decode(bytes.NewReader(data))
	case "gif":
		src, err = gif.Decode(bytes.NewReader(data))
	default:
		err = errUnknownFormat
	}
	if err != nil {
		ps.Add("image", CodeImageType)
		return im, ps.Err()
	}
	// A photograph stays a JPEG; a drawing or screenshot (PNG, GIF) a
	// PNG, which keeps its sharp edges and transparency.
	im.ContentType = "image/png"
	if format == "jpeg" {
		im.ContentType = "image/jpeg"
	}
	// The small version is scaled from the large one: a third of the
	// work of scaling the original twice, and no visible difference.
	large := scaleTo(src, ImageWidth)
	small := scaleTo(large, SmallImageWidth)
	if im.Data, err = encodeImage(large, im.ContentType); err != nil {
		return im, err
	}
	if im.SmallData, err = encodeImage(small, im.ContentType); err != nil {
		return im, err
	}
	im.Width, im.Height = large.Bounds().Dx(), large.Bounds().Dy()
	im.SmallWidth, im.SmallHeight = small.Bounds().Dx(), small.Bounds().Dy()
	sum := sha256.Sum256(im.Data)
	im.Hash = hex.EncodeToString(sum[:8])
	return im, nil
}

type formatError string

func (e formatError) Error() string { return string(e) }

const errUnknownFormat = formatError("unknown image format")

// scaleTo is src at most width pixels wide, its proportions kept, drawn
// onto a fresh canvas (also when it is narrow enough) so that every
// version is encoded from plain pixels.
func scaleTo(src image.Image, width int) image.Image {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > width {
		h = max(1, int(int64(h)*int64(width)/int64(w)))
		w = width
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	if w == b.Dx() {
		draw.Draw(dst, dst.Bounds(), src, b.Min, draw.Src)
		return dst
	}
	xdraw.CatmullRom.Scale(dst, dst.Bounds(), src, b, xdraw.Src, nil)
	return dst
}

func encodeImage(m image.Image, contentType string) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	if contentType == "image/jpeg" {
		// JPEG has no transparency: flatten onto white.
		flat := image.NewRGBA(m.Bounds())
		draw.Draw(flat, flat.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
		draw.Draw(flat, flat.Bounds(), m, m.Bounds().Min, draw.Over)
		err = jpeg.Encode(&buf, flat, &jpeg.Options{Quality: 85})
	} else {
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, m)
	}
	return buf.Bytes(), err
}
