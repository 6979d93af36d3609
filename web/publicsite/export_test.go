package publicsite

import "github.com/finsam/finsam/website"

// KeepResults turns the keeping of search results on and off, for the
// load test's measure of an uncached search.
func KeepResults(on bool) { keepResults = on }

// MarkdownWithImages renders src with the images of a set (ImageSet).
var MarkdownWithImages = markdownWith

// ImageSet is an imageSet for tests.
func ImageSet(base string, ims ...website.Image) *imageSet {
	set := &imageSet{base: base, byID: map[int64]website.Image{}}
	for _, im := range ims {
		set.byID[im.ID] = im
	}
	return set
}
