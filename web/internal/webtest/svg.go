package webtest

import (
	"encoding/xml"
	"math"
	"strconv"
	"strings"
	"testing"
)

// SVGText is a text of an SVG picture: where it stands, its colour and its
// words.
type SVGText struct {
	X, Y       float64
	Fill, Text string
}

// SVGRect is a filled rectangle of an SVG picture.
type SVGRect struct {
	X, Y, W, H float64
	Fill       string
}

// SVGShapes reads the texts and rectangles of an SVG picture, for tests of
// what lies under a text (axe-core cannot tell the background of SVG
// text).
func SVGShapes(t testing.TB, svg string) (texts []SVGText, rects []SVGRect) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	var cur *SVGText
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
				rects = append(rects, SVGRect{f("x"), f("y"), f("width"), f("height"), a["fill"]})
			case "text":
				texts = append(texts, SVGText{X: f("x"), Y: f("y"), Fill: a["fill"]})
				cur = &texts[len(texts)-1]
			}
		case xml.CharData:
			if cur != nil {
				cur.Text += string(el)
			}
		case xml.EndElement:
			cur = nil
		}
	}
	return texts, rects
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
