package svgtest

import "fmt"

// LowContrast describes each of texts whose contrast against the shape
// under it (Background among rects) is below least, as "text … in … on …
// has contrast …, want at least …"; none when every text is readable.
func LowContrast(texts []Text, rects []Rect, least float64) []string {
	var low []string
	for _, tx := range texts {
		bg := Background(tx, rects)
		if ratio := Contrast(tx.Fill, bg); ratio < least {
			low = append(low, fmt.Sprintf("text %q in %s on %s has contrast %.2f, want at least %g", tx.S, tx.Fill, bg, ratio, least))
		}
	}
	return low
}
