package coordination_test

import (
	"strings"
	"testing"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/webtest"
)

// The region's coordinator sees the patients its care units have on sick
// leave today, each read audited; another agency's coordinator gets no
// patients from it.
func TestUnitPatients(t *testing.T) {
	s := webtest.DemoOn(t, store.SQLite)
	webtest.LoadDemoCertificates(t, s.Store)
	region := s.SignedIn(t, "samordnare-region")
	rec := region.Do("GET", "/samordning/vardenheter", nil)
	expect(t, "region", rec.Code, 200, rec.Body.String())
	rows := strings.Count(rec.Body.String(), `<tr class="table__row">`) - 1
	if rows <= 0 {
		t.Fatal("the region's care units have nobody on sick leave in the demo")
	}
	if got := len(reads(t, s.Store, "region-gotland", "list_unit_patients")); got != rows {
		t.Fatalf("%d rows shown, %d reads audited", rows, got)
	}
	af := s.SignedIn(t, "samordnare-af")
	rec = af.Do("GET", "/samordning/vardenheter", nil)
	expect(t, "AF", rec.Code, 200, "")
	if strings.Contains(rec.Body.String(), "<tbody") || len(reads(t, s.Store, "af", "list_unit_patients")) != 0 {
		t.Fatal("AF sees the region's patients")
	}
}
