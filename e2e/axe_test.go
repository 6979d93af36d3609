package e2e

import (
	"context"
	"strconv"
	"testing"

	bt "github.com/finsam/finsam/internal/browsertest"
)

// assertAccessibleSVGText is bt.AssertAccessible for pages with server-drawn
// SVG pictures. axe-core cannot compute the background of text inside SVG
// and reports such labels as undecided for color-contrast; those inside an
// svg of class svgClass, and only those, are accepted with the reason why
// (their contrast is checked elsewhere, by a test the reason names).
func assertAccessibleSVGText(t *testing.T, ctx context.Context, svgClass, why string) {
	t.Helper()
	assertAccessibleSVGTextIn(t, ctx, "svg."+svgClass, why)
}

// assertAccessibleSVGTextIn is assertAccessibleSVGText for the SVG
// pictures a CSS selector finds, for a test that visits pages of every kind.
func assertAccessibleSVGTextIn(t *testing.T, ctx context.Context, svgSelector, why string) {
	t.Helper()
	bt.AssertAccessibleReviewingContrast(t, ctx, func(target string) string {
		inPicture := bt.Eval[bool](t, ctx, `(() => {
			const el = document.querySelector(`+strconv.Quote(target)+`);
			return !!el && el.tagName.toLowerCase() === 'text' && !!el.closest(`+strconv.Quote(svgSelector)+`);
		})()`)
		if inPicture {
			return why
		}
		return ""
	})
}
