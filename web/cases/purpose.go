package cases

// The purpose of opening a person outside one's own caseload: the audit
// log records why, and the page asks. A case worker who opens a case not
// assigned to them is asked first; the answer goes into every audit entry
// of that case for the rest of the working day (a cookie scoped to the
// case's path), so the forms of the page do not ask again. Managers read
// their office's cases as part of their role and are not asked; the audit
// row still says relation=office.

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/caseaccess"
	"github.com/finsam/finsam/web/internal/site"
)

// casePurposes are the reasons offered, as stable codes.
var casePurposes = []string{"substitute", "colleague", "manager_request", "coordination", "other"}

const maxPurposeText = 200

// purposeCookie names the cookie that remembers the purpose for one case.
func purposeCookie(caseID int64) string { return "finsam_syfte_" + itoa(caseID) }

// PurposeOrAsk is the audit suffix of the purpose a must give before
// seeing or changing c (" purpose=…", or "" when none is needed). When one
// is needed and none was given, it shows the purpose page instead and
// asked is true: the handler returns err, having answered.
func (s *Handlers) PurposeOrAsk(w http.ResponseWriter, r *http.Request, a *site.Actor, c store.Case) (purpose string, asked bool, err error) {
	if !caseaccess.NeedsPurpose(a, c) {
		return "", false, nil
	}
	p, ok := s.casePurpose(w, r, c)
	if !ok {
		s.askPurpose(w, r, a, c)
		return "", true, nil
	}
	return " purpose=" + p, false, nil
}

// casePurpose returns the purpose given for the case: from the form of the
// purpose page (then remembered in a cookie) or the cookie. ok is false
// when none is given or it is not one of casePurposes.
func (s *Handlers) casePurpose(w http.ResponseWriter, r *http.Request, c store.Case) (string, bool) {
	q := r.URL.Query()
	if code := q.Get("syfte"); code != "" {
		p, ok := purposeValue(code, q.Get("syfte_text"))
		if !ok {
			return "", false
		}
		http.SetCookie(w, &http.Cookie{Name: purposeCookie(c.ID), Value: url.QueryEscape(p), Path: "/arenden/" + itoa(c.ID),
			MaxAge: int((10 * time.Hour).Seconds()), HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: site.SecureRequest(r)})
		return p, true
	}
	ck, err := r.Cookie(purposeCookie(c.ID))
	if err != nil {
		return "", false
	}
	v, err := url.QueryUnescape(ck.Value)
	if err != nil {
		return "", false
	}
	code, text, _ := strings.Cut(v, ":")
	return purposeValue(code, text)
}

// purposeValue checks a purpose code and its free text ("other" needs
// one) and gives the audit log's form "code" or "code:text".
func purposeValue(code, text string) (string, bool) {
	known := false
	for _, p := range casePurposes {
		known = known || p == code
	}
	var ps site.Problems
	text = caseText(&ps, "syfte_text", text, code == "other", maxPurposeText, false)
	if !known || len(ps) > 0 {
		return "", false
	}
	if text != "" {
		return code + ":" + text, true
	}
	return code, true
}

// purposeData is what case_purpose.html shows.
type purposeData struct {
	CaseID   int64
	Options  []site.Choice
	Invalid  bool
	Text     string
	Assignee string
}

// askPurpose shows the purpose page instead of the case. It shows nothing
// of the person.
func (s *Handlers) askPurpose(w http.ResponseWriter, r *http.Request, a *site.Actor, c store.Case) {
	lang := site.Language(w, r)
	q := r.URL.Query()
	d := purposeData{CaseID: c.ID, Invalid: q.Get("syfte") != "", Text: q.Get("syfte_text"), Assignee: c.Assignee}
	for _, p := range casePurposes {
		d.Options = append(d.Options, site.Choice{Value: p, Label: translate(lang, "purpose."+p), Selected: p == q.Get("syfte")})
	}
	status := http.StatusOK
	if d.Invalid {
		status = http.StatusUnprocessableEntity
	}
	s.Render(w, r, status, "case_purpose", site.Page{Lang: lang, Title: translate(lang, "purpose.title"), Actor: a, Data: d})
}
