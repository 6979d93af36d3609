package svgtest

import (
	"math"
	"testing"
)

func TestContrastOfKnownColours(t *testing.T) {
	if r := Contrast("#000000", "#ffffff"); math.Abs(r-21) > 0.01 {
		t.Errorf("black on white %.2f, want 21", r)
	}
	if r := Contrast("#767676", "#ffffff"); math.Abs(r-4.54) > 0.01 {
		t.Errorf("#767676 on white %.2f, want 4.54", r)
	}
}

func TestShapesReadTextAndRects(t *testing.T) {
	texts, rects := Shapes(`<svg><rect x="1" y="2" width="3" height="4" fill="#000"/><text x="5" y="6" fill="#fff">a<tspan>b</tspan></text></svg>`)
	if len(rects) != 1 || rects[0].W != 3 || len(texts) != 1 || texts[0].S != "ab" || texts[0].X != 5 {
		t.Fatalf("%+v %+v", texts, rects)
	}
}

func TestBackgroundIsTheTopmostRectUnderTheText(t *testing.T) {
	rects := []Rect{{X: 0, Y: 0, W: 100, H: 20, Fill: "#111111"}, {X: 50, Y: 0, W: 50, H: 20, Fill: "#222222"}}
	for _, tc := range []struct {
		tx   Text
		want string
	}{
		{Text{X: 10, Y: 14}, "#111111"},
		{Text{X: 60, Y: 14}, "#222222"},
		{Text{X: 60, Y: 40}, "#ffffff"},
		{Text{X: 110, Y: 14}, "#ffffff"},
	} {
		if got := Background(tc.tx, rects); got != tc.want {
			t.Errorf("text at %v,%v: %s, want %s", tc.tx.X, tc.tx.Y, got, tc.want)
		}
	}
}

func TestWellFormed(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{`<svg><title>a &amp; b</title><line x1="0"/></svg>`, true},
		{`<svg><title>a & b</title></svg>`, false},
		{`<svg><g></svg>`, false},
	} {
		if err := WellFormed(tc.in); (err == nil) != tc.ok {
			t.Errorf("%s: %v, want ok %v", tc.in, err, tc.ok)
		}
	}
}
