package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	bt "github.com/finsam/finsam/internal/browsertest"
)

// careMessage is the part of GET /api/v1/messages the test reads.
type careMessage struct {
	ID                  int64  `json:"id"`
	Type                string `json:"type"`
	CertificateID       string `json:"certificate_id"`
	FinsamCertificateID int64  `json:"finsam_certificate_id"`
}

// newestSupplementStatus is the status badge of the newest supplement
// request on the certificate page ("" when there is none).
func newestSupplementStatus(t *testing.T, ctx context.Context) string {
	t.Helper()
	return strings.TrimSpace(bt.Eval[string](t, ctx,
		`(document.querySelector('.finsam-supplements .finsam-supplement .badge') || {}).textContent || ''`))
}

// TestSupplementRequestInBrowser: a case worker opens a poor certificate
// from the demo, sends a supplement request through the form (after one
// with errors), the care provider fetches it and answers with a KOMPLT
// certificate through the API, and on reload the request shows as answered.
// axe-core checks each state of the page.
func TestSupplementRequestInBrowser(t *testing.T) {
	srv := bt.StartServer(t)
	out, err := exec.Command(bt.Binary(t), "token", "create", "--data", srv.DataDir, "--org", "region-gotland",
		"--scope", "certificates:write,certificates:read", "--name", "e2e supplement").Output()
	if err != nil {
		t.Fatalf("token create: %v", err)
	}
	token := strings.TrimSpace(string(out))

	ctx := demoBrowser(t, srv, "handlaggare")
	// A poor certificate: the first in the inbox with findings.
	bt.Navigate(t, ctx, srv.URL+"/certificates?findings=1")
	href := bt.Eval[string](t, ctx, `(document.querySelector('table.finsam-certs tbody a') || {}).getAttribute?.('href') || ''`)
	var certID int64
	if _, err := fmt.Sscanf(href, "/certificates/%d", &certID); err != nil {
		t.Fatalf("no certificate with findings in the inbox (%q)", href)
	}
	bt.Navigate(t, ctx, srv.URL+href)
	before := bt.Eval[int](t, ctx, `document.querySelectorAll('.finsam-supplements .finsam-supplement').length`)
	bt.AssertAccessible(t, ctx)
	bt.AssertNoConsoleErrors(t, ctx)

	// The form starts from the quality check: the parts it found lacking
	// are chosen, with the finding as their text.
	if n := bt.Eval[int](t, ctx, `Array.from(document.querySelectorAll('.finsam-supplement-form input[name=question]:checked')).filter(c => document.getElementById('supplement-text-' + c.value).value.trim() !== '').length`); n == 0 {
		t.Fatal("the certificate's findings are not chosen on the supplement form")
	}
	// Without a question the form comes back with the errors in Swedish.
	bt.Eval[int](t, ctx, `(() => { const on = document.querySelectorAll('.finsam-supplement-form input[name=question]:checked'); on.forEach(c => { c.checked = false; }); return on.length; })()`)
	submitWithError(t, ctx, `.finsam-supplement-form button[type="submit"]`)
	if got := bt.Text(t, ctx, ".message-box--error"); !strings.Contains(got, "Välj minst en del av intyget") {
		t.Errorf("error summary %q", got)
	}
	bt.AssertAccessible(t, ctx)
	bt.Navigate(t, ctx, srv.URL+href)

	// The request: what the quality check found, and one part more from
	// the folded list, with the default last date.
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`.finsam-supplement-form details summary`)),
		chromedp.Click(chromedp.CSS(`label[for="supplement-q-25"]`)),
		chromedp.SendKeys(chromedp.CSS("#supplement-text-25"), "Beskriv hur patienten har det med sömnen."),
		chromedp.SendKeys(chromedp.CSS("#supplement-message"), "Komplettera gärna inom två veckor."),
	); err != nil {
		t.Fatalf("fill in the supplement form: %v", err)
	}
	bt.ClickAndLoad(t, ctx, `.finsam-supplement-form button[type="submit"]`)
	if u := bt.Eval[string](t, ctx, `location.pathname`); u != href {
		t.Fatalf("after sending: at %s, want %s", u, href)
	}
	if n := bt.Eval[int](t, ctx, `document.querySelectorAll('.finsam-supplements .finsam-supplement').length`); n != before+1 {
		t.Fatalf("%d requests shown, want %d", n, before+1)
	}
	if got := newestSupplementStatus(t, ctx); got != "Öppen" {
		t.Fatalf("new request's status %q, want Öppen", got)
	}
	bt.AssertAccessible(t, ctx)
	bt.AssertNoConsoleErrors(t, ctx)

	// The care provider's system fetches it...
	api := func(method, path string, body []byte) *http.Response {
		req, _ := http.NewRequest(method, srv.URL+path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	resp := api("GET", "/api/v1/messages", nil)
	var list struct{ Messages []careMessage }
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&list) != nil {
		t.Fatalf("GET /api/v1/messages: %d", resp.StatusCode)
	}
	var msg *careMessage
	for i, m := range list.Messages {
		if m.Type == "KOMPLT" && m.FinsamCertificateID == certID {
			msg = &list.Messages[i]
		}
	}
	if msg == nil {
		t.Fatalf("the request is not among the care provider's messages: %+v", list.Messages)
	}

	// ...and answers with a certificate that supplements it (relation KOMPLT).
	raw, err := os.ReadFile(filepath.Join("..", "certificate", "testdata", "exhaustion-v2-supplement.json"))
	if err != nil {
		t.Fatal(err)
	}
	var answer map[string]any
	json.Unmarshal(raw, &answer)
	answer["id"] = fmt.Sprintf("e2e-komplt-%d", certID)
	answer["relation"] = map[string]any{"type": "KOMPLT", "certificate_id": msg.CertificateID}
	body, _ := json.Marshal(answer)
	if resp := api("POST", "/api/v1/certificates", body); resp.StatusCode != http.StatusCreated {
		t.Fatalf("the answer: %d", resp.StatusCode)
	}

	// On reload the request is answered.
	bt.Navigate(t, ctx, srv.URL+href)
	if got := newestSupplementStatus(t, ctx); got != "Besvarad" {
		t.Fatalf("status after the answer %q, want Besvarad", got)
	}
	bt.AssertAccessible(t, ctx)
	bt.AssertNoConsoleErrors(t, ctx)
}
