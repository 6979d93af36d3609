package tmplfunc

import "testing"

func TestDict(t *testing.T) {
	m, err := Dict("a", 1, "b", "x")
	if err != nil || len(m) != 2 || m["a"] != 1 || m["b"] != "x" {
		t.Errorf("%v %v", m, err)
	}
	for _, bad := range [][]any{{"a"}, {1, 2}} {
		if _, err := Dict(bad...); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}
