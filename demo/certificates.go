package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/intake"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
)

// careUnit is a care unit of Region Gotland in the demo. The HSA-ids are
// made up (a fictitious organisation number with a valid check digit) and
// marked DEMO in their local part.
type careUnit struct {
	hsaID, name string
	doctors     []string
}

// demoCareProviderHSA is Region Gotland's care provider HSA-id in the demo.
var demoCareProviderHSA = hsaID("232100000", "DEMO")

var careUnits = []careUnit{
	{hsaID("232100000", "DEMO-HC-VISBY"), "Hälsocentralen Visby (demo)", []string{"Doktor Anna Ask (demo)", "Doktor Bo Björk (demo)"}},
	{hsaID("232100000", "DEMO-HC-HEMSE"), "Hälsocentralen Hemse (demo)", []string{"Doktor Cilla Ceder (demo)"}},
	{hsaID("232100000", "DEMO-ORTOPED"), "Visby lasarett, ortopedmottagningen (demo)", []string{"Doktor David Dal (demo)", "Doktor Eva Ek (demo)"}},
	{hsaID("232100000", "DEMO-PSYKIATRI"), "Vuxenpsykiatrin Visby (demo)", []string{"Doktor Fia Fur (demo)"}},
}

// hsaID makes an HSA-id: "SE" + a ten-digit organisation number (nine
// digits and a Luhn check digit) + "-" + a local id.
func hsaID(nine, local string) string {
	return fmt.Sprintf("SE%s%d-%s", nine, personnummer.CheckDigit(nine), local)
}

// diagnosisProfile is a diagnosis with what a doctor would write about it,
// well and poorly, and typical sick-leave lengths.
type diagnosisProfile struct {
	code, text       string
	impairment       string
	limitation       string
	vagueLimitation  string
	days             []int
	partial          bool // often part-time
	unitPreferred    int  // index into careUnits
	treatment        string
	prognosisUnclear bool
}

var diagnosisProfiles = []diagnosisProfile{
	{"F32.1", "Medelsvår depressiv episod",
		"Nedstämdhet, energibrist och koncentrationssvårigheter; sover dåligt. Uttalad trötthet under dagen.",
		"På grund av koncentrationssvårigheterna och tröttheten klarar patienten inte att hålla fokus i arbetsuppgifter som kräver planering mer än kortare stunder, och orkar inte ta emot kunder eller delta i möten.",
		"Depression.", []int{28, 30, 60, 90}, true, 3, "Samtalsbehandling och antidepressiv medicinering.", false},
	{"F43.8A", "Utmattningssyndrom",
		"Kognitiv trötthet, nedsatt minne och koncentration, ljud- och ljuskänslighet.",
		"Den kognitiva tröttheten gör att patienten inte kan utföra arbete med tidspress eller många samtidiga uppgifter; klarar högst några timmars lugnt arbete per dag.",
		"Trött.", []int{30, 60, 90, 120}, true, 0, "Stödsamtal och gradvis ökad aktivitet.", true},
	{"M54.5", "Lumbago",
		"Smärta i ländryggen med nedsatt rörlighet vid framåtböjning.",
		"Smärtan och den nedsatta rörligheten gör att patienten inte kan lyfta mer än 5 kg eller arbeta framåtböjd, vilket arbetet kräver.",
		"Ryggont.", []int{7, 14, 21}, false, 1, "Fysioterapi.", false},
	{"M54.4", "Lumbago med ischias",
		"Utstrålande smärta i höger ben, nedsatt känsel på fotryggen.",
		"På grund av den utstrålande smärtan kan patienten inte sitta eller stå stilla mer än 20 minuter åt gången och inte köra lastbil.",
		"Ischias.", []int{14, 21, 42}, false, 1, "Smärtlindring och fysioterapi.", false},
	{"F33.1", "Recidiverande depression, medelsvår episod",
		"Nedstämdhet, initiativlöshet och sömnstörning.",
		"Initiativlösheten och sömnstörningen medför att patienten inte klarar kontakt med allmänheten eller eget ansvar för ärenden; behöver tydlig struktur och kortare arbetsdagar.",
		"Se diagnos.", []int{30, 60, 90}, true, 3, "Fortsatt psykiatrisk behandling.", true},
	{"S82.6", "Fraktur på laterala malleolen",
		"Gipsad fotled efter fraktur; får inte belasta foten och går med kryckor.",
		"Eftersom foten inte får belastas kan patienten inte gå eller stå i arbetet som lagerarbetare.",
		"Fraktur.", []int{28, 42}, false, 2, "Gips i sex veckor, därefter fysioterapi.", false},
}

