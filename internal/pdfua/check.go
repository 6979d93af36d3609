// Package pdfua checks the parts of PDF/UA-1 (ISO 14289-1) that a program
// can decide from a PDF's structure, for tests where veraPDF (a Java
// program) cannot be installed. It reads the PDFs that finsam's renderers
// write: classic cross-reference tables or streams, objects outside
// object streams.
//
// It checks: the catalog marks the document as tagged (/MarkInfo
// <</Marked true>>), names its language (/Lang) and tells viewers to show
// the title (/ViewerPreferences <</DisplayDocTitle true>>); the document
// information has a /Title; a /StructTreeRoot exists, every structure
// element's type is a standard type or role-mapped to one, headings do not
// skip a level and the first is H1, every Table has TR rows and at least
// one TH, every Figure has alternative text (/Alt or /ActualText), and
// every page that has content belongs to the tree (/StructParents).
//
// It does not check what only veraPDF or a person can: that all content is
// tagged or marked as an artifact, the XMP metadata (dc:title, the PDF/UA
// identification pdfuaid:part), that fonts are embedded and map to Unicode,
// table header associations (/Headers, /Scope), the reading order, and
// whether the alternative texts say the right thing.
package pdfua

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Result is what Check found.
type Result struct {
	// Problems are the requirements the PDF does not meet, in words.
	Problems []string
	// Lang and Title are the document's language and title.
	Lang, Title string
	// Types counts the structure elements by standard type.
	Types map[string]int
	// Alts are the figures' alternative texts in document order.
	Alts []string
}

// standard are the standard structure types of PDF 1.7 (ISO 32000-1,
// 14.8.4).
var standard = strings.Fields(`Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private
	P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot
	Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP
	Figure Formula Form`)

// Check reads a PDF and reports what it lacks of PDF/UA's structure.
func Check(pdf []byte) (Result, error) {
	d, err := read(pdf)
	if err != nil {
		return Result{}, err
	}
	res := Result{Types: map[string]int{}}
	problem := func(format string, args ...any) { res.Problems = append(res.Problems, fmt.Sprintf(format, args...)) }
	cat := d.dict(d.trailer["Root"])
	if cat == nil {
		return Result{}, fmt.Errorf("no catalog")
	}
	if mi := d.dict(cat["MarkInfo"]); mi == nil || d.resolve(mi["Marked"]) != true {
		problem("the catalog does not mark the document as tagged (/MarkInfo <</Marked true>>)")
	}
	if res.Lang = d.str(cat["Lang"]); res.Lang == "" {
		problem("the catalog names no language (/Lang)")
	}
	if vp := d.dict(cat["ViewerPreferences"]); vp == nil || d.resolve(vp["DisplayDocTitle"]) != true {
		problem("viewers are not told to show the title (/ViewerPreferences <</DisplayDocTitle true>>)")
	}
	if res.Title = d.str(d.dict(d.trailer["Info"])["Title"]); res.Title == "" {
		problem("the document information has no /Title")
	}
	switch xmp, ok := metadata(d, cat["Metadata"]); {
	case !ok:
		problem("the catalog has no XMP metadata stream (/Metadata)")
	default:
		if m := xmpTitle.FindSubmatch(xmp); m == nil || len(bytes.TrimSpace(m[1])) == 0 {
			problem("the XMP metadata has no dc:title")
		}
		if !xmpUA.Match(xmp) {
			problem("the XMP metadata does not identify the document as PDF/UA-1 (pdfuaid:part 1)")
		}
	}
	root := d.dict(cat["StructTreeRoot"])
	if root == nil {
		problem("there is no structure tree (/StructTreeRoot)")
	} else {
		tree(d, root, &res, problem)
	}
	pages(d, d.dict(cat["Pages"]), root != nil, problem)
	return res, nil
}

