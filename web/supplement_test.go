package web

// The setup of the tests of certificates that supplement others (the
// supplement requests' own tests are in web/cases).

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/store"
)

// supplementPair is a certificate and the one that supplements it (relation
// KOMPLT), made from certificate/testdata/exhaustion-v2-supplement.json: the
// original is the same certificate under the id the supplement names,
// without the relation.
func supplementPair(t *testing.T) (original, answer []byte, originalID string) {
	t.Helper()
	answer, err := os.ReadFile(filepath.Join("..", "certificate", "testdata", "exhaustion-v2-supplement.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(answer, &c); err != nil {
		t.Fatal(err)
	}
	originalID = c["relation"].(map[string]any)["certificate_id"].(string)
	c["id"] = originalID
	delete(c, "relation")
	c["activity_limitation"] = "Trött."
	original, _ = json.Marshal(c)
	return original, answer, originalID
}

// supplementTokens are care-provider tokens: Region Gotland's, which reads
// and writes, one of it that only writes, and another care provider's.
type supplementTokens struct{ region, writeOnly, other string }

// supplementSetup is the demo server (clock at 2026-11-23 09:00 UTC) with
// the tokens and the original certificate received from Region Gotland.
func supplementSetup(t *testing.T, st *store.Store) (*Server, *clock, supplementTokens, int64) {
	t.Helper()
	s, c := demoServer(t, st)
	ctx := context.Background()
	tok := supplementTokens{account.NewSecret(account.TokenPrefix), account.NewSecret(account.TokenPrefix), account.NewSecret(account.TokenPrefix)}
	err := st.Tx(ctx, func(tx *store.Tx) error {
		region, _ := store.OrganisationBySlug(ctx, tx, "region-gotland")
		other, _ := store.OrganisationBySlug(ctx, tx, "vardcentral-visby-demo")
		for _, c := range []struct {
			org    int64
			secret string
			scopes []account.Scope
		}{{region.ID, tok.region, []account.Scope{account.ScopeCertificatesWrite, account.ScopeCertificatesRead}},
			{region.ID, tok.writeOnly, []account.Scope{account.ScopeCertificatesWrite}},
			{other.ID, tok.other, []account.Scope{account.ScopeCertificatesWrite, account.ScopeCertificatesRead}}} {
			if _, err := store.CreateToken(ctx, tx, store.Token{OrgID: c.org, Name: "t", Scopes: c.scopes}, c.secret); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	original, _, _ := supplementPair(t)
	rec := post(s, tok.region, "application/json", original)
	if rec.Code != http.StatusCreated {
		t.Fatalf("original certificate: %d %s", rec.Code, rec.Body)
	}
	var receipt struct{ ID int64 }
	json.Unmarshal(rec.Body.Bytes(), &receipt)
	return s, c, tok, receipt.ID
}
