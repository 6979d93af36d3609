package assocreport

import (
	"bytes"
	"strings"
	"testing"

	"github.com/finsam/finsam/association"
)

func TestKronor(t *testing.T) {
	for in, want := range map[association.Ore]string{
		0: "0", association.Kr(450_000): "450000", 123456789: "1234567,89", -1250: "-12,50", 5: "0,05",
	} {
		if got := Kronor(in); got != want {
			t.Errorf("Kronor(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestUppfoljningCSVKeepsNamesFromRunningAsFormulas(t *testing.T) {
	var buf bytes.Buffer
	rows := []UppfoljningRow{{Association: "=HYPERLINK(\"x\")", Year: 2025, InsatsID: 1, Insats: "+Steget", Kind: association.Individual, Female: 6, Male: 0}}
	if err := WriteUppfoljningCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "\"'=HYPERLINK(\"\"x\"\")\";2025;'+Steget;Individinriktad;6;0;6;0;0\r\n") {
		t.Errorf("CSV = %q", buf.String())
	}
}
