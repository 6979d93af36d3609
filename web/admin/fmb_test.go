package admin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/intake"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/webtest"
)

// upload posts an FMB file as the form does.
func upload(b *webtest.Client, target, name string, content []byte) *httptest.ResponseRecorder {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	return b.DoBody("POST", target, body.String(), mw.FormDataContentType())
}

// lumbagoFor is a certificate of 14 days' lumbago (M54.5), without an FMB
// motivation.
func lumbagoFor(id string) []byte {
	c := demo.Certificates(11, 1, demo.Persons(11, 1), time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC))[0]
	c.Diagnoses = []certificate.Diagnosis{{Code: "M54.5", Text: "Lumbago"}}
	d := certificate.DateOf(c.SignedAt)
	c.SickLeave = []certificate.SickLeave{{Degree: "HELT_NEDSATT", From: d, To: d.AddDays(13)}}
	c.ID, c.FMBMotivation, c.EarlyStartReason, c.WorkingTimeDistribution = id, "", "", nil
	b, _ := json.Marshal(c)
	return b
}

// hasFMBFinding sends a certificate from Region Gotland to the server's
// intake and tells whether its quality check found the sick leave longer
// than FMB recommends.
func hasFMBFinding(t *testing.T, s *webtest.Server, token string, body []byte) bool {
	t.Helper()
	rec := s.Post("/api/v1/certificates", token, "application/json", body)
	var receipt struct {
		Quality struct {
			Findings []struct{ Code string } `json:"findings"`
		} `json:"quality"`
	}
	if rec.Code != http.StatusCreated || json.Unmarshal(rec.Body.Bytes(), &receipt) != nil {
		t.Fatalf("submit: %d %s", rec.Code, rec.Body)
	}
	for _, f := range receipt.Quality.Findings {
		if f.Code == certificate.FindingFMBExceeded {
			return true
		}
	}
	return false
}

func TestFMBTableUpload(t *testing.T) {
	webtest.EachDemoWithOrgAdmin(t, func(t *testing.T, s *webtest.Server) {
		token := s.Token(t, "region-gotland", account.ScopeCertificatesWrite)
		admin := signedIn(t, s, "admin", "demo")
		body := admin.Do("GET", "/admin/fmb", nil).Body.String()
		if !strings.Contains(body, "M54.5") || !strings.Contains(body, "den som följer med finsam") || !strings.Contains(body, `type="file"`) {
			t.Fatalf("the shipped table or the form is missing:\n%s", body)
		}
		// The shipped table allows 14 days of lumbago.
		if hasFMBFinding(t, s, token, lumbagoFor("before")) {
			t.Fatal("14 days of M54.5 exceed the shipped table")
		}

		// A file with three bad rows and a duplicate: 422, every line named, nothing changed.
		bad := "\ufeff# full table\ncode,max,unit,source,note\nM54.5,7,d,Socialstyrelsen,\nX,7,d,S,\nF32,0,d,S,\nF33,6,yr,S,\nM545,7,d,S,\nF43,1,mo,,\n"
		rec := upload(admin, "/admin/fmb", "fmb.csv", []byte(bad))
		body = rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("bad file: %d", rec.Code)
		}
		for _, want := range []string{"Rad 4:", "&#34;X&#34; är inte en ICD-10-SE-kod", "Rad 5:", "Rad 6:", "Enheten &#34;yr&#34;", "Rad 7:", "finns redan på rad 3", "Rad 8:", "Källa saknas"} {
			if !strings.Contains(body, want) {
				t.Errorf("the error page lacks %q", want)
			}
		}
		if _, err := store.Setting(context.Background(), s.Store, intake.SettingFMB); err == nil {
			t.Error("a bad file was stored")
		}
		if rec := upload(admin, "/admin/fmb", "fmb.csv", []byte("code,max\n")); rec.Code != 422 || !strings.Contains(rec.Body.String(), "rubrikraden") {
			t.Errorf("wrong header: %d", rec.Code)
		}

		// FK's administrator may read the table but not replace it.
		fkAdmin := signedIn(t, s, webtest.OrgAdmin, webtest.OrgAdminPassword)
		if rec := fkAdmin.Do("GET", "/admin/fmb", nil); rec.Code != 200 || strings.Contains(rec.Body.String(), `type="file"`) {
			t.Errorf("FK admin GET: %d", rec.Code)
		}
		if rec := upload(fkAdmin, "/admin/fmb", "fmb.csv", []byte("code,max,unit,source,note\nM54.5,7,d,S,\n")); rec.Code != http.StatusForbidden {
			t.Errorf("FK admin POST: %d, want 403", rec.Code)
		}

		// A good file replaces the table: lumbago now allows 7 days.
		good := "code,max,unit,source,note\nM54.5,7,d,Socialstyrelsen (test),\nF32,6,mo,S,\n"
		rec = upload(admin, "/admin/fmb", "fmb.csv", []byte(good))
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/fmb?loaded=2" {
			t.Fatalf("good file: %d %s", rec.Code, rec.Header().Get("Location"))
		}
		body = admin.Do("GET", "/admin/fmb?loaded=2", nil).Body.String()
		if !strings.Contains(body, "Socialstyrelsen (test)") || strings.Contains(body, "M54.4") || !strings.Contains(body, "laddad av en administratör") {
			t.Error("the page does not show the loaded table")
		}
		if auditRowsFor(t, s.Store, "admin", "load_fmb", "ok") != 1 {
			t.Error("loading the table was not audited")
		}
		if !hasFMBFinding(t, s, token, lumbagoFor("after")) {
			t.Error("the running intake does not use the loaded table")
		}
		// A server started later reads the stored table.
		s2 := webtest.Bare(t, s.Store)
		later := s2.Client(t)
		if rec := later.Login("admin", webtest.DemoPassword); rec.Code != http.StatusSeeOther {
			t.Fatalf("sign in at the later server: %d", rec.Code)
		}
		if body := later.Do("GET", "/admin/fmb", nil).Body.String(); tableRows(body) != 2 || !strings.Contains(body, "laddad av en administratör") {
			t.Errorf("a new server's table: %d rows:\n%s", tableRows(body), body)
		}
	})
}
