package web

import (
	"encoding/xml"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/rules/rulestest"
	"github.com/finsam/finsam/web/internal/rulesview"
)

// TestTimelineTextHasContrast checks what axe-core cannot: the contrast of
// every text in the timeline picture against what lies under it (axe does
// not compute backgrounds inside SVG and reports such text as undecided).
// The browser test accepts those reports by pointing here.
func TestTimelineTextHasContrast(t *testing.T) {
	e, err := rules.New()
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range rulestest.GoldenCases(t) {
		in, err := rules.ParseInput(c[0])
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.Evaluate(in, rules.Options{Trace: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"sv", "en"} {
			svg := string(rulesview.TimelineSVG(rulesview.BuildTimeline(e, in, res), lang, "t"))
			texts, rects := svgShapes(t, svg)
			if len(texts) < 5 {
				t.Fatalf("%s: only %d texts in the picture", name, len(texts))
			}
			for _, tx := range texts {
				bg := "#ffffff"
				for _, r := range rects { // later shapes are drawn on top
					if tx.x >= r.x && tx.x <= r.x+r.w && tx.y-4 >= r.y && tx.y-4 <= r.y+r.h {
						bg = r.fill
					}
				}
				if ratio := contrast(tx.fill, bg); ratio < 4.5 {
					t.Errorf("%s: text %q in %s on %s has contrast %.2f, want at least 4.5", name, tx.s, tx.fill, bg, ratio)
				}
			}
		}
	}
}

type svgText struct {
	x, y    float64
	fill, s string
}

type svgRect struct {
	x, y, w, h float64
	fill       string
}

func svgShapes(t *testing.T, svg string) (texts []svgText, rects []svgRect) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	var cur *svgText
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
				rects = append(rects, svgRect{f("x"), f("y"), f("width"), f("height"), a["fill"]})
			case "text":
				texts = append(texts, svgText{x: f("x"), y: f("y"), fill: a["fill"]})
				cur = &texts[len(texts)-1]
			}
		case xml.CharData:
			if cur != nil {
				cur.s += string(el)
			}
		case xml.EndElement:
			cur = nil
		}
	}
	return texts, rects
}

// contrast is the WCAG 2 contrast ratio of two #rrggbb colours.
func contrast(a, b string) float64 {
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

func TestContrastOfKnownColours(t *testing.T) {
	if r := contrast("#000000", "#ffffff"); math.Abs(r-21) > 0.01 {
		t.Errorf("black on white %.2f, want 21", r)
	}
	if r := contrast("#767676", "#ffffff"); math.Abs(r-4.54) > 0.01 {
		t.Errorf("#767676 on white %.2f, want 4.54", r)
	}
}

func TestSVGWriterEscapes(t *testing.T) {
	w := &svgWriter{}
	w.Open("svg", "aria-label", `a "quoted" <label> & more`)
	w.Text(`<script>alert(1)</script>`, "x", "1")
	w.Close("svg")
	got := string(w.HTML())
	if strings.Contains(got, "<script") || !strings.Contains(got, "&lt;script&gt;") || !strings.Contains(got, "&#34;quoted&#34;") {
		t.Errorf("not escaped: %s", got)
	}
	if err := wellFormedXML(got); err != nil {
		t.Error(err)
	}
}

func wellFormedXML(s string) error {
	d := xml.NewDecoder(strings.NewReader(s))
	for {
		if _, err := d.Token(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}
