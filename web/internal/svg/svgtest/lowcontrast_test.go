package svgtest

import (
	"slices"
	"testing"
)

func TestLowContrastNamesTheUnreadableTexts(t *testing.T) {
	texts, rects := Shapes(`<svg><rect x="0" y="0" width="100" height="20" fill="#000000"/>` +
		`<text x="10" y="14" fill="#ffffff">light</text><text x="60" y="14" fill="#222222">dark</text>` +
		`<text x="10" y="40" fill="#767676">grey</text></svg>`)
	want := []string{`text "dark" in #222222 on #000000 has contrast 1.32, want at least 4.5`}
	if got := LowContrast(texts, rects, 4.5); !slices.Equal(got, want) {
		t.Errorf("at 4.5: %q, want %q", got, want)
	}
	// #767676 on the page's white is 4.54:1, under a stricter bound.
	if got := LowContrast(texts, rects, 7); len(got) != 2 || got[1] != `text "grey" in #767676 on #ffffff has contrast 4.54, want at least 7` {
		t.Errorf("at 7: %q", got)
	}
}
