package publicsite

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/website"
)

type eventsData struct {
	Upcoming []website.Event
}

// Events is GET /f/{site}/moten: the meetings and lectures to come.
func (s *Handlers) Events(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
		evs, err := store.Events(r.Context(), s.Store, ps.Org.ID, s.Now(), 200)
		if err != nil {
			return site.Unavailable("events", err)
		}
		return s.render(w, r, ps, http.StatusOK, "events", ps.T("pub.events.title"), ps.T("pub.events.lead"), eventsData{Upcoming: evs})
	})(w, r, a)
}

type eventData struct {
	Event     website.Event
	Seats     int // seats left; -1 without limit
	Waiting   int
	Past      bool
	Form      signupForm
	Area      []option
	Result    string // "confirmed" or "waiting" after a sign-up
	Retention int
}

type signupForm struct {
	Name, Email, Organisation, Role, Municipality, Attendance, Food, AccessNeeds string
	Problems                                                                     website.Problems
}

// For is the problem of a field, as a message id.
func (f signupForm) For(field string) string { return problemFor(f.Problems, field) }

func (s *Handlers) loadEvent(r *http.Request, ps *pubSite) (website.Event, error) {
	id, ok := site.PathID(r, "id")
	if !ok {
		return website.Event{}, site.NotFound()
	}
	e, err := store.EventByID(r.Context(), s.Store, ps.Org.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return e, site.NotFound()
	}
	if err != nil {
		return e, site.Unavailable("event", err)
	}
	return e, nil
}

// Event is GET /f/{site}/moten/{id}: one event with its sign-up form.
func (s *Handlers) Event(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
		res := r.URL.Query().Get("anmald")
		if res != "confirmed" && res != "waiting" {
			res = ""
		}
		return s.showEvent(w, r, ps, http.StatusOK, signupForm{Attendance: string(website.OnSite)}, res)
	})(w, r, a)
}

func (s *Handlers) showEvent(w http.ResponseWriter, r *http.Request, ps *pubSite, status int, form signupForm, result string) error {
	e, err := s.loadEvent(r, ps)
	if err != nil {
		return err
	}
	confirmed, waiting, err := store.EventSeats(r.Context(), s.Store, e.ID)
	if err != nil {
		return site.Unavailable("event seats", err)
	}
	d := eventData{Event: e, Seats: -1, Waiting: waiting, Past: e.Past(s.Now()), Form: form, Result: result, Retention: ps.Settings.RetentionDays}
	if e.Capacity > 0 {
		d.Seats = max(e.Capacity-confirmed, 0)
	}
	if e.Place == "" {
		d.Form.Attendance = string(website.Digital)
	}
	for _, c := range ps.Area {
		d.Area = append(d.Area, option{c, municipalityName(c), c == form.Municipality})
	}
	return s.render(w, r, ps, status, "event", e.Title, firstLine(e.Description), d)
}

