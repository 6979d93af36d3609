package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
	"github.com/finsam/finsam/whatif"
)

func TestRulesWhatIf(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
		insertSickCases(t, st, now, "2026-03-01", 20, 40000000)
		_, db := handOver(t, st)
		dir := t.TempDir()
		good, bad := filepath.Join(dir, "good.json"), filepath.Join(dir, "bad.json")
		os.WriteFile(good, []byte(`{"name": "180 dagar", "params": [{"name": "normal_level_max_days", "values": [{"from": "2008-07-01", "value": "180"}]}]}`), 0o600)
		os.WriteFile(bad, []byte(`{"name": "fel", "params": [{"name": "no_such_parameter", "values": [{"from": "2008-07-01", "value": "1"}]}]}`), 0o600)

		code, out, errOut := finsam(t, nil, append([]string{"rules", "whatif", "--scenario", good, "--date", "2026-11-30"}, db...)...)
		var sum whatif.Summary
		if code != 0 || json.Unmarshal([]byte(out), &sum) != nil {
			t.Fatalf("whatif: %d %q %q", code, out, errOut)
		}
		if sum.Cases != 7 || sum.ChangedLevel == 0 || sum.What.CostKr >= sum.Real.CostKr || sum.Date != "2026-11-30" || sum.Scenario != "180 dagar" {
			t.Errorf("summary %+v", sum)
		}
		code, out, _ = finsam(t, nil, append([]string{"rules", "whatif", "--scenario", bad}, db...)...)
		if code != 1 || !strings.Contains(out, `"error"`) {
			t.Errorf("a bad scenario: %d %q", code, out)
		}
		if code, _, errOut := finsam(t, nil, append([]string{"rules", "whatif"}, db...)...); code != 2 || !strings.Contains(errOut, "--scenario") {
			t.Errorf("no scenario: %d %q", code, errOut)
		}
		if code, _, _ := finsam(t, nil, append([]string{"rules", "whatif", "--scenario", good, "--date", "2026-13-01"}, db...)...); code != 2 {
			t.Errorf("a bad date: %d", code)
		}
	})
}
