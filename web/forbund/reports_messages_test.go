package forbund

import (
	"html/template"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/finsam/finsam/assocreport"
	"github.com/finsam/finsam/web/internal/svg/svgtest"
)

func TestAssociationReportMessagesExist(t *testing.T) {
	id := regexp.MustCompile(`"(assoc\.rep\.[a-z_.]+[a-z_])"`)
	files, _ := filepath.Glob("../../assocreport/*.go")
	more, _ := filepath.Glob("reports*.go")
	used := map[string]bool{}
	for _, f := range append(files, more...) {
		b, _ := os.ReadFile(f)
		for _, m := range id.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
	}
	for _, f := range []string{"state", "region", "municipality", "esf", "other"} {
		used["assoc.rep.fin."+f] = true
	}
	for _, c := range []string{repErrYearRequired, repErrYearInvalid, repErrInsats, "no_data"} {
		used["assoc.rep.err."+c] = true
	}
	if len(used) < 40 {
		t.Fatalf("found %d ids: the scan is broken", len(used))
	}
	for id := range used {
		for _, lang := range []string{"sv", "en"} {
			if _, ok := feature.Words[lang][id]; !ok {
				t.Errorf("%s missing in %s", id, lang)
			}
		}
	}
}

func TestReportChartTextHasContrast(t *testing.T) {
	table := assocreport.Table{Rows: [][]assocreport.Cell{
		{{Text: "Skarphäll"}, {Text: "..", Number: false}, {Text: "<5"}},
		{{Text: "Steget"}, {Text: "12", Value: 12, Number: true}, {Text: "7", Value: 7, Number: true}},
		{{Text: "Ett mycket långt namn på en insats"}, {Text: "0", Number: true}, {Text: "30", Value: 30, Number: true}},
	}}
	svg := string(groupedBarChart("c", "Deltagare", table, []string{"Kvinnor", "Män"}, []int{1, 2}, "Dolt antal"))
	texts, rects := svgtest.Shapes(svg)
	// The legend (two series and the hidden marker), three labels, six
	// values.
	if len(texts) != 3+3+6 {
		t.Fatalf("%d texts: %s", len(texts), svg)
	}
	// Skarphäll's two hidden counts and the legend's have a dashed open
	// marker, and no bar.
	if n := strings.Count(svg, `fill="none"`); n != 3 || strings.Count(svg, "stroke-dasharray") != 3 {
		t.Errorf("%d open markers, want 3: %s", n, svg)
	}
	for _, low := range svgtest.LowContrast(texts, rects, 4.5) {
		t.Error(low)
	}
	for _, c := range repSeries {
		if ratio := svgtest.Contrast(c, "#ffffff"); ratio < 3 {
			t.Errorf("bar colour %s has contrast %.2f against white, want at least 3 (WCAG 1.4.11)", c, ratio)
		}
	}
	// The description says every value in words.
	for _, want := range []string{"Skarphäll: Kvinnor .., Män <5", "Steget: Kvinnor 12, Män 7"} {
		if !strings.Contains(svg, template.HTMLEscapeString(want)) {
			t.Errorf("the description lacks %q", want)
		}
	}
}