// newToken is a cancellation token and the hash that is stored of it.
func newToken() (token, hash string) {
	var b [24]byte
	rand.Read(b[:])
	token = base64.RawURLEncoding.EncodeToString(b[:])
	return token, tokenHash(token)
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Signup is POST /f/{site}/moten/{id}/anmalan: a sign-up, confirmed while
// there are seats and on the waiting list after, confirmed by e-mail
// through the outbox with a link to cancel. The answer shows only the
// status of this sign-up, never anyone else's.
func (s *Handlers) Signup(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
		e, err := s.loadEvent(r, ps)
		if err != nil {
			return err
		}
		if err := site.ParseFormMax(w, r, 32<<10); err != nil {
			return err
		}
		f := r.PostForm
		form := signupForm{Name: f.Get("name"), Email: f.Get("email"), Organisation: f.Get("organisation"), Role: f.Get("role"),
			Municipality: f.Get("municipality"), Attendance: f.Get("attendance"), Food: f.Get("food"), AccessNeeds: f.Get("access_needs")}
		if f.Get("webbplats") != "" || !s.limiter.allow(r, s.Now()) {
			http.Redirect(w, r, ps.URL(fmt.Sprintf("/moten/%d", e.ID)), http.StatusSeeOther)
			return nil
		}
		su := website.Signup{EventID: e.ID, Name: form.Name, Email: form.Email, Organisation: form.Organisation, Role: form.Role,
			MunicipalityCode: form.Municipality, Attendance: website.Attendance(form.Attendance), Food: form.Food, AccessNeeds: form.AccessNeeds}
		token, hash := newToken()
		now := s.Now()
		err = s.Store.Tx(r.Context(), func(tx *store.Tx) error {
			var err error
			su, err = store.AddSignup(r.Context(), tx, ps.Org.ID, su, hash, now)
			if err != nil {
				return err
			}
			subject, body := signupMail(ps, e, su, ps.Abs("/avanmalan/"+token))
			return store.EnqueueMail(r.Context(), tx, ps.Org.ID, su.Email, subject, body, now)
		})
		var probs website.Problems
		if errors.As(err, &probs) {
			form.Problems = probs
			return s.showEvent(w, r, ps, http.StatusUnprocessableEntity, form, "")
		}
		if err != nil {
			return site.Unavailable("sign-up", err)
		}
		http.Redirect(w, r, ps.URL(fmt.Sprintf("/moten/%d?anmald=%s", e.ID, su.Status)), http.StatusSeeOther)
		return nil
	})(w, r, a)
}

// signupMail is the confirmation of a sign-up, in Swedish.
func signupMail(ps *pubSite, e website.Event, su website.Signup, cancel string) (subject, body string) {
	t := func(id string) string { return Messages.T("sv", id) }
	status := t("pub.mail.confirmed")
	if su.Status == website.Waiting {
		status = t("pub.mail.waiting")
	}
	subject = t("pub.mail.subject") + " " + e.Title
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s,\n\n%s\n\n%s\n%s %s\n", t("pub.mail.hello"), su.Name, status, e.Title,
		e.Starts.In(site.Stockholm).Format("2006-01-02 15:04"), placeText(e))
	fmt.Fprintf(&b, "\n%s\n%s\n\n%s %d %s\n\n%s\n", t("pub.mail.cancel"), cancel, t("pub.mail.retention"), ps.Settings.RetentionDays, t("pub.privacy.days"), ps.Org.Name)
	return subject, b.String()
}

func placeText(e website.Event) string {
	switch {
	case e.Place != "" && e.Online:
		return e.Place + " / digitalt"
	case e.Place != "":
		return e.Place
	}
	return "digitalt"
}

type cancelData struct {
	Token     string
	Event     website.Event
	Status    website.SignupStatus
	Cancelled bool
}

// CancelForm is GET /f/{site}/avanmalan/{token}: the cancellation the
// e-mail links to, confirmed with a button (a GET never changes
// anything: mail scanners follow links).
func (s *Handlers) CancelForm(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
		token := r.PathValue("token")
		su, err := store.SignupByToken(r.Context(), s.Store, ps.Org.ID, tokenHash(token))
		if errors.Is(err, store.ErrNotFound) {
			return site.NotFound()
		}
		if err != nil {
			return site.Unavailable("sign-up", err)
		}
		e, err := store.EventByID(r.Context(), s.Store, ps.Org.ID, su.EventID)
		if err != nil {
			return site.Unavailable("event", err)
		}
		w.Header().Set("Referrer-Policy", "no-referrer")
		return s.render(w, r, ps, http.StatusOK, "cancel", ps.T("pub.cancel.title"), "",
			cancelData{Token: token, Event: e, Status: su.Status, Cancelled: su.Status == website.Cancelled})
	})(w, r, a)
}

