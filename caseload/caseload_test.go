package caseload

import "testing"

func TestChapterOf(t *testing.T) {
	for code, want := range map[string]string{"F432": "V", "F32": "V", "M545": "XIII", "D50": "III", "D489": "II",
		"H60": "VIII", "H59": "VII", "S01": "XIX", "T98": "XIX", "Z73": "XXI", "": Unknown, "Q": Unknown, "999": Unknown} {
		if got := ChapterOf(code); got != want {
			t.Errorf("ChapterOf(%q) = %q, want %q", code, got, want)
		}
	}
}

func TestPercentileIsTheNearestRank(t *testing.T) {
	d := Durations{}
	for i := 1; i <= 10; i++ {
		d.Add(i*10, 1)
	}
	if got := d.Percentile(50); got != 50 {
		t.Errorf("median %d, want 50", got)
	}
	if got := d.Percentile(90); got != 90 {
		t.Errorf("p90 %d, want 90", got)
	}
	d.Add(100, 90) // 100 cases, 90 of them 100 days
	if got := d.Percentile(10); got != 100 {
		t.Errorf("p10 %d, want 100 (rank 10 is the first of the 100s)", got)
	}
	if (Durations{}).Percentile(50) != 0 {
		t.Error("no cases, no median")
	}
}

func TestAgeGroups(t *testing.T) {
	if GroupOfAge(29) != "16-29" || GroupOfAge(30) != "30-39" || GroupOfAge(67) != "60-" || GroupOfAge(15) != Unknown {
		t.Error("age groups")
	}
}
