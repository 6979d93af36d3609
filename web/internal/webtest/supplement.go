package webtest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// SupplementPair is a certificate and the one that supplements it
// (relation KOMPLT), made from certificate/testdata/exhaustion-v2-supplement.json
// (read from a feature package's directory, web/<feature>): the original
// is the same certificate under the id the supplement names, without the
// relation.
func SupplementPair(tb testing.TB) (original, answer []byte, originalID string) {
	tb.Helper()
	answer, err := os.ReadFile(filepath.Join("..", "..", "certificate", "testdata", "exhaustion-v2-supplement.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(answer, &c); err != nil {
		tb.Fatal(err)
	}
	originalID = c["relation"].(map[string]any)["certificate_id"].(string)
	c["id"] = originalID
	delete(c, "relation")
	c["activity_limitation"] = "Trött."
	original, _ = json.Marshal(c)
	return original, answer, originalID
}
