package validation

import (
	"errors"
	"testing"
)

func TestTheFirstProblemOfAFieldWins(t *testing.T) {
	var ps Problems
	if ps.Err() != nil {
		t.Fatal("no problems is an error")
	}
	ps.Add("date", "required")
	ps.Add("name", "too_long")
	ps.Add("date", "invalid")
	want := Problems{{"date", "required"}, {"name", "too_long"}}
	if len(ps) != len(want) || ps[0] != want[0] || ps[1] != want[1] {
		t.Fatalf("%v, want %v", ps, want)
	}
	var got Problems
	if err := ps.Err(); !errors.As(err, &got) || err.Error() != "invalid input: date=required name=too_long" {
		t.Errorf("%v", err)
	}
}
