package web

import (
	"net/http"

	"github.com/finsam/finsam/policy"
)

// registerPublicSiteRoutes declares the routes of package web/publicsite;
// it is part of the route table in routes.go.
func (s *Server) registerPublicSiteRoutes() {
	pub := s.features.publicsite
	get := func(pattern string, h func(w http.ResponseWriter, r *http.Request, a *actor) error) {
		s.route(KindPage, "GET "+pattern, policy.Public, s.readsRoute(h))
	}
	post := func(pattern string, h func(w http.ResponseWriter, r *http.Request, a *actor) error) {
		s.route(KindPage, "POST "+pattern, policy.Public, h)
	}
	get("/f/{site}/{$}", pub.Start)
	get("/f/{site}/aktivitetskatalogen", pub.Catalogue)
	get("/f/{site}/aktivitetskatalogen/{id}", pub.Insats)
	get("/f/{site}/aktivitetskatalogen/{id}/utskrift", pub.InsatsPrint)
	post("/f/{site}/aktivitetskatalogen/{id}/intresse", pub.Interest)
	get("/f/{site}/projekt", pub.Projects)
	get("/f/{site}/natverket", pub.Network)
	get("/f/{site}/moten", pub.Events)
	get("/f/{site}/moten.ics", pub.Calendar)
	get("/f/{site}/moten/{id}", pub.Event)
	get("/f/{site}/moten/{id}/ics", pub.EventICS)
	post("/f/{site}/moten/{id}/anmalan", pub.Signup)
	get("/f/{site}/avanmalan/{token}", pub.CancelForm)
	post("/f/{site}/avanmalan/{token}", pub.Cancel)
	get("/f/{site}/nyheter", pub.News)
	get("/f/{site}/nyheter.xml", pub.Feed)
	get("/f/{site}/nyheter/{slug}", pub.NewsItem)
	get("/f/{site}/sida/{slug}", pub.Page)
	get("/f/{site}/sida/{slug}/lattlast", pub.EasyPage)
	get("/f/{site}/sok", pub.Search)
	get("/f/{site}/sitemap.xml", pub.Sitemap)
	get("/f/{site}/robots.txt", pub.Robots)
	get("/f/{site}/tillganglighet", pub.Statement)
	get("/f/{site}/integritet", pub.Privacy)
	get("/f/{site}/rapportera", pub.ReportForm)
	post("/f/{site}/rapportera", pub.Report)
	get("/f/{site}/{rest...}", pub.NotFound)

	// Editing, by the association's staff.
	staff := func(method, pattern string, h func(w http.ResponseWriter, r *http.Request, a *actor) error) {
		s.route(KindPage, method+" /forbund/{slug}/webb"+pattern, policy.ManageAssociation, h)
	}
	staff("GET", "", pub.Overview)
	staff("POST", "/installningar", pub.SaveSettings)
	staff("POST", "/natverket", pub.AddNetworkOrg)
	staff("GET", "/intresse", pub.Interests)
	staff("POST", "/intresse/{interestID}/klar", pub.InterestDone)
	staff("GET", "/katalog/{insatsID}", pub.Entry)
	staff("POST", "/katalog/{insatsID}", pub.SaveEntry)
	staff("GET", "/sidor/ny", pub.NewPage)
	staff("POST", "/sidor/ny", pub.SavePage)
	staff("GET", "/sidor/{pageID}", pub.EditPage)
	staff("POST", "/sidor/{pageID}", pub.SavePage)
	staff("POST", "/sidor/{pageID}/aterstall", pub.RestorePage)
	staff("GET", "/moten/ny", pub.NewEvent)
	staff("POST", "/moten/ny", pub.SaveEvent)
	staff("GET", "/moten/{eventID}", pub.EditEvent)
	staff("POST", "/moten/{eventID}", pub.SaveEvent)
	staff("GET", "/moten/{eventID}/anmalningar.csv", pub.SignupsCSV)
}
