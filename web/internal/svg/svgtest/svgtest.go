// Package svgtest reads the shapes of a drawn SVG picture and computes
// colour contrast, for the tests of the pictures the pages draw.
package svgtest

import (
	"encoding/xml"
	"io"
	"math"
	"strconv"
	"strings"
)

// Text is a text element: its position, fill and words.
type Text struct {
	X, Y    float64
	Fill, S string
}

// Rect is a rect element.
type Rect struct {
	X, Y, W, H float64
	Fill       string
}

// Shapes are the text and rect elements of svg, in order.
func Shapes(svg string) (texts []Text, rects []Rect) {
	d := xml.NewDecoder(strings.NewReader(svg))
	var cur *Text
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch el := tok.(type) {
		case xml.StartElement:
			a := map[string]string{}
			for _, at := range el.Attr {
				a[at.Name.Local] = at.Value
			}
			f := func(k string) float64 { v, _ := strconv.ParseFloat(a[k], 64); return v }
			switch el.Name.Local {
			case "rect":
				rects = append(rects, Rect{f("x"), f("y"), f("width"), f("height"), a["fill"]})
			case "text":
				texts = append(texts, Text{X: f("x"), Y: f("y"), Fill: a["fill"]})
				cur = &texts[len(texts)-1]
			}
		case xml.CharData:
			if cur != nil {
				cur.S += string(el)
			}
		case xml.EndElement:
			cur = nil
		}
	}
	return texts, rects
}

// Background is the fill behind the text tx: that of the last of rects
// (later shapes are drawn on top) holding the point 4 units above the
// text's baseline, among its glyphs; white, the page's, when none does.
func Background(tx Text, rects []Rect) string {
	bg := "#ffffff"
	for _, r := range rects {
		if tx.X >= r.X && tx.X <= r.X+r.W && tx.Y-4 >= r.Y && tx.Y-4 <= r.Y+r.H {
			bg = r.Fill
		}
	}
	return bg
}

// Contrast is the WCAG 2 contrast ratio of two #rrggbb colours.
func Contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(hex string) float64 {
	hex = strings.TrimPrefix(hex, "#")
	if len(hex) != 6 {
		return math.NaN()
	}
	var c [3]float64
	for i := range c {
		v, _ := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		s := float64(v) / 255
		if s <= 0.03928 {
			c[i] = s / 12.92
		} else {
			c[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}

// WellFormed reports the first place where s is not well-formed XML: a
// picture drawn into a page must be, or browsers show nothing of it.
func WellFormed(s string) error {
	d := xml.NewDecoder(strings.NewReader(s))
	for {
		if _, err := d.Token(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}
