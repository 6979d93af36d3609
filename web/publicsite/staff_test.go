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

// TestStaffEditAndRemoveOrganisationsOfTheNetwork: the staff reach an
// organisation of Paraply-nätverket from the site's overview, change it
// (a bad address or order is refused field by field in Swedish and
// nothing is written) and remove it; the public network page follows at
// once.
func TestStaffEditAndRemoveOrganisationsOfTheNetwork(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := demoSite(t, st)
		staff := s.SignedIn(t, "forbund")
		const edit = "/forbund/" + demo.OperatorOrg + "/webb"
		orgs, err := store.NetworkOrgs(ctx, st, assocID(t, st))
		if err != nil || len(orgs) < 2 {
			t.Fatalf("network: %v %d", err, len(orgs))
		}
		o := orgs[0]
		path := fmt.Sprintf("%s/natverket/%d", edit, o.ID)
		if body := staff.Do("GET", edit, nil).Body.String(); !strings.Contains(body, `href="`+path+`"`) {
			t.Fatal("the overview does not link to the organisation")
		}
		if rec := staff.Do("GET", path, nil); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), o.Name) {
			t.Fatalf("edit page: %d", rec.Code)
		}
		if !strings.Contains(s.Do("GET", base+"/natverket", nil).Body.String(), o.Name) {
			t.Fatal("the network page lacks the organisation")
		}
		bad := url.Values{"name": {"Ändrat namn"}, "url": {"javascript:alert(1)"}, "sort": {"tre"}}
		rec := staff.Do("POST", path, bad)
		body := rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "Webbadress") || !strings.Contains(body, "Ordning i listan") ||
			!strings.Contains(body, `aria-invalid="true"`) {
			t.Errorf("a bad address and order: %d", rec.Code)
		}
		if got, _ := store.NetworkOrgByID(ctx, st, assocID(t, st), o.ID); got.Name != o.Name {
			t.Error("a refused form was written")
		}
		good := url.Values{"name": {"Ändrat namn"}, "kind": {"Kommun"}, "url": {"https://example.se"}, "sort": {"1"}, "description": {"Erbjuder stöd."}}
		if rec := staff.Do("POST", path, good); rec.Code != http.StatusSeeOther {
			t.Fatalf("save: %d %s", rec.Code, rec.Body)
		}
		if body := s.Do("GET", base+"/natverket", nil).Body.String(); !strings.Contains(body, "Ändrat namn") || strings.Contains(body, ">"+o.Name+"<") {
			t.Error("the network page does not show the change")
		}
		if rec := staff.Do("POST", path, url.Values{"delete": {"1"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("delete: %d", rec.Code)
		}
		if body := s.Do("GET", base+"/natverket", nil).Body.String(); strings.Contains(body, "Ändrat namn") {
			t.Error("the removed organisation is still shown")
		}
		if rec := staff.Do("GET", path, nil); rec.Code != http.StatusNotFound {
			t.Errorf("the removed organisation's page: %d", rec.Code)
		}
	})
}

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
