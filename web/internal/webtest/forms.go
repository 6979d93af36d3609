package webtest

import (
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// ConfirmThen posts form to path as a browser goes through a safe action
// (site.Confirm). The first post must answer 200 with the confirmation
// page: heading title, a form back to path carrying every value of form
// and confirm=1, and a cancel link; and it must write nothing, which
// written (nil for no check) reports. Then it posts form with confirm=1
// and returns that answer.
func ConfirmThen(t testing.TB, c *Client, path string, form url.Values, title string, written func() bool) *httptest.ResponseRecorder {
	t.Helper()
	ask := c.Do(http.MethodPost, path, form)
	page := ask.Body.String()
	if ask.Code != http.StatusOK {
		t.Errorf("POST %s without confirm: %d, want 200 and a confirmation page", path, ask.Code)
	}
	want := []string{"<h1>" + template.HTMLEscapeString(title) + "</h1>", `action="` + path + `"`, `name="confirm" value="1"`, ">Avbryt</a>"}
	for k, vs := range form {
		for _, v := range vs {
			want = append(want, `name="`+k+`" value="`+template.HTMLEscapeString(v)+`"`)
		}
	}
	for _, w := range want {
		if !strings.Contains(page, w) {
			t.Errorf("confirmation page of POST %s lacks %q", path, w)
		}
	}
	if written != nil && written() {
		t.Errorf("POST %s without confirm wrote", path)
	}
	confirmed := url.Values{"confirm": {"1"}}
	for k, vs := range form {
		confirmed[k] = vs
	}
	return c.Do(http.MethodPost, path, confirmed)
}

// InlineScripts counts the scripts of a page that are not files of the
// site's own (the CSP allows only those, script-src 'self').
func InlineScripts(page string) int {
	return strings.Count(page, "<script") - strings.Count(page, `<script src="/static/`)
}
