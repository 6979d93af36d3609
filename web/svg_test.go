package web

import (
	"strings"
	"testing"

	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/rules/rulestest"
	"github.com/finsam/finsam/web/internal/rulesview"
	"github.com/finsam/finsam/web/internal/svg"
	"github.com/finsam/finsam/web/internal/svg/svgtest"
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
			pic := string(rulesview.TimelineSVG(rulesview.BuildTimeline(e, in, res), lang, "t"))
			texts, rects := svgtest.Shapes(pic)
			if len(texts) < 5 {
				t.Fatalf("%s: only %d texts in the picture", name, len(texts))
			}
			for _, low := range svgtest.LowContrast(texts, rects, 4.5) {
				t.Errorf("%s: %s", name, low)
			}
		}
	}
}

func TestSVGWriterEscapes(t *testing.T) {
	w := &svg.Writer{}
	w.Open("svg", "aria-label", `a "quoted" <label> & more`)
	w.Text(`<script>alert(1)</script>`, "x", "1")
	w.Close("svg")
	got := string(w.HTML())
	if strings.Contains(got, "<script") || !strings.Contains(got, "&lt;script&gt;") || !strings.Contains(got, "&#34;quoted&#34;") {
		t.Errorf("not escaped: %s", got)
	}
	if err := svgtest.WellFormed(got); err != nil {
		t.Error(err)
	}
}
