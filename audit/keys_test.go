package audit_test

import (
	"slices"
	"testing"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/personnummer"
)

func TestPersonKeysAreEachPersonKey(t *testing.T) {
	k, err := audit.NewKeys([]byte("test master secret, 32 bytes at least........"))
	if err != nil {
		t.Fatal(err)
	}
	numbers := []string{"197001011234", "198512249876", "", "197001011234"}
	var want []string
	for _, n := range numbers {
		want = append(want, k.PersonKey(personnummer.Number(n)))
	}
	if got := k.PersonKeys(numbers); !slices.Equal(got, want) {
		t.Errorf("PersonKeys = %v, want %v", got, want)
	}
}
