package certificate

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoLinkFindingOnALabelledSet measures the finding "no link between
// impairment and limitation" on synthetic pairs a reader has labelled: it
// must not fire on more than one in ten pairs with a clear link (false
// positives, which send a doctor a needless request), and it should still
// catch most pairs without one.
func TestNoLinkFindingOnALabelledSet(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "impairment-limitation-labelled.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var links, nones, falsePos, caught int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 3 {
			t.Fatalf("bad line %q", line)
		}
		c := base(t)
		c.FunctionalImpairment, c.ActivityLimitation = cols[1], cols[2]
		fired := false
		for _, fd := range Assess(c, DefaultFMB(), 0).Findings {
			switch fd.Code {
			case FindingNoLink:
				fired = true
			case FindingImpairmentVague, FindingActivityVague:
				t.Fatalf("the set is meant to be specific, but %q / %q is vague", cols[1], cols[2])
			}
		}
		switch cols[0] {
		case "link":
			links++
			if fired {
				falsePos++
				t.Logf("false positive: %s → %s", cols[1], cols[2])
			}
		case "none":
			nones++
			if fired {
				caught++
			} else {
				t.Logf("missed: %s → %s", cols[1], cols[2])
			}
		default:
			t.Fatalf("bad label %q", cols[0])
		}
	}
	if links < 20 || nones < 20 {
		t.Fatalf("the set has %d pairs with a link and %d without; want at least 20 of each", links, nones)
	}
	fpr := float64(falsePos) / float64(links)
	recall := float64(caught) / float64(nones)
	t.Logf("false positives %d of %d (%.0f %%); pairs without a link caught %d of %d (%.0f %%)",
		falsePos, links, 100*fpr, caught, nones, 100*recall)
	if fpr >= 0.10 {
		t.Errorf("false-positive rate %.0f %%, want under 10 %%", 100*fpr)
	}
	if recall < 0.70 {
		t.Errorf("caught %.0f %% of the pairs without a link, want at least 70 %%", 100*recall)
	}
}