// Cancel is POST /f/{site}/avanmalan/{token}: cancels the sign-up; its
// seat goes to the first on the waiting list, who is told by e-mail.
func (s *Handlers) Cancel(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
		token := r.PathValue("token")
		now := s.Now()
		var e website.Event
		err := s.Store.Tx(r.Context(), func(tx *store.Tx) error {
			su, promoted, err := store.CancelSignup(r.Context(), tx, ps.Org.ID, tokenHash(token))
			if err != nil {
				return err
			}
			if e, err = store.EventByID(r.Context(), tx, ps.Org.ID, su.EventID); err != nil {
				return err
			}
			if promoted != nil {
				t := func(id string) string { return Messages.T("sv", id) }
				body := fmt.Sprintf("%s %s,\n\n%s\n\n%s\n%s %s\n\n%s\n", t("pub.mail.hello"), promoted.Name, t("pub.mail.promoted"), e.Title,
					e.Starts.In(site.Stockholm).Format("2006-01-02 15:04"), placeText(e), ps.Org.Name)
				return store.EnqueueMail(r.Context(), tx, ps.Org.ID, promoted.Email, t("pub.mail.subject")+" "+e.Title, body, now)
			}
			return nil
		})
		if errors.Is(err, store.ErrNotFound) {
			return site.NotFound()
		}
		if err != nil {
			return site.Unavailable("cancel sign-up", err)
		}
		return s.render(w, r, ps, http.StatusOK, "cancel", ps.T("pub.cancel.title"), "", cancelData{Event: e, Cancelled: true, Status: website.Cancelled})
	})(w, r, a)
}

// EventICS is GET /f/{site}/moten/{id}/ics: one event for a calendar.
func (s *Handlers) EventICS(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
		e, err := s.loadEvent(r, ps)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="mote-%d.ics"`, e.ID))
		return s.writeCached(w, r, http.StatusOK, "text/calendar; charset=utf-8", []byte(ics(ps, []website.Event{e}, s.Now())), 300)
	})(w, r, a)
}

// Calendar is GET /f/{site}/moten.ics: every event to come, as a feed a
// calendar can subscribe to.
func (s *Handlers) Calendar(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
		evs, err := store.Events(r.Context(), s.Store, ps.Org.ID, s.Now().AddDate(0, -1, 0), 500)
		if err != nil {
			return site.Unavailable("events", err)
		}
		return s.writeCached(w, r, http.StatusOK, "text/calendar; charset=utf-8", []byte(ics(ps, evs, s.Now())), 300)
	})(w, r, a)
}

// ics writes events as iCalendar (RFC 5545): lines folded at 75 octets,
// text escaped, times in UTC.
func ics(ps *pubSite, evs []website.Event, now time.Time) string {
	var b strings.Builder
	line := func(s string) {
		for len(s) > 75 {
			cut := 75
			for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
				cut--
			}
			b.WriteString(s[:cut] + "\r\n")
			s = " " + s[cut:]
		}
		b.WriteString(s + "\r\n")
	}
	esc := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`, "\r", "")
	stamp := func(t time.Time) string { return t.UTC().Format("20060102T150405Z") }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//finsam//" + ps.Org.Slug + "//SV")
	line("CALSCALE:GREGORIAN")
	line("X-WR-CALNAME:" + esc.Replace(ps.Org.Name))
	for _, e := range evs {
		line("BEGIN:VEVENT")
		line(fmt.Sprintf("UID:event-%d@%s.finsam", e.ID, ps.Org.Slug))
		line("DTSTAMP:" + stamp(now))
		line("DTSTART:" + stamp(e.Starts))
		line("DTEND:" + stamp(e.Ends))
		line("SUMMARY:" + esc.Replace(e.Title))
		line("LOCATION:" + esc.Replace(placeText(e)))
		line("DESCRIPTION:" + esc.Replace(e.Description))
		line("URL:" + ps.Abs(fmt.Sprintf("/moten/%d", e.ID)))
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return b.String()
}
