package demo

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"math"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/website"
)

// The demo site's images are drawn here, from shapes and colours: no
// photograph, nobody's work. They go through website.PrepareImage like an
// upload.

// drawCoast is a stylised coast: sky, sun, sea with waves, a green island
// with a limestone cliff (a raukar-like stack), 1200 × 675 pixels.
func drawCoast() image.Image {
	const w, h = 1200, 675
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	horizon := h * 55 / 100
	for y := range h {
		for x := range w {
			var c color.RGBA
			if y < horizon {
				// Sky: pale near the horizon.
				f := float64(y) / float64(horizon)
				c = color.RGBA{uint8(120 + 100*f), uint8(170 + 60*f), 235, 255}
			} else {
				// Sea, darker further out, with long waves.
				f := float64(y-horizon) / float64(h-horizon)
				wave := 12 * math.Sin(float64(x)/37+float64(y)/5)
				c = color.RGBA{uint8(20 + 30*f), uint8(80 + 50*f + wave), uint8(140 + 40*f), 255}
			}
			m.SetRGBA(x, y, c)
		}
	}
	// The sun.
	for y := 60; y < 200; y++ {
		for x := 880; x < 1020; x++ {
			if dx, dy := x-950, y-130; dx*dx+dy*dy < 60*60 {
				m.SetRGBA(x, y, color.RGBA{255, 214, 90, 255})
			}
		}
	}
	// The island: a low green hill over the horizon.
	for x := range w {
		top := horizon - int(70*math.Exp(-math.Pow(float64(x-420)/260, 2)))
		for y := top; y < horizon+8; y++ {
			m.SetRGBA(x, y, color.RGBA{70, 130, 60, 255})
		}
	}
	// A limestone stack in the sea.
	for y := horizon - 90; y < horizon+40; y++ {
		half := 22 + (y-(horizon-90))/8
		for x := 760 - half; x < 760+half; x++ {
			shade := uint8(190 + (x-760+half)%7*4)
			m.SetRGBA(x, y, color.RGBA{shade, shade, shade - 20, 255})
		}
	}
	return m
}

// drawGathering is people (circles and bodies in the parties' colours)
// around a table, for the news of Finsamdagen, 1200 × 675 pixels.
func drawGathering() image.Image {
	const w, h = 1200, 675
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.SetRGBA(x, y, color.RGBA{245, 240, 230, 255})
		}
	}
	fill := func(x0, y0, x1, y1 int, c color.RGBA) {
		for y := max(y0, 0); y < min(y1, h); y++ {
			for x := max(x0, 0); x < min(x1, w); x++ {
				m.SetRGBA(x, y, c)
			}
		}
	}
	disc := func(cx, cy, r int, c color.RGBA) {
		for y := cy - r; y <= cy+r; y++ {
			for x := cx - r; x <= cx+r; x++ {
				if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r && x >= 0 && y >= 0 && x < w && y < h {
					m.SetRGBA(x, y, c)
				}
			}
		}
	}
	colours := []color.RGBA{{0, 84, 147, 255}, {30, 120, 80, 255}, {180, 60, 50, 255}, {110, 70, 140, 255}, {210, 150, 40, 255}}
	skin := []color.RGBA{{241, 194, 160, 255}, {198, 134, 90, 255}, {141, 85, 54, 255}, {224, 172, 105, 255}}
	for i := range 10 {
		x := 120 + i*105
		fill(x-38, 330, x+38, 520, colours[i%len(colours)])
		disc(x, 280, 40, skin[i%len(skin)])
	}
	fill(60, 470, 1140, 520, color.RGBA{120, 85, 55, 255}) // the table
	fill(80, 520, 110, 640, color.RGBA{95, 65, 40, 255})
	fill(1090, 520, 1120, 640, color.RGBA{95, 65, 40, 255})
	return m
}

// siteImage stores a drawn image for the association's site.
func (w *webLoader) siteImage(ctx context.Context, m image.Image, alt string) (website.Image, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		return website.Image{}, err
	}
	im, err := website.PrepareImage(buf.Bytes(), alt, false)
	if err != nil {
		return im, err
	}
	return store.SaveSiteImage(ctx, w.tx, w.assoc, im, "Demo", w.now)
}
