package coordination_test

import (
	"strings"
	"testing"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/webtest"
)

// No coordinator signs in to an empty product: with the demo's case work
// and coordination loaded, AF's, the region's and the municipality's
// coordinators each see persons in Mina samordningsärenden and can open
// them; the person who withdrew a consent is shown to nobody but FK.
func TestDemoCoordinators(t *testing.T) {
	s := webtest.DemoOn(t, store.SQLite)
	webtest.LoadDemoCaseWork(t, s.Store)
	for _, who := range []string{"samordnare-af", "samordnare-region", "samordnare-kommun", webtest.CaseWorker} {
		c := s.SignedIn(t, who)
		rec := c.Do("GET", "/samordning", nil)
		expect(t, who, rec.Code, 200, "")
		links := strings.Count(rec.Body.String(), `class="anchor" href="/samordning/`) - strings.Count(rec.Body.String(), `href="/samordning/vardenheter"`)
		// The region leads one more, and invited FK and the municipality.
		want := map[string]int{"samordnare-af": 2, "samordnare-region": 3, "samordnare-kommun": 3, webtest.CaseWorker: 5}[who]
		if links != want {
			t.Errorf("%s sees %d coordinations, want %d", who, links, want)
		}
		i := strings.Index(rec.Body.String(), `class="anchor" href="/samordning/`)
		href := rec.Body.String()[i+len(`class="anchor" href="`):]
		href = href[:strings.Index(href, `"`)]
		if href == "/samordning/vardenheter" {
			continue
		}
		if rec := c.Do("GET", href, nil); rec.Code != 200 {
			t.Errorf("%s opens %s: %d", who, href, rec.Code)
		}
	}
}