var workMeasureSets = [][]string{
	{"ARBETSANPASSNING"}, {"ARBETSTRANING", "KONTAKT_FHV"}, {"EJ_AKTUELLT"}, {"OMFORDELNING", "ARBETSANPASSNING"}, {"SOKA_NYTT_ARBETE"},
}

var occupations = []string{"Undersköterska", "Lärare", "Lagerarbetare", "Handläggare på kommunen", "Snickare", "Butiksbiträde", "Sjuksköterska", "Lastbilschaufför"}

// Certificates generates n FK 7804 certificates from Region Gotland's care
// units, signed between from and to, for the given persons, of varied
// quality: most complete and specific, some with the weaknesses FK's own
// reviews found most often (a vague activity limitation, no FMB
// motivation for a long sick leave, a start far back without a reason, no
// examination). The same seed gives the same certificates.
func Certificates(seed uint64, n int, persons []Person, from, to time.Time) []certificate.Certificate {
	rng := rand.New(rand.NewPCG(seed, 0x6365727473))
	span := int(to.Sub(from).Hours()/24) + 1
	out := make([]certificate.Certificate, n)
	for i := range out {
		p := persons[rng.IntN(len(persons))]
		d := diagnosisProfiles[rng.IntN(len(diagnosisProfiles))]
		unit := careUnits[d.unitPreferred]
		if rng.IntN(4) == 0 {
			unit = careUnits[rng.IntN(len(careUnits))]
		}
		signed := from.AddDate(0, 0, rng.IntN(span)).Add(time.Duration(8+rng.IntN(9))*time.Hour + time.Duration(rng.IntN(60))*time.Minute)
		signedDay := certificate.DateOf(signed)
		start := signedDay
		if rng.IntN(10) == 0 {
			start = signedDay.AddDays(-(7 + rng.IntN(10))) // started well before signing
		}
		length := d.days[rng.IntN(len(d.days))]
		out[i] = buildCertificate(rng, fmt.Sprintf("demo-%08x-%06d", seed&0xffffffff, i), p.Personnummer, d, unit, gotlandProvider,
			signed, signedDay, start, length)
	}
	return out
}

// careProvider is the region that sends certificates and the prefix of its
// HSA-ids.
type careProvider struct{ hsaPrefix, hsaID, name string }

var gotlandProvider = careProvider{"232100000", demoCareProviderHSA, "Region Gotland (demo)"}

