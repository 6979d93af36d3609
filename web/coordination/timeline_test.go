package coordination

import (
	"strings"
	"testing"
	"time"
)

// The timeline draws every item on its lane and lists the same items in
// the table, in date order; an empty timeline draws nothing.
func TestTimeline(t *testing.T) {
	d := func(s string) time.Time { v, _ := time.Parse(time.DateOnly, s); return v }
	items := []tlItem{
		{Lane: "coord.tl.meetings", From: d("2026-12-01"), To: d("2026-12-01"), Label: "Avstämningsmöte"},
		{Lane: "coord.tl.sickleave", From: d("2026-10-01"), To: d("2026-12-31"), Label: "Sjukskriven 50 %"},
		{Lane: "coord.tl.actions", From: d("2026-11-15"), To: d("2026-11-15"), Label: "Arbetsträning"},
		{Lane: "coord.tl.decisions", From: d("2026-10-20"), To: d("2026-10-20"), Label: "Beviljad"},
	}
	pic, rows := timeline("sv", []string{"coord.tl.sickleave", "coord.tl.meetings", "coord.tl.actions"}, items, d("2026-11-23"))
	svg := string(pic)
	if !strings.Contains(svg, `role="img"`) || !strings.Contains(svg, "<title id=\"coord-tl-title\">") || !strings.Contains(svg, "Sjukskriven 50 %") {
		t.Fatalf("picture: %s", svg)
	}
	if strings.Contains(svg, "Beviljad") || len(rows) != 3 {
		t.Fatalf("an item without its lane is drawn or listed: %d rows", len(rows))
	}
	for i := 1; i < len(rows); i++ {
		if rows[i].When < rows[i-1].When {
			t.Fatalf("rows out of order: %+v", rows)
		}
	}
	if strings.Count(svg, "<rect") != 1 || strings.Count(svg, "<circle") != 2 {
		t.Errorf("spans and days: %d rects, %d circles", strings.Count(svg, "<rect"), strings.Count(svg, "<circle"))
	}
	if pic, rows := timeline("sv", nil, nil, d("2026-11-23")); pic != "" || rows != nil {
		t.Error("an empty timeline draws something")
	}
}
