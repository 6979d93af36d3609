package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/website"
)

// The demo association's public website, Finsam Gotland's menu with
// pages and news, the catalogue (the demo insatser and some twenty more),
// ten meetings and lectures and a network of fifteen organisations. All
// text is written for the demo; the organisations of the network are
// made up.

// WebsiteLoaded says what LoadWebsite loaded.
type WebsiteLoaded struct {
	Catalogue, Pages, News, Events, Network, Images int
}

// LoadWebsite adds the demo association's public site to a database that
// holds the association's data (LoadAssociation). now is the time of
// loading: events are laid out around it.
func LoadWebsite(ctx context.Context, st *store.Store, now time.Time) (WebsiteLoaded, error) {
	var out WebsiteLoaded
	err := st.Tx(ctx, func(tx *store.Tx) error {
		org, err := store.OrganisationBySlug(ctx, tx, OperatorOrg)
		if err != nil {
			return err
		}
		ids := map[string]int64{}
		for _, slug := range []string{"fk", "af", "region-gotland", "gotlands-kommun"} {
			o, err := store.OrganisationBySlug(ctx, tx, slug)
			if err != nil {
				return err
			}
			ids[slug] = o.ID
		}
		w := &webLoader{tx: tx, assoc: org.ID, ids: ids, now: now, today: certificate.SwedishDate(now)}
		for _, step := range []func(context.Context) error{w.settings, w.insatser, w.catalogue, w.pages, w.events, w.network} {
			if err := step(ctx); err != nil {
				return err
			}
		}
		out = w.loaded
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("demo website: %w", err)
	}
	return out, nil
}

type webLoader struct {
	tx     *store.Tx
	assoc  int64
	ids    map[string]int64
	now    time.Time
	today  civil.Date
	loaded WebsiteLoaded
}

func (w *webLoader) settings(ctx context.Context) error {
	s := website.DefaultSettings()
	s.Enabled = true
	s.ContactEmail = "kansli@finsam-gotland.example"
	s.Intro = "Samordningsförbundet Gotland är ett samarbete mellan **Försäkringskassan**, **Arbetsförmedlingen**, **Region Gotland** och **Gotlands kommun**. " +
		"Tillsammans finansierar vi insatser för dig som behöver stöd från flera håll för att kunna arbeta eller studera.\n\n" +
		"Här hittar du aktiviteter du kan delta i, våra projekt, möten och föreläsningar och nätverket av organisationer runt oss."
	s.Statement = website.Statement{Compliance: "partial", Method: "self", AssessedOn: "2026-11-01", UpdatedOn: "2026-11-15",
		FeedbackEmail: "webb@finsam-gotland.example",
		Inaccessible: "- Några äldre dokument (PDF) som vi länkar till är inte tillgänglighetsanpassade. Vi byter ut dem under våren.\n" +
			"- Filmer från Finsamdagen saknar syntolkning."}
	return store.SaveSiteSettings(ctx, w.tx, w.assoc, s, w.now)
}

// extra are the insatser the catalogue shows beside the association's
// own demo insatser: name, description, target group, responsible party,
// place and situation.
var extra = []struct {
	name, desc, target, resp, place string
	situation                       website.Situation
	self                            bool
	ageMin, ageMax                  int
}{
	{"Friskvård och arbete", "Fysisk aktivitet två gånger i veckan kombinerad med samtal om vägen tillbaka till arbete.", "Sjukskrivna som vill komma igång med rörelse.", "region-gotland", "Visby", website.SituationSickLeave, true, 20, 64},
	{"Jobbspåret Visby", "Yrkesintroduktion i handel och lager med handledare på arbetsplatsen.", "Arbetssökande som behöver praktisk erfarenhet.", "af", "Visby", website.SituationUnemployed, false, 18, 64},
	{"Studiecirkel: Min ekonomi", "Vardagsekonomi, budget och kontakt med myndigheter i liten grupp.", "Personer med försörjningsstöd.", "gotlands-kommun", "Hemse", website.SituationIncomeSupport, true, 18, 64},
	{"Ungdomsguiden", "En guide som följer med till möten med skola, vård och arbetsförmedling.", "Unga som varken arbetar eller studerar.", "gotlands-kommun", "Slite", website.SituationYoung, true, 16, 29},
	{"Samhällsorientering i praktiken", "Studiebesök hos arbetsgivare och myndigheter, med tolk vid behov.", "Nyanlända som vill lära känna arbetslivet på Gotland.", "af", "Visby", website.SituationNewlyArrived, false, 18, 64},
	{"Mående och vardag", "Gruppträffar om sömn, stress och struktur med stöd av arbetsterapeut.", "Personer med lindrig eller måttlig psykisk ohälsa.", "region-gotland", "Visby", website.SituationMentalHealth, true, 18, 64},
	{"Arbetsträning i café", "Arbetsträning i ett kafé med anpassade uppgifter och arbetstider.", "Personer med funktionsnedsättning som vill pröva arbete.", "gotlands-kommun", "Roma", website.SituationDisability, false, 18, 64},
	{"Digital kompetens", "Grundkurs i dator, mobil och e-tjänster för jobbsök.", "Arbetssökande som behöver digital vana.", "af", "Hemse", website.SituationUnemployed, true, 18, 64},
	{"Återgång i arbete med stöd", "Rehabkoordinator och arbetsgivare planerar en stegvis återgång.", "Sjukskrivna med en anställning.", "region-gotland", "Visby", website.SituationSickLeave, false, 20, 64},
	{"Hälsa och arbete för nyanlända", "Hälsosamtal och arbetsträning i kombination.", "Nyanlända med försörjningsstöd.", "gotlands-kommun", "Visby", website.SituationNewlyArrived, false, 20, 60},
	{"Sommarjobb med stöd", "Sommarjobb hos kommunen med extra handledning.", "Unga med funktionsnedsättning.", "gotlands-kommun", "Visby", website.SituationYoung, true, 16, 24},
	{"Kartläggning och vägledning", "Samlad kartläggning av förmågor och intressen, med studie- och yrkesvägledare.", "Personer som står långt från arbetsmarknaden.", "af", "Slite", website.SituationIncomeSupport, false, 20, 64},
	{"Peer support – stöd av någon som varit där", "Samtal med en stödperson som själv har erfarenhet av sjukskrivning.", "Sjukskrivna som känner sig ensamma i processen.", "fk", "Visby", website.SituationSickLeave, true, 20, 64},
	{"Grön rehabilitering", "Trädgårdsarbete och natur som väg tillbaka till vardag och arbete.", "Personer med psykisk ohälsa eller utmattning.", "region-gotland", "Klintehamn", website.SituationMentalHealth, false, 20, 64},
	{"Språkcafé och praktik", "Samtal på svenska varje vecka och praktik hos lokala företag.", "Utrikes födda som vill träna svenska.", "af", "Hemse", website.SituationNewlyArrived, true, 18, 64},
	{"Arbetsgivarstöd vid anställning", "Stöd till arbetsgivare som anställer någon med funktionsnedsättning.", "Arbetsgivare och nyanställda.", "af", "", website.SituationDisability, false, 0, 0},
	{"Utbildning för handläggare: samordnad rehabilitering", "Gemensam utbildning om parternas uppdrag och regelverk.", "Handläggare hos förbundets parter.", "fk", "Visby", website.SituationStaff, false, 0, 0},
	{"Motivationsgrupp", "Tio träffar om mål, styrkor och nästa steg.", "Personer med försörjningsstöd som vill börja planera.", "gotlands-kommun", "Visby", website.SituationIncomeSupport, true, 18, 64},
}

func (w *webLoader) insatser(ctx context.Context) error {
	for i, e := range extra {
		resp := w.ids[e.resp]
		parties := []int64{resp}
		for _, p := range []string{"fk", "af", "gotlands-kommun"} {
			if w.ids[p] != resp {
				parties = append(parties, w.ids[p])
				break
			}
		}
		start, _ := civil.New(w.today.Year()-1-i%3, 1+i%12, 1)
		status := association.InsatsOngoing
		if i%7 == 6 {
			start, _ = civil.New(w.today.Year()+1, 1+i%12, 1)
			status = association.InsatsPlanned
		}
		in, err := store.CreateInsats(ctx, w.tx, association.Insats{AssociationID: w.assoc, Name: e.name, Description: e.desc, TargetGroup: e.target,
			Kind: association.Individual, ResponsibleOrgID: resp, PartyOrgIDs: parties, Start: start, Planned: 10 + i,
			FollowUp: association.FollowUpCounts, Status: status, Public: true}, w.now)
		if err != nil {
			return fmt.Errorf("insats %s: %w", e.name, err)
		}
		entry := website.NewEntry(in.ID)
		entry.MunicipalityCode, entry.Place, entry.Situation, entry.AgeMin, entry.AgeMax = "0980", e.place, e.situation, e.ageMin, e.ageMax
		if e.self {
			entry.EntryRoute = website.EntryBoth
		}
		entry.FreePlaces, entry.WaitingWeeks = i%5, (i%4)*2
		entry.Accessibility = "Lokalen är tillgänglig med rullstol. Hörslinga finns."
		entry.ContactName, entry.ContactPhone, entry.ContactEmail = "Kontaktperson (demo)", fmt.Sprintf("0498-00 00 %02d", i), "insatser@finsam-gotland.example"
		if err := store.SaveCatalogueEntry(ctx, w.tx, w.assoc, entry, w.now); err != nil {
			return fmt.Errorf("catalogue %s: %w", e.name, err)
		}
		w.loaded.Catalogue++
	}
	return nil
}

// catalogue gives the association's own demo insatser their catalogue
// details.
func (w *webLoader) catalogue(ctx context.Context) error {
	ins, err := store.Insatser(ctx, w.tx, store.InsatsQuery{AssociationID: w.assoc, PublicOnly: true})
	if err != nil {
		return err
	}
	sits := map[string]website.Situation{"Skarphäll": website.SituationYoung, "Vägen vidare Gotland": website.SituationSickLeave,
		"Steget före": website.SituationIncomeSupport, "Språk och arbete Gotland": website.SituationNewlyArrived,
		"Arbetslivsinriktad rehabilitering i primärvården": website.SituationSickLeave, "IPS Gotland – individanpassat stöd till arbete": website.SituationMentalHealth,
		"Unga i rörelse – södra Gotland": website.SituationYoung}
	for _, in := range ins {
		if in.Kind != association.Individual || in.FollowUp != association.FollowUpIndividual {
			if in.Kind == association.Structural {
				e := website.NewEntry(in.ID)
				e.Situation = website.SituationStaff
				if err := store.SaveCatalogueEntry(ctx, w.tx, w.assoc, e, w.now); err != nil {
					return err
				}
				w.loaded.Catalogue++
			}
			continue
		}
		e := website.NewEntry(in.ID)
		e.MunicipalityCode, e.Situation, e.Place = "0980", sits[in.Name], "Gotland"
		e.FreePlaces, e.WaitingWeeks = 2, 4
		e.Cost = ""
		e.Contents = "Du träffar en handledare varje vecka och gör upp en plan tillsammans. Insatsen är frivillig."
		e.ContactName, e.ContactEmail = "Förbundets kansli", "kansli@finsam-gotland.example"
		if err := store.SaveCatalogueEntry(ctx, w.tx, w.assoc, e, w.now); err != nil {
			return err
		}
		w.loaded.Catalogue++
	}
	return nil
}

func (w *webLoader) pages(ctx context.Context) error {
	coast, err := w.siteImage(ctx, drawCoast(), "Tecknad kust med grön ö, sol och en kalkstensklippa i havet")
	if err != nil {
		return err
	}
	gathering, err := w.siteImage(ctx, drawGathering(), "Tecknade deltagare runt ett bord på Finsamdagen")
	if err != nil {
		return err
	}
	w.loaded.Images = 2
	at := w.now.Add(-30 * 24 * time.Hour)
	pages := []website.Page{
		{Kind: website.KindPage, Title: "Finsam på Gotland", MenuOrder: 10, Summary: "Vad förbundet gör och vilka som står bakom.",
			Body: "## Vilka vi är\n\nFörbundet bildades för att myndigheterna på Gotland ska kunna arbeta tillsammans kring människor som behöver stöd från flera håll.\n\n" +
				"## Hur det fungerar\n\nFörsäkringskassan betalar hälften, Region Gotland en fjärdedel och kommunen en fjärdedel (lag 2003:1210). Styrelsen beslutar vilka insatser som finansieras.",
			EasyBody: "Förbundet hjälper människor som behöver stöd för att kunna arbeta.\n\nFyra myndigheter arbetar tillsammans: Försäkringskassan, Arbetsförmedlingen, Region Gotland och kommunen."},
		{Kind: website.KindPage, Title: "Tips och råd", MenuOrder: 60, Summary: "Råd till dig som är sjukskriven eller söker arbete.",
			Body: "- Fråga din handläggare om arbetsträning.\n- Be om ett avstämningsmöte om du har kontakt med flera myndigheter.\n- Titta i [aktivitetskatalogen](/f/finsam-gotland/aktivitetskatalogen)."},
		{Kind: website.KindPage, Title: "På arbetsplatsen", MenuOrder: 70, Summary: "Stöd till arbetsgivare.",
			Body: "Som arbetsgivare kan du få stöd när en medarbetare är sjukskriven eller när du anställer någon som behöver anpassningar."},
		{Kind: website.KindPage, Title: "(H)järnkoll", MenuOrder: 75, Summary: "Om att minska fördomar kring psykisk ohälsa.",
			Body: "Vi samarbetar med ambassadörer som berättar om egen erfarenhet av psykisk ohälsa på arbetsplatser och i skolor."},
		{Kind: website.KindPage, Title: "Almedalen", MenuOrder: 80, Summary: "Förbundet under Almedalsveckan.",
			Body: "Varje sommar ordnar förbundet ett seminarium om samverkan och arbete under Almedalsveckan i Visby.\n\n" + coast.Markdown()},
	}
	for _, p := range pages {
		p.PublishAt = &at
		if _, err := store.SavePage(ctx, w.tx, w.assoc, p, "Demo", w.now); err != nil {
			return fmt.Errorf("page %s: %w", p.Title, err)
		}
		w.loaded.Pages++
	}
	future := w.now.Add(7 * 24 * time.Hour)
	news := []struct {
		title, summary, body string
		daysAgo              int
	}{
		{"Nu startar Unga i rörelse", "En ny insats för unga på södra Gotland.", "Insatsen startar i Hemse och Burgsvik med uppsökande arbete och gruppaktiviteter.", 3},
		{"Rekordmånga på Finsamdagen", "Över hundra deltagare från parterna.", "Årets Finsamdag handlade om arbetsträning och samverkan kring unga.\n\n" + gathering.Markdown(), 20},
		{"Verksamhetsplan för nästa år", "Styrelsen har antagit verksamhetsplanen.", "Fokus ligger på unga, psykisk hälsa och arbetsgivarsamverkan.", 40},
		{"Ny rehabkoordinator i Slite", "Vårdcentralen i Slite har fått en rehabkoordinator.", "Koordinatorn arbetar med tidiga insatser för sjukskrivna patienter.", 60},
	}
	for _, n := range news {
		at := w.now.Add(-time.Duration(n.daysAgo) * 24 * time.Hour)
		if _, err := store.SavePage(ctx, w.tx, w.assoc, website.Page{Kind: website.KindNews, Title: n.title, Summary: n.summary, Body: n.body, PublishAt: &at}, "Demo", w.now); err != nil {
			return err
		}
		w.loaded.News++
	}
	// One news item waits for its publishing time, one is a draft.
	if _, err := store.SavePage(ctx, w.tx, w.assoc, website.Page{Kind: website.KindNews, Title: "Inbjudan till Almedalen", Body: "Kommer snart.", PublishAt: &future}, "Demo", w.now); err != nil {
		return err
	}
	_, err = store.SavePage(ctx, w.tx, w.assoc, website.Page{Kind: website.KindNews, Title: "Utkast om budget", Body: "Ej klar."}, "Demo", w.now)
	return err
}

func (w *webLoader) events(ctx context.Context) error {
	day := time.Date(w.now.Year(), w.now.Month(), w.now.Day(), 0, 0, 0, 0, time.UTC)
	evs := []struct {
		title, desc, speaker, place string
		days, hour, hours, capacity int
		online                      bool
	}{
		{"Frukostmöte: arbetsträning som fungerar", "Erfarenheter från Skarphäll och Steget före.", "Projektledare från kommunen", "Visby, Kapitelhusgården", 7, 8, 2, 40, true},
		{"Föreläsning: psykisk ohälsa på arbetsplatsen", "Om att upptäcka och stötta i tid.", "Psykolog, Region Gotland", "Visby, Almedalsbiblioteket", 14, 13, 2, 2, true},
		{"Nätverksträff för arbetsgivare", "Träffa andra arbetsgivare som tar emot praktikanter.", "Arbetsgivarnätverk Gotland", "Hemse, Folkets hus", 21, 15, 2, 30, false},
		{"Utbildning: försäkringsmedicin för handläggare", "Grunderna i sjukskrivningsprocessen.", "Försäkringsmedicinsk rådgivare", "", 28, 9, 3, 0, true},
		{"Finsamdagen", "Årets konferens för parternas medarbetare.", "Flera talare", "Visby, Wisby Strand", 45, 9, 7, 150, true},
		{"Informationsmöte: Unga i rörelse", "Vad insatsen erbjuder och hur man hänvisar.", "Kommunens ungdomsteam", "Burgsvik, skolan", 10, 17, 1, 25, false},
		{"Webbinarium: IPS-metoden", "Individanpassat stöd till arbete i praktiken.", "Arbetsspecialist", "", 35, 10, 1, 0, true},
		{"Styrelsens öppna möte", "Förbundets styrelse redovisar året.", "Styrelsens ordförande", "Visby, Region Gotlands hus", 60, 14, 2, 50, false},
		{"Frukostmöte: samverkansteam", "Så fungerar gemensam kartläggning.", "Samverkansteam Gotland", "Visby, Kapitelhusgården", -14, 8, 2, 40, false},
		{"Föreläsning: stress och återhämtning", "Om utmattning och vägen tillbaka.", "Företagshälsovården (demo)", "Slite, biblioteket", -30, 18, 2, 60, true},
	}
	for _, e := range evs {
		start := day.AddDate(0, 0, e.days).Add(time.Duration(e.hour-1) * time.Hour) // hour in Swedish winter time
		if _, err := store.SaveEvent(ctx, w.tx, w.assoc, website.Event{Title: e.title, Description: e.desc, Speaker: e.speaker, Place: e.place,
			Online: e.online, Capacity: e.capacity, Starts: start, Ends: start.Add(time.Duration(e.hours) * time.Hour)}, w.now); err != nil {
			return fmt.Errorf("event %s: %w", e.title, err)
		}
		w.loaded.Events++
	}
	return nil
}

func (w *webLoader) network(ctx context.Context) error {
	orgs := []struct{ name, kind, desc string }{
		{"Föreningen Fontänhuset Gotland (demo)", "Förening", "Klubbhus för personer med psykisk ohälsa, med arbetsinriktade enheter."},
		{"Gotlands idrottsförbund (demo)", "Förening", "Friskvård och föreningsliv som väg till gemenskap."},
		{"Studieförbundet Gotland (demo)", "Studieförbund", "Studiecirklar och kurser i hela länet."},
		{"Företagarna Gotland (demo)", "Näringsliv", "Företag som tar emot praktikanter."},
		{"Hushållningssällskapet (demo)", "Förening", "Gröna arbetsplatser och arbetsträning på landsbygden."},
		{"Röda korset Visby (demo)", "Ideell organisation", "Språkcafé och stöd till nyanlända."},
		{"Stadsmissionen Gotland (demo)", "Ideell organisation", "Stöd till personer i utsatthet."},
		{"Folkhögskolan på Gotland (demo)", "Utbildning", "Allmän kurs och yrkesutbildning med stöd."},
		{"Ungdomsmottagningen (demo)", "Region", "Samtal och stöd för unga upp till 25 år."},
		{"Arbetsmarknadsenheten (demo)", "Kommun", "Kommunens arbetsmarknadsinsatser."},
		{"Vuxenutbildningen (demo)", "Kommun", "Studier på grund- och gymnasienivå."},
		{"Brukarrådet psykiatri (demo)", "Brukarorganisation", "Brukarnas röst i psykiatrins utveckling."},
		{"Funktionsrätt Gotland (demo)", "Brukarorganisation", "Samarbete mellan funktionsrättsföreningar."},
		{"Gotlands kyrkliga samverkan (demo)", "Ideell organisation", "Samtalsstöd och mötesplatser."},
		{"Besöksnäringens nätverk (demo)", "Näringsliv", "Säsongsarbete och praktik i besöksnäringen."},
	}
	for i, o := range orgs {
		if _, err := store.SaveNetworkOrg(ctx, w.tx, w.assoc, website.Organisation{Name: o.name, Kind: o.kind, Description: o.desc,
			MunicipalityCode: "0980", Sort: i + 1}); err != nil {
			return err
		}
		w.loaded.Network++
	}
	return nil
}
