package publicsite_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/webtest"
)

// TestInterestIsPendingUntilTheStaffRegisterWithConsent: an interest form
// adds no participant; the staff's list of interest leads to the
// association's registration of a participant in that insats, whose form
// asks for the consent.
func TestInterestIsPendingUntilTheStaffRegisterWithConsent(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	ctx := context.Background()
	s := demoSite(t, st)
	in := firstInsats(t, st, store.CatalogueQuery{})
	count := func() int {
		var n int
		if err := st.QueryRow(ctx, "SELECT count(*) FROM participants WHERE association_id = $1", assocID(t, st)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	rec := s.Client(t).Do("POST", fmt.Sprintf("%s/aktivitetskatalogen/%d/intresse", base, in.Insats.ID),
		url.Values{"name": {"Kim Intresse"}, "reach": {"0701234567"}, "municipality": {"0980"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("interest: %d", rec.Code)
	}
	if after := count(); after != before {
		t.Errorf("an interest added %d participants", after-before)
	}
	staff := s.SignedIn(t, "forbund")
	body := staff.Do("GET", "/forbund/"+demo.OperatorOrg+"/webb/intresse", nil).Body.String()
	register := fmt.Sprintf("/forbund/%s/insatser/%d/deltagare/ny", demo.OperatorOrg, in.Insats.ID)
	if !strings.Contains(body, "Kim Intresse") || !strings.Contains(body, `href="`+register+`"`) {
		t.Fatal("the interest does not lead to the registration of a participant")
	}
	form := staff.Do("GET", register, nil)
	if form.Code != http.StatusOK || !strings.Contains(form.Body.String(), `name="consent_by"`) {
		t.Errorf("registration form: %d, or without its consent step", form.Code)
	}
}