// tree walks the structure tree in document order.
func tree(d *document, root dict, res *Result, problem func(string, ...any)) {
	roles := map[string]string{}
	for k, v := range d.dict(root["RoleMap"]) {
		if n, ok := d.resolve(v).(name); ok {
			roles[string(k)] = string(n)
		}
	}
	stdType := func(s string) string {
		for range 8 {
			if slices.Contains(standard, s) {
				return s
			}
			m, ok := roles[s]
			if !ok {
				return ""
			}
			s = m
		}
		return ""
	}
	lastHeading := 0
	seen := map[int]bool{}
	// walk returns how many elements of each type are below v.
	var walk func(v any, parent string) map[string]int
	walk = func(v any, parent string) map[string]int {
		below := map[string]int{}
		for _, k := range d.array(v) {
			if r, ok := k.(ref); ok {
				if seen[r.num] {
					continue
				}
				seen[r.num] = true
			}
			e := d.dict(k)
			if e == nil || (e["Type"] != nil && e["Type"] != name("StructElem")) {
				continue // marked-content ids and references to content
			}
			if _, ok := e["S"]; !ok {
				continue
			}
			s, _ := d.resolve(e["S"]).(name)
			t := stdType(string(s))
			if t == "" {
				problem("the structure type /%s is neither standard nor role-mapped to one", s)
				continue
			}
			res.Types[t]++
			below[t]++
			if len(t) == 2 && t[0] == 'H' && t[1] >= '1' && t[1] <= '6' {
				level, _ := strconv.Atoi(t[1:])
				switch {
				case lastHeading == 0 && level != 1:
					problem("the first heading is %s, not H1", t)
				case level > lastHeading+1 && lastHeading != 0:
					problem("a heading skips from H%d to %s", lastHeading, t)
				}
				lastHeading = level
			}
			sub := walk(e["K"], t)
			switch t {
			case "Figure":
				alt := d.str(e["Alt"])
				if alt == "" {
					alt = d.str(e["ActualText"])
				}
				if strings.TrimSpace(alt) == "" {
					problem("a Figure has no alternative text (/Alt)")
				}
				res.Alts = append(res.Alts, alt)
			case "Table":
				if sub["TR"] == 0 {
					problem("a Table has no rows (TR)")
				}
				if sub["TH"] == 0 {
					problem("a Table has no header cell (TH)")
				}
			case "TR":
				if parent != "Table" && parent != "THead" && parent != "TBody" && parent != "TFoot" {
					problem("a TR is in %s, not in a Table", parent)
				}
			}
			for k, n := range sub {
				below[k] += n
			}
		}
		return below
	}
	walk(root["K"], "")
}

// pages checks that each page with content is part of the structure tree.
func pages(d *document, node dict, tagged bool, problem func(string, ...any)) {
	n := 0
	var walk func(node dict, depth int)
	walk = func(node dict, depth int) {
		if node == nil || depth > 32 {
			return
		}
		if node["Type"] == name("Pages") {
			for _, k := range d.array(node["Kids"]) {
				walk(d.dict(k), depth+1)
			}
			return
		}
		n++
		if tagged && node["Contents"] != nil && node["StructParents"] == nil {
			problem("page %d is not part of the structure tree (/StructParents)", n)
		}
	}
	walk(node, 0)
	if n == 0 {
		problem("the document has no pages")
	}
}

var (
	xmpTitle = regexp.MustCompile(`(?s)<dc:title>.*?<rdf:li[^>]*>([^<]*)</rdf:li>`)
	xmpUA    = regexp.MustCompile(`<pdfuaid:part>\s*1\s*</pdfuaid:part>|pdfuaid:part\s*=\s*["']1["']`)
)

// metadata is the data of the metadata stream v refers to, inflated when
// it is compressed.
func metadata(d *document, v any) ([]byte, bool) {
	r, ok := v.(ref)
	if !ok {
		return nil, false
	}
	data, ok := d.streams[r.num]
	if !ok {
		return nil, false
	}
	if f := d.resolve(d.dict(r)["Filter"]); f == name("FlateDecode") || slices.Equal(d.array(f), []any{name("FlateDecode")}) {
		zr, err := zlib.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, false
		}
		if data, err = io.ReadAll(zr); err != nil {
			return nil, false
		}
	}
	return data, true
}
