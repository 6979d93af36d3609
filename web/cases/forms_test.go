package cases_test

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/finsam/finsam/web/internal/webtest"
)

// The forms' manners: Nytt sjukfall starts in its first field; every line
// of an error summary names its field and links to it; a note over the
// limit is kept on the page with by how much it is too long, and a line
// break counts as one character, as the browser counts it.
func TestFormsNameTheirFieldsAndKeepWhatWasTyped(t *testing.T) {
	webtest.EachDemo(t, func(t *testing.T, s *webtest.Server) {
		hw := signedIn(t, s, "handlaggare", "demo")
		page := hw.Do("GET", "/arenden/nytt", nil).Body.String()
		if !strings.Contains(page, `id="new-personnummer" name="personnummer" value="" maxlength="200" autocomplete="off" autofocus>`) {
			t.Error("Nytt sjukfall does not start in the personnummer field")
		}
		if strings.Count(page, "autofocus") != 1 {
			t.Errorf("%d autofocus on Nytt sjukfall, want 1", strings.Count(page, "autofocus"))
		}
		bad := newCaseForm("", "2026-11-02", "", "100")
		rec := hw.Do("POST", "/arenden/nytt", bad)
		body := rec.Body.String()
		for _, want := range []string{`<a href="#new-personnummer">Personnummer: Fyll i det här fältet.</a>`, `<a href="#new-to">`} {
			if !strings.Contains(body, want) {
				t.Errorf("new case summary (%d) lacks %q", rec.Code, want)
			}
		}
		if strings.Contains(body, "autofocus") {
			t.Error("a form with problems puts the cursor in its first field rather than leaving the summary first")
		}

		rec = hw.Do("POST", "/arenden/nytt", newCaseForm("191212121212", "2026-11-02", "2026-12-06", "100"))
		loc := rec.Header().Get("Location")
		version := func() string {
			var id int64
			fmt.Sscanf(strings.TrimPrefix(loc, "/arenden/"), "%d", &id)
			return itoa(int64(caseVersionOf(t, s.Store, id)))
		}
		tests := []struct {
			name, text string
			code       int
			want       string
		}{
			{"3 characters too long", strings.Repeat("å", 4003), http.StatusUnprocessableEntity,
				`<a href="#note-body">Text: Texten är 3 tecken för lång (högst 4000).</a>`},
			{"far too long, in four-byte characters", strings.Repeat("😀", 6000), http.StatusUnprocessableEntity,
				"Texten är 2000 tecken för lång (högst 4000)."},
			{"at the limit with line breaks", strings.Repeat("a\r\n", 1999) + "ab", http.StatusSeeOther, ""},
		}
		for _, tc := range tests {
			rec := hw.Do("POST", loc+"/anteckningar", url.Values{"version": {version()}, "kind": {"note"}, "body": {tc.text}})
			if rec.Code != tc.code {
				t.Errorf("%s: %d, want %d", tc.name, rec.Code, tc.code)
				continue
			}
			if tc.code != http.StatusUnprocessableEntity {
				continue
			}
			body := rec.Body.String()
			if !strings.Contains(body, tc.want) {
				t.Errorf("%s: the page lacks %q", tc.name, tc.want)
			}
			if !strings.Contains(body, ">"+template.HTMLEscapeString(tc.text)+"</textarea>") {
				t.Errorf("%s: the text typed is not kept", tc.name)
			}
		}
	})
}