// buildCertificate writes a certificate of diagnosis d from unit, signed
// at signed, for sick leave of length days from start, of the varied
// quality Certificates describes.
func buildCertificate(rng *rand.Rand, id string, pnr personnummer.Number, d diagnosisProfile, unit careUnit, prov careProvider,
	signed time.Time, signedDay, start certificate.Date, length int) certificate.Certificate {
	c := certificate.Certificate{
		ID:       id,
		Version:  "1.3", // lisjp v1, as Webcert sends it
		SignedAt: signed.UTC(),
		Patient:  certificate.Patient{Personnummer: string(pnr)},
		Issuer: certificate.Issuer{HSAID: hsaID(prov.hsaPrefix, fmt.Sprintf("DEMO-LAK%02d", rng.IntN(20))), Name: unit.doctors[rng.IntN(len(unit.doctors))],
			UnitHSAID: unit.hsaID, UnitName: unit.name, CareProviderHSAID: prov.hsaID, CareProviderName: prov.name},
		Basis:                []certificate.Basis{{Type: "UNDERSOKNING", Date: signedDay}},
		Occupation:           []string{"NUVARANDE_ARBETE"},
		CurrentWork:          occupations[rng.IntN(len(occupations))],
		Diagnoses:            []certificate.Diagnosis{{Code: d.code, Text: d.text}},
		FunctionalImpairment: d.impairment,
		ActivityLimitation:   d.limitation,
		OngoingTreatment:     d.treatment,
		Prognosis:            &certificate.Prognosis{Type: "STOR_SANNOLIKHET"},
		WorkMeasures:         workMeasureSets[rng.IntN(len(workMeasureSets))],
	}
	// Sick leave: full time, or full then half, or part-time throughout.
	switch {
	case d.partial && rng.IntN(2) == 0 && length >= 28:
		mid := start.AddDays(length/2 - 1)
		c.SickLeave = []certificate.SickLeave{{Degree: "HELT_NEDSATT", From: start, To: mid}, {Degree: "HALFTEN", From: mid.AddDays(1), To: start.AddDays(length - 1)}}
	case d.partial && rng.IntN(3) == 0:
		c.SickLeave = []certificate.SickLeave{{Degree: "TRE_FJARDEDEL", From: start, To: start.AddDays(length - 1)}}
	default:
		c.SickLeave = []certificate.SickLeave{{Degree: "HELT_NEDSATT", From: start, To: start.AddDays(length - 1)}}
	}
	for _, s := range c.SickLeave {
		if s.Degree != "HELT_NEDSATT" {
			no := false
			c.WorkingTimeDistribution = &no
		}
	}
	if start.Before(signedDay.AddDays(-6)) && rng.IntN(2) == 0 {
		c.EarlyStartReason = "Patienten sökte vård först nu men har enligt journal varit sjuk sedan periodens start."
	}
	if d.prognosisUnclear && rng.IntN(3) == 0 {
		c.Prognosis = &certificate.Prognosis{Type: "PROGNOS_OKLAR"}
		if rng.IntN(2) == 0 {
			c.PlannedTreatment = "Bedömning hos psykolog inom fyra veckor."
		}
	} else if rng.IntN(3) == 0 {
		c.Prognosis = &certificate.Prognosis{Type: "ATER_X_ANTAL_DGR", Days: []int{30, 60, 90}[rng.IntN(3)]}
	}
	if length > 60 && rng.IntN(2) == 0 {
		c.FMBMotivation = "Återhämtningen går långsammare än väntat; patienten har även sömnproblem som behandlas."
	}
	// The weaknesses FK's reviews found most often.
	switch q := rng.IntN(100); {
	case q < 18:
		c.ActivityLimitation = d.vagueLimitation
	case q < 24:
		c.FunctionalImpairment = d.text + "."
	case q < 30:
		c.Basis = []certificate.Basis{{Type: "TELEFONKONTAKT", Date: signedDay}}
	}
	return c
}

// Demo activity: Region Gotland's care units send certificates for a few
// hundred synthetic persons over almost two years.
const (
	demoPersons      = 300
	demoCertificates = 3000
)

var (
	demoFrom = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	demoTo   = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
)

// LoadCertificates sends the demo certificates through intake, as Region
// Gotland's systems would, so that every later step sees real intake
// results. Certificates the intake rejects stay in the rejected list, as
// in life.
func LoadCertificates(ctx context.Context, st *store.Store, keys *audit.Keys, seed uint64) (accepted int, err error) {
	org, err := store.OrganisationBySlug(ctx, st, "region-gotland")
	if err != nil {
		return 0, err
	}
	// The demo's "today" is the end of its period, so that no certificate
	// is signed in the future.
	fmb, _, err := intake.StoredFMB(ctx, st)
	if err != nil {
		return 0, err
	}
	in := intake.New(st, keys, fmb, func() time.Time { return demoTo.Add(14 * time.Hour) })
	if err := in.Prepare(ctx); err != nil {
		return 0, err
	}
	certs := Certificates(seed, demoCertificates, Persons(seed, demoPersons), demoFrom, demoTo)
	actor := audit.Event{ActorName: "demo", ActorOrg: org.Slug, RemoteAddr: "local"}
	const batch = 500
	for i := 0; i < len(certs); i += batch {
		subs := make([]intake.Submission, 0, batch)
		for j := i; j < min(i+batch, len(certs)); j++ {
			body, err := json.Marshal(certs[j])
			if err != nil {
				return accepted, err
			}
			subs = append(subs, intake.Submission{SenderOrgID: org.ID, Format: intake.JSON, Body: body, Source: "demo", Actor: actor})
		}
		rs, err := in.SubmitBatch(ctx, subs)
		if err != nil {
			return accepted, err
		}
		for _, r := range rs {
			if r.Status == intake.Accepted {
				accepted++
			}
		}
	}
	// Demo only: the synthetic persons all live on Gotland, so that FK's
	// office in Visby (municipality 0980) finds their certificates in its
	// inbox. Real persons get their municipality from the population
	// register, which finsam does not read yet.
	err = st.Tx(ctx, func(tx *store.Tx) error {
		_, err := store.SetMissingMunicipality(ctx, tx, demoMunicipality)
		return err
	})
	return accepted, err
}

// demoMunicipality is Region Gotland's one municipality, Gotland (SCB 0980).
const demoMunicipality = "0980"
