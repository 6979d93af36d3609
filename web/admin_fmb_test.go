package web

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

	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/intake"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// upload posts an FMB file as the form does.
func (b *browser) upload(target, name string, content []byte) *httptest.ResponseRecorder {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	req := httptest.NewRequest("POST", target, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.RemoteAddr = b.addr
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	b.s.Handler().ServeHTTP(rec, req)
	return rec
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

func hasFMBFinding(t *testing.T, s *Server, st *store.Store, body []byte) bool {
	t.Helper()
	region := orgNamed(t, st, "region-gotland")
	res, err := s.intake.Submit(context.Background(), intake.Submission{SenderOrgID: region.ID, Body: body, Source: "api"})
	if err != nil || res.Status != intake.Accepted {
		t.Fatalf("submit: %+v %v", res, err)
	}
	for _, f := range res.Quality.Findings {
		if f.Code == certificate.FindingFMBExceeded {
			return true
		}
	}
	return false
}

func TestFMBTableUpload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s, _ := adminServer(t, st)
		t.Cleanup(s.Close)
		admin := signedIn(t, s, "admin", "demo")
		body := admin.do("GET", "/admin/fmb", nil).Body.String()
		if !strings.Contains(body, "M54.5") || !strings.Contains(body, "den som följer med finsam") || !strings.Contains(body, `type="file"`) {
			t.Fatalf("the shipped table or the form is missing:\n%s", body)
		}
		// The shipped table allows 14 days of lumbago.
		if hasFMBFinding(t, s, st, lumbagoFor("before")) {
			t.Fatal("14 days of M54.5 exceed the shipped table")
		}

		// A file with three bad rows and a duplicate: 422, every line named, nothing changed.
		bad := "\ufeff# full table\ncode,max,unit,source,note\nM54.5,7,d,Socialstyrelsen,\nX,7,d,S,\nF32,0,d,S,\nF33,6,yr,S,\nM545,7,d,S,\nF43,1,mo,,\n"
		rec := admin.upload("/admin/fmb", "fmb.csv", []byte(bad))
		body = rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("bad file: %d", rec.Code)
		}
		for _, want := range []string{"Rad 4:", "&#34;X&#34; är inte en ICD-10-SE-kod", "Rad 5:", "Rad 6:", "Enheten &#34;yr&#34;", "Rad 7:", "finns redan på rad 3", "Rad 8:", "Källa saknas"} {
			if !strings.Contains(body, want) {
				t.Errorf("the error page lacks %q", want)
			}
		}
		if _, err := store.Setting(context.Background(), st, settingFMB); err == nil {
			t.Error("a bad file was stored")
		}
		if rec := admin.upload("/admin/fmb", "fmb.csv", []byte("code,max\n")); rec.Code != 422 || !strings.Contains(rec.Body.String(), "rubrikraden") {
			t.Errorf("wrong header: %d", rec.Code)
		}

		// FK's administrator may read the table but not replace it.
		fkAdmin := signedIn(t, s, orgAdmin, orgAdminPassword)
		if rec := fkAdmin.do("GET", "/admin/fmb", nil); rec.Code != 200 || strings.Contains(rec.Body.String(), `type="file"`) {
			t.Errorf("FK admin GET: %d", rec.Code)
		}
		if rec := fkAdmin.upload("/admin/fmb", "fmb.csv", []byte("code,max,unit,source,note\nM54.5,7,d,S,\n")); rec.Code != http.StatusForbidden {
			t.Errorf("FK admin POST: %d, want 403", rec.Code)
		}

		// A good file replaces the table: lumbago now allows 7 days.
		good := "code,max,unit,source,note\nM54.5,7,d,Socialstyrelsen (test),\nF32,6,mo,S,\n"
		rec = admin.upload("/admin/fmb", "fmb.csv", []byte(good))
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/fmb?loaded=2" {
			t.Fatalf("good file: %d %s", rec.Code, rec.Header().Get("Location"))
		}
		body = admin.do("GET", "/admin/fmb?loaded=2", nil).Body.String()
		if !strings.Contains(body, "Socialstyrelsen (test)") || strings.Contains(body, "M54.4") || !strings.Contains(body, "laddad av en administratör") {
			t.Error("the page does not show the loaded table")
		}
		if auditRowsFor(t, st, "admin", "load_fmb", "ok") != 1 {
			t.Error("loading the table was not audited")
		}
		if !hasFMBFinding(t, s, st, lumbagoFor("after")) {
			t.Error("the running intake does not use the loaded table")
		}
		// A server started later reads the stored table.
		s2, err := New(Config{Store: st, Version: "test", AuditKeys: testKeys(t)})
		if err != nil {
			t.Fatal(err)
		}
		defer s2.Close()
		if f, loaded := s2.intake.table(); !loaded || f.Len() != 2 {
			t.Errorf("a new server's table: %d rows, loaded %v", f.Len(), loaded)
		}
	})
}
