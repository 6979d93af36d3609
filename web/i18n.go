package web

import (
	"net/http"
	"time"
)

// The user interface is Swedish first, with English available. Messages are
// kept here as data, keyed by a stable id; a missing English text falls back
// to Swedish, and a missing id shows itself so it is noticed in review.
var messages = map[string]map[string]string{
	"sv": {
		"lang.name":               "Svenska",
		"lang.switch":             "In English",
		"nav.skip":                "Till huvudinnehållet",
		"app.name":                "finsam",
		"app.tagline":             "Samordnad rehabilitering i socialförsäkringen",
		"start.title":             "finsam – samordnad rehabilitering",
		"start.lead":              "finsam är en öppen plattform där Försäkringskassan, Arbetsförmedlingen, regionerna och kommunerna samordnar rehabiliteringen för personer som är sjukskrivna och kan behöva stöd för att komma tillbaka till arbete.",
		"start.parts":             "Det här gör finsam",
		"start.rules.title":       "Regler som kod",
		"start.rules.text":        "Räknar ut var ett sjukfall står i rehabiliteringskedjan (dag 90, 180 och 365), ersättningsnivå och dagbelopp för varje dag sedan 2008 – med hänvisning till lagrummen.",
		"start.certs.title":       "Läkarintyg",
		"start.certs.text":        "Tar emot läkarintyg för sjukpenning (FK 7804), kontrollerar dem och gör om dem till sjukperioder.",
		"start.cases.title":       "Handläggning och samverkan",
		"start.cases.text":        "Handläggare ser sina ärenden, tidsgränser och tidiga varningar och gör en gemensam plan med de andra myndigheterna – bara med personens samtycke, och varje åtkomst loggas.",
		"start.assoc.title":       "Samordningsförbund",
		"start.assoc.text":        "Förbunden följer upp medlemmar och finansiering, insatser, deltagare och resultat och skriver årsredovisningar.",
		"start.available":         "Tillgängligt nu",
		"start.api":               "API-beskrivning (OpenAPI 3.1)",
		"start.status":            "Driftstatus",
		"start.synthetic":         "Den här installationen innehåller bara påhittade testuppgifter, inga riktiga personer.",
		"footer.text":             "finsam är öppen källkod.",
		"footer.version":          "Version",
		"error.title":             "Något gick fel",
		"error.reference":         "Referens",
		"error.home":              "Till startsidan",
		"err.not_found":           "Sidan finns inte. Kontrollera adressen.",
		"err.method_not_allowed":  "Sidan kan inte användas på det sättet.",
		"err.cross_origin_denied": "Begäran kom från en annan webbplats och stoppades av säkerhetsskäl. Gå till sidan och försök igen.",
		"err.internal":            "Ett oväntat fel inträffade. Försök igen om en stund. Kontakta supporten om felet kvarstår och ange referensen nedan.",
		"err.unavailable":         "Tjänsten är inte tillgänglig just nu. Försök igen om en stund.",
		"err.bad_request":         "Begäran kunde inte tolkas.",
	},
	"en": {
		"lang.name":               "English",
		"lang.switch":             "På svenska",
		"nav.skip":                "Skip to main content",
		"app.tagline":             "Coordinated rehabilitation in social insurance",
		"start.title":             "finsam – coordinated rehabilitation",
		"start.lead":              "finsam is an open platform where the Social Insurance Agency, the Public Employment Service, the regions and the municipalities coordinate rehabilitation for people on sick leave who may need support to return to work.",
		"start.parts":             "What finsam does",
		"start.rules.title":       "Rules as code",
		"start.rules.text":        "Computes where a sickness case stands in the rehabilitation chain (day 90, 180 and 365), the benefit level and the daily amount for any day since 2008 – with references to the law.",
		"start.certs.title":       "Medical certificates",
		"start.certs.text":        "Receives medical certificates for sickness benefit (FK 7804), checks them and turns them into sick-leave periods.",
		"start.cases.title":       "Case work and coordination",
		"start.cases.text":        "Case workers see their cases, deadlines and early warnings and make a joint plan with the other agencies – only with the person's consent, and every access is logged.",
		"start.assoc.title":       "Coordination associations",
		"start.assoc.text":        "Associations follow up members and financing, interventions (insatser), participants and outcomes, and write their yearly reports.",
		"start.available":         "Available now",
		"start.api":               "API description (OpenAPI 3.1)",
		"start.status":            "Service status",
		"start.synthetic":         "This installation holds synthetic test data only, no real persons.",
		"footer.text":             "finsam is open source.",
		"footer.version":          "Version",
		"error.title":             "Something went wrong",
		"error.reference":         "Reference",
		"error.home":              "To the start page",
		"err.not_found":           "The page does not exist. Check the address.",
		"err.method_not_allowed":  "The page cannot be used that way.",
		"err.cross_origin_denied": "The request came from another site and was stopped for security reasons. Go to the page and try again.",
		"err.internal":            "An unexpected error occurred. Try again in a while. Contact support if it persists and give the reference below.",
		"err.unavailable":         "The service is unavailable right now. Try again in a while.",
		"err.bad_request":         "The request could not be understood.",
	},
}

// apiMessages are the English developer-facing texts of API error codes.
var apiMessages = map[string]string{
	"not_found":           "no such resource",
	"method_not_allowed":  "method not allowed for this resource; see the Allow header",
	"cross_origin_denied": "cross-origin request refused",
	"internal":            "internal error; the request id identifies it in the server log",
	"unavailable":         "service unavailable",
	"bad_request":         "the request could not be parsed",
	"forbidden":           "not allowed for this user or token",
	"unauthenticated":     "authentication required: send an API token as 'Authorization: Bearer <token>'",
	"invalid_token":       "the API token is unknown, revoked or malformed",
	"too_large":           "request body too large",
}

// translate returns the text of id in lang.
func translate(lang, id string) string {
	if m, ok := messages[lang][id]; ok {
		return m
	}
	if m, ok := messages["sv"][id]; ok {
		return m
	}
	return id
}

// apiMessage is the English developer-facing message of an API error code.
func apiMessage(code string) string {
	if m, ok := apiMessages[code]; ok {
		return m
	}
	return code
}

const langCookie = "lang"

// language picks the page language: ?lang= (which also sets the cookie so
// the choice sticks), then the cookie, then Swedish.
func language(w http.ResponseWriter, r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "sv" || l == "en" {
		http.SetCookie(w, &http.Cookie{
			Name: langCookie, Value: l, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil,
		})
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == "sv" || c.Value == "en") {
		return c.Value
	}
	return "sv"
}
