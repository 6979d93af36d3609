package certificates_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/webtest"
)

// relatedBody is originalBody under id with the relation typ to the
// original, or none when typ is "".
func relatedBody(t *testing.T, id, typ, to string, edit func(c map[string]any)) []byte {
	t.Helper()
	original, _, _ := webtest.SupplementPair(t)
	var c map[string]any
	if err := json.Unmarshal(original, &c); err != nil {
		t.Fatal(err)
	}
	c["id"] = id
	if typ != "" {
		c["relation"] = map[string]any{"type": typ, "certificate_id": to}
	}
	if edit != nil {
		edit(c)
	}
	b, _ := json.Marshal(c)
	return b
}

// relationSetup is the demo server with a token of Region Gotland and the
// original certificate received from it, whose id it returns.
func relationSetup(t *testing.T, st *store.Store) (*webtest.Server, string, int64) {
	t.Helper()
	s := webtest.Demo(t, st)
	region := s.Token(t, "region-gotland", account.ScopeCertificatesWrite, account.ScopeCertificatesRead)
	original, _, _ := webtest.SupplementPair(t)
	return s, region, received(t, send(s, region, "application/json", original))
}

func TestRelationsAreLinkedAndShownOnBothCertificates(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, region, originalID := relationSetup(t, st)
		_, _, originalCertID := webtest.SupplementPair(t)
		ids := map[string]int64{}
		for _, typ := range []string{"FRLANG", "KOPIA"} {
			rec := send(s, region, "application/json", relatedBody(t, "rel-"+typ, typ, originalCertID, nil))
			if rec.Code != http.StatusCreated {
				t.Fatalf("%s: %d %s", typ, rec.Code, rec.Body)
			}
			var receipt struct{ ID int64 }
			json.Unmarshal(rec.Body.Bytes(), &receipt)
			ids[typ] = receipt.ID
		}
		// A relation to a certificate finsam has not received is shown
		// without a link.
		rec := send(s, region, "application/json", relatedBody(t, "rel-lost", "ERSATT", "never-received", nil))
		if rec.Code != http.StatusCreated {
			t.Fatalf("ERSATT: %d %s", rec.Code, rec.Body)
		}
		var lost struct{ ID int64 }
		json.Unmarshal(rec.Body.Bytes(), &lost)

		b := s.SignedIn(t, webtest.CaseWorker)
		page := b.Do("GET", "/certificates/"+itoa(originalID), nil).Body.String()
		for _, want := range []string{"Hänvisas till av", "Förlängt av intyg rel-FRLANG", "Kopierat i intyg rel-KOPIA",
			`href="/certificates/` + itoa(ids["FRLANG"]) + `"`, `href="/certificates/` + itoa(ids["KOPIA"]) + `"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the original's page lacks %q", want)
			}
		}
		page = b.Do("GET", "/certificates/"+itoa(ids["FRLANG"]), nil).Body.String()
		if !strings.Contains(page, `<a class="anchor" href="/certificates/`+itoa(originalID)+`">Förlänger intyg `+originalCertID) {
			t.Errorf("the extension's page does not link the original")
		}
		page = b.Do("GET", "/certificates/"+itoa(lost.ID), nil).Body.String()
		if !strings.Contains(page, "Ersätter intyg never-received (har inte tagits emot)") {
			t.Errorf("a relation to a certificate not received is not shown as such")
		}
	})
}

func TestCertificateOfATestEnvironmentIsMarked(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, region, originalID := relationSetup(t, st)
		rec := send(s, region, "application/json", relatedBody(t, "test-env-1", "", "", func(c map[string]any) {
			c["issuer"].(map[string]any)["hsa_id"] = "TSTNMT2321000156-1079"
		}))
		if rec.Code != http.StatusCreated {
			t.Fatalf("test certificate: %d %s", rec.Code, rec.Body)
		}
		var receipt struct{ ID int64 }
		json.Unmarshal(rec.Body.Bytes(), &receipt)
		b := s.SignedIn(t, webtest.CaseWorker)
		if page := b.Do("GET", "/certificates/"+itoa(receipt.ID), nil).Body.String(); !strings.Contains(page, "Signerat i en testmiljö") {
			t.Error("the test certificate is not marked")
		}
		if page := b.Do("GET", "/certificates/"+itoa(originalID), nil).Body.String(); strings.Contains(page, "testmiljö") {
			t.Error("a production certificate is marked as test")
		}
	})
}

func TestInvalidCertificateNamesTheAnswerInTheAPI(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, region, _ := relationSetup(t, st)
		rec := send(s, region, "application/json", relatedBody(t, "bad-1", "", "", func(c map[string]any) {
			c["occupation"] = []string{"PENSIONAR"}
		}))
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `"field":"occupation[0]","answer":"svar[28].delsvar[28.1]"`) {
			t.Fatalf("got %d %s", rec.Code, rec.Body)
		}
	})
}
