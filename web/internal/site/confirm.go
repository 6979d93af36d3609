package site

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Safe actions. A form whose write cannot simply be taken back (closing a
// case, deleting a row, ending a registration) posts to its route without
// "confirm": the handler authorizes and checks the form as for the write,
// and then answers with a confirmation page (Site.Confirm) that says what
// will happen and posts the same values again with confirm=1. Only that
// second post writes. Rendering the question writes nothing, so the route
// keeps its one policy action, and the whole exchange works without
// JavaScript. After the write the handler redirects with a flash
// (SetFlash): a message the next page shows once.

// ConfirmField is the form field that says the person has seen the
// confirmation page and agreed.
const ConfirmField = "confirm"

// Confirmed reports whether a posted form carries the agreement of the
// confirmation page.
func Confirmed(f url.Values) bool { return f.Get(ConfirmField) == "1" }

// Confirmation is the question a confirmation page asks.
type Confirmation struct {
	// Title is the question, as the page's heading ("Avsluta ärendet?").
	Title string
	// Lead says, sentence by sentence, what the write will do and what
	// it means afterwards.
	Lead []string
	// Action is where the form posts: the route that asked.
	Action string
	// Values are the fields the form posts again (the asking post's form:
	// the row's version, its id, a date).
	Values url.Values
	// Submit names the write on its button ("Ja, avsluta ärendet").
	Submit string
	// Back is the page the cancel link returns to, on this site.
	Back string
}

// hiddenField is one value the confirmation form posts again.
type hiddenField struct{ Name, Value string }

// confirmData is what confirm.html shows.
type confirmData struct {
	Confirmation
	Hidden []hiddenField
}

// Confirm answers a destructive form's first post with its confirmation
// page (200). It writes nothing.
func (s *Site) Confirm(w http.ResponseWriter, r *http.Request, a *Actor, c Confirmation) {
	d := confirmData{Confirmation: c}
	names := make([]string, 0, len(c.Values))
	for k := range c.Values {
		if k != ConfirmField {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	for _, k := range names {
		for _, v := range c.Values[k] {
			d.Hidden = append(d.Hidden, hiddenField{k, v})
		}
	}
	if !strings.HasPrefix(d.Back, "/") || strings.HasPrefix(d.Back, "//") {
		d.Back = "/"
	}
	lang := Language(w, r)
	s.Render(w, r, http.StatusOK, "confirm", Page{Lang: lang, Title: c.Title, Actor: a, Data: d})
}
