package cases

import (
	"testing"

	"github.com/finsam/finsam/civil"
)

func TestDueDaysTextAndGroups(t *testing.T) {
	today := civil.MustParse("2026-12-09") // a Wednesday
	for _, tc := range []struct {
		due       string
		sv, en    string
		wantGroup string
	}{
		{"2026-12-06", "3 dagar sen", "3 days ago", groupOverdue},
		{"2026-12-08", "1 dag sen", "1 day ago", groupOverdue},
		{"2026-12-09", "idag", "today", groupToday},
		{"2026-12-10", "om 1 dag", "in 1 day", groupThisWeek},
		{"2026-12-13", "om 4 dagar", "in 4 days", groupThisWeek}, // Sunday
		{"2026-12-14", "om 5 dagar", "in 5 days", groupLater},
	} {
		due := civil.MustParse(tc.due)
		if got := dueDaysText("sv", today, due); got != tc.sv {
			t.Errorf("%s: %q, want %q", tc.due, got, tc.sv)
		}
		if got := dueDaysText("en", today, due); got != tc.en {
			t.Errorf("%s in English: %q, want %q", tc.due, got, tc.en)
		}
		if got := dueGroup(today, due); got != tc.wantGroup {
			t.Errorf("%s: group %q, want %q", tc.due, got, tc.wantGroup)
		}
	}
	if got := dueGroup(today, civil.Date{}); got != groupLater {
		t.Errorf("no deadline: group %q", got)
	}
	// On a Sunday, this week is today only.
	sunday := civil.MustParse("2026-12-13")
	if got := dueGroup(sunday, civil.MustParse("2026-12-14")); got != groupLater {
		t.Errorf("Monday seen on Sunday: %q", got)
	}
}
