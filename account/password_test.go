package account

import (
	"strings"
	"testing"
)

func TestGeneratedPasswords(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		pw := GeneratePassword()
		if len(pw) != 23 || strings.Count(pw, "-") != 3 {
			t.Fatalf("%q: want four groups of five", pw)
		}
		if err := CheckPasswordRules(pw); err != nil {
			t.Fatalf("%q breaks the password rules: %v", pw, err)
		}
		for _, c := range strings.ReplaceAll(pw, "-", "") {
			if !strings.ContainsRune(passwordAlphabet, c) {
				t.Fatalf("%q has %q, outside the alphabet", pw, c)
			}
		}
		if seen[pw] {
			t.Fatalf("%q generated twice", pw)
		}
		seen[pw] = true
	}
	if len(passwordAlphabet) != 32 {
		t.Fatalf("the alphabet has %d symbols; GeneratePassword needs 32", len(passwordAlphabet))
	}
}
