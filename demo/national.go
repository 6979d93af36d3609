package demo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/organisation/codelist"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
)

// Size is how much Populate generates.
type Size struct {
	Persons      int // persons in all, with and without cases
	OpenCases    int // current sickness cases, one person each
	Certificates int // about: closed cases are added until it is reached
	Associations int // coordination associations, the demo's own included
}

// NationalSize is about the country's: finsam's scale target.
var NationalSize = Size{Persons: 2_000_000, OpenCases: 200_000, Certificates: 1_200_000, Associations: 80}

// DemoSize is the generator's share of the demo: the country's offices
// and a few more associations, with a few hundred cases around the
// demo's own stories.
var DemoSize = Size{Persons: 2000, OpenCases: 300, Certificates: 1500, Associations: 3}

// Progress is where Populate has come.
type Progress struct {
	Stage       string // "structure", "associations", "persons", "recompute"
	Done, Total int
}

// PopulateConfig says what Populate generates.
type PopulateConfig struct {
	Seed  uint64
	Today time.Time // open cases are current on this day
	Size  Size
	// Progress, when set, is told after every batch.
	Progress func(Progress)
}

// Populated says what Populate wrote.
type Populated struct {
	Offices, CaseWorkers        int
	Persons, Cases, OpenCases   int
	Certificates                int
	Associations, Participants  int
	Coordinations               int // of open cases, with consents, meetings and actions
	FirstPersonID, LastPersonID int64
	FirstCaseID, LastCaseID     int64 // of the cases generated
}

// Populate fills a database that holds the demo's organisations and users
// (LoadIfEmpty) with synthetic national data: an FK office for short and
// one for long sick leave in every region with their case workers,
// coordination associations with insatser and participants, and persons
// with sickness cases and the certificates of those cases. Most cases are
// short and a few last past a year; the open ones are current on
// cfg.Today (certified up to a few days before it or beyond it). Every
// personnummer is in the test series; persons already stored are left
// alone. Persons, cases and certificates go in with store.BulkLoad, a few
// thousand persons per transaction. The same seed, size and day give the
// same data on an empty database.
//
// Nothing is audited: generated data is nobody's access to anybody's
// personal data, as with the rest of the demo's loading.
func Populate(ctx context.Context, st *store.Store, cfg PopulateConfig) (Populated, error) {
	g := &generator{st: st, cfg: cfg, today: time.Date(cfg.Today.Year(), cfg.Today.Month(), cfg.Today.Day(), 0, 0, 0, 0, time.UTC),
		rng: rand.New(rand.NewPCG(cfg.Seed, 0x6e6174696f6e))}
	if cfg.Size.OpenCases > cfg.Size.Persons {
		return Populated{}, fmt.Errorf("generate: %d open cases need as many persons, not %d", cfg.Size.OpenCases, cfg.Size.Persons)
	}
	if err := g.structure(ctx); err != nil {
		return g.out, fmt.Errorf("generate offices: %w", err)
	}
	if err := g.associations(ctx); err != nil {
		return g.out, fmt.Errorf("generate associations: %w", err)
	}
	if err := g.persons(ctx); err != nil {
		return g.out, fmt.Errorf("generate persons: %w", err)
	}
	return g.out, nil
}

type generator struct {
	st    *store.Store
	cfg   PopulateConfig
	today time.Time
	rng   *rand.Rand
	out   Populated

	fk, af int64
	// regions are the country's regions with their municipalities and FK
	// offices, in SCB's order; byMunicipality finds a municipality's.
	regions        []genRegion
	byMunicipality map[string]int
	muniOrg        map[string]int64 // a municipality's organisation by SCB code
	municipalities []string         // SCB codes
	employers      []employer
}

type genRegion struct {
	org          organisation.Organisation
	munis        []organisation.Organisation
	short, long  officeWorkers
	careProvider careProvider
	units        []careUnit
}

type officeWorkers struct {
	office, group int64
	workers       []int64
}

type employer struct{ orgNumber, name string }

func (g *generator) progress(stage string, done, total int) {
	if g.cfg.Progress != nil {
		g.cfg.Progress(Progress{Stage: stage, Done: done, Total: total})
	}
}

// casesPerWorker is about how many open cases a case worker holds.
const casesPerWorker = 150

// structure adds FK's offices and case workers (in the demo's Visby
// office beside the demo's own) and reads the regions and municipalities.
func (g *generator) structure(ctx context.Context) error {
	fk, err := store.OrganisationBySlug(ctx, g.st, "fk")
	if err != nil {
		return fmt.Errorf("organisation fk (load the demo's organisations first): %w", err)
	}
	af, err := store.OrganisationBySlug(ctx, g.st, "af")
	if err != nil {
		return err
	}
	g.fk, g.af = fk.ID, af.ID
	regions, err := store.Organisations(ctx, g.st, organisation.Region)
	if err != nil {
		return err
	}
	munis, err := store.Organisations(ctx, g.st, organisation.Municipality)
	if err != nil {
		return err
	}
	offices, err := store.Offices(ctx, g.st, fk.ID)
	if err != nil {
		return err
	}
	bySlug := map[string]store.Office{}
	for _, o := range offices {
		bySlug[o.Slug] = o
	}
	short, long := bySlug["lfc-visby"], bySlug["lk-roma"]
	if short.ID == 0 || long.ID == 0 {
		return fmt.Errorf("FK's demo offices lfc-visby and lk-roma are missing")
	}
	g.byMunicipality, g.muniOrg = map[string]int{}, map[string]int64{}
	for _, r := range regions {
		gr := genRegion{org: r}
		for _, m := range munis {
			if m.ParentID == r.ID {
				gr.munis = append(gr.munis, m)
			}
		}
		if len(gr.munis) == 0 {
			continue
		}
		for _, m := range gr.munis {
			g.byMunicipality[m.Code] = len(g.regions)
			g.muniOrg[m.Code] = m.ID
			g.municipalities = append(g.municipalities, m.Code)
		}
		nine := fmt.Sprintf("2321%05d", 10*atoi(r.Code))
		gr.careProvider = careProvider{nine, hsaID(nine, "DEMO"), r.Name + " (demo)"}
		for _, u := range careUnits {
			gr.units = append(gr.units, careUnit{hsaID: hsaID(nine, u.hsaID[strings.Index(u.hsaID, "-")+1:]),
				name: u.name + " – " + r.Name, doctors: u.doctors})
		}
		g.regions = append(g.regions, gr)
	}
	// Case workers per office by the region's share of the open cases: the
	// municipalities are equally likely homes; a fifth of the cases are
	// long ones.
	workers := func(share float64) int {
		return max(1, int(math.Ceil(float64(g.cfg.Size.OpenCases)*share/casesPerWorker)))
	}
	err = g.st.Tx(ctx, func(tx *store.Tx) error {
		g.out.Offices, g.out.CaseWorkers = 0, 0
		for i := range g.regions {
			r := &g.regions[i]
			share := float64(len(r.munis)) / float64(len(g.municipalities))
			if r.org.Code == "09" { // Gotland: the demo's offices
				r.short = officeWorkers{office: short.ID, group: short.CustomerGroupID}
				r.long = officeWorkers{office: long.ID, group: long.CustomerGroupID}
			} else {
				for _, o := range []struct {
					w          *officeWorkers
					slug, name string
					kind       string
					group      int64
				}{
					{&r.short, "lfc-" + r.org.Slug, "Lokalt försäkringscenter " + r.org.Name, store.OfficeInsuranceCentre, short.CustomerGroupID},
					{&r.long, "lk-" + r.org.Slug, "Lokalt kontor " + r.org.Name, store.OfficeLocal, long.CustomerGroupID},
				} {
					id, err := store.CreateOffice(ctx, tx, store.Office{OrgID: fk.ID, Slug: o.slug, Name: o.name + " (demo)", Kind: o.kind,
						MunicipalityCode: r.munis[0].Code, CustomerGroupID: o.group})
					if err != nil {
						return err
					}
					*o.w = officeWorkers{office: id, group: o.group}
					g.out.Offices++
				}
			}
			for _, o := range []struct {
				w    *officeWorkers
				n    int
				slug string
			}{{&r.short, workers(share * 0.8), "k"}, {&r.long, workers(share * 0.2), "l"}} {
				for k := range o.n {
					name := givenNames[g.rng.IntN(len(givenNames))] + " " + familyNames[g.rng.IntN(len(familyNames))] + " (demo)"
					id, err := store.CreateUser(ctx, tx, store.User{Username: fmt.Sprintf("hl-%s-%s%03d", r.org.Code, o.slug, k+1), Name: name,
						OrgID: fk.ID, OfficeID: o.w.office, Roles: account.RolesOf(account.CaseWorker)})
					if err != nil {
						return err
					}
					o.w.workers = append(o.w.workers, id)
					g.out.CaseWorkers++
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	// The demo's case worker works in Visby: she gets her share there.
	if u, err := store.UserByName(ctx, g.st, "handlaggare"); err == nil {
		for i := range g.regions {
			if g.regions[i].short.office == u.OfficeID {
				g.regions[i].short.workers = append(g.regions[i].short.workers, u.ID)
			}
		}
	}
	g.employers = make([]employer, 5000)
	for i := range g.employers {
		nine := fmt.Sprintf("55690%04d", i)
		g.employers[i] = employer{nine + strconv.Itoa(personnummer.CheckDigit(nine)),
			employerPlaces[g.rng.IntN(len(employerPlaces))] + " " + employerTrades[g.rng.IntN(len(employerTrades))] + " AB (demo)"}
	}
	g.progress("structure", 1, 1)
	return nil
}

var (
	employerPlaces = []string{"Norra", "Södra", "Östra", "Västra", "Mellersta", "Kust", "Skogs", "Sjö", "Dal", "Berg", "Stads", "Läns"}
	employerTrades = []string{"Bygg", "Vård & Omsorg", "Logistik", "Verkstäder", "Handel", "Skola", "IT-konsult", "Städ", "Restaurang",
		"Transport", "Energi", "Fastigheter", "Livsmedel", "Bemanning"}
)

func sum(v []int) int {
	n := 0
	for _, x := range v {
		n += x
	}
	return n
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// associations adds Size.Associations-1 associations besides the demo's
// own, each of FK, AF, a region and one of its municipalities, with a
// director, and fills each as the demo's own is filled (LoadAssociation).
func (g *generator) associations(ctx context.Context) error {
	n := g.cfg.Size.Associations - 1
	if n <= 0 {
		return nil
	}
	cl, err := association.DefaultCodeLists()
	if err != nil {
		return err
	}
	now := g.today.Add(10 * time.Hour)
	today := certificate.SwedishDate(now)
	for i := range n {
		r := g.regions[i%len(g.regions)]
		m := r.munis[(i/len(g.regions))%len(r.munis)]
		place := placeName(m.Code, m.Name)
		err := g.st.Tx(ctx, func(tx *store.Tx) error {
			slug := fmt.Sprintf("samordningsforbund-%02d", i+2)
			a, err := store.CreateOrganisation(ctx, tx, organisation.Organisation{Slug: slug, Name: "Samordningsförbundet " + place + " (demo)",
				Type: organisation.Association})
			if err != nil {
				return err
			}
			for _, member := range []int64{g.fk, g.af, r.org.ID, m.ID} {
				if err := store.AddAssociationMember(ctx, tx, a.ID, member); err != nil {
					return err
				}
			}
			uid, err := store.CreateUser(ctx, tx, store.User{Username: "forbund-" + strconv.Itoa(i+2), Name: "Förbundschef " + place + " (demo)",
				OrgID: a.ID, Roles: account.RolesOf(account.AssociationStaff)})
			if err != nil {
				return err
			}
			forbund, err := store.UserByID(ctx, tx, uid)
			if err != nil {
				return err
			}
			nine := fmt.Sprintf("2220%05d", 100+i)
			l := &assocLoader{tx: tx, cl: cl, today: today, now: now, year: today.Year(),
				rng: rand.New(rand.NewPCG(g.cfg.Seed+uint64(i)+1, 0x666f7262756e64)), taken: map[personnummer.Number]bool{},
				t: assocTarget{orgNumber: nine[:6] + "-" + nine[6:] + strconv.Itoa(personnummer.CheckDigit(nine)), regionCode: r.org.Code,
					municipalityCode: m.Code, regionName: r.org.Name, municipalityName: m.Name, population: 10_000 + g.rng.IntN(200_000),
					place: place},
				assoc: a.ID, fk: g.fk, af: g.af, region: r.org.ID, municipality: m.ID, forbund: forbund}
			loaded, err := l.load(ctx)
			g.out.Participants += loaded.Participants
			return err
		})
		if err != nil {
			return err
		}
		g.out.Associations++
		g.progress("associations", i+1, n)
	}
	return nil
}

// placeName is the name of the place a municipality is named after
// (SCB's name: "Gotland" for "Gotlands kommun").
func placeName(code, fallback string) string {
	for _, m := range codelist.Municipalities() {
		if m.Code == code {
			return m.Name
		}
	}
	return fallback
}

// personsPerTx is how many persons, with their cases and certificates, go
// in one bulk transaction.
const personsPerTx = 5000

// persons writes the persons, their cases and certificates. Person i (in
// the generator's order) has a current case when i < OpenCases; closed
// cases go to the persons after them, then wrap around to the first ones
// (ending long before their current case), until about Size.Certificates
// certificates are written.
func (g *generator) persons(ctx context.Context) error {
	size := g.cfg.Size
	taken, err := store.PersonNumbers(ctx, g.st)
	if err != nil {
		return err
	}
	ids, err := store.NextBulkIDs(ctx, g.st)
	if err != nil {
		return err
	}
	cids, err := store.NextBulkCoordinationIDs(ctx, g.st)
	if err != nil {
		return err
	}
	co := newCoordinator(g, cids)
	numbers := newNumberPool(g.cfg.Seed, taken)
	if numbers.size() < size.Persons {
		return fmt.Errorf("the test series holds %d personnummer and samordningsnummer, fewer than %d persons", numbers.size(), size.Persons)
	}
	perOpen, perClosed := g.meanCertificates()
	closed := 0
	if rest := float64(size.Certificates) - float64(size.OpenCases)*perOpen; rest > 0 {
		closed = int(rest / perClosed)
	}
	g.out.FirstPersonID, g.out.FirstCaseID = ids.Person, ids.Case
	fmb := certificate.DefaultFMB()
	for lo := 0; lo < size.Persons; lo += personsPerTx {
		hi := min(lo+personsPerTx, size.Persons)
		var ps []store.Person
		var cases []store.BulkCase
		var certs []store.BulkCertificate
		var coords []store.BulkCoordination
		for i := lo; i < hi; i++ {
			pnr := numbers.next()
			muni := g.municipalities[g.rng.IntN(len(g.municipalities))]
			p := store.Person{ID: ids.Person, Personnummer: string(pnr), MunicipalityCode: muni,
				Name: givenNames[g.rng.IntN(len(givenNames))] + " " + familyNames[g.rng.IntN(len(familyNames))], ProtectedIdentity: g.rng.IntN(500) == 0}
			ids.Person++
			ps = append(ps, p)
			var openFirst time.Time
			if i < size.OpenCases {
				c, cs := g.openCase(&ids, p, pnr, fmb)
				openFirst = c.FirstDay
				cases, certs = append(cases, c), append(certs, cs...)
				if k, ok := co.coordinate(c, p); ok {
					coords = append(coords, k)
				}
			}
			// Closed cases: persons after the open ones, then the first ones
			// again.
			k := -1
			switch {
			case i >= size.OpenCases && i-size.OpenCases < closed:
				k = i - size.OpenCases
			case i < closed-(size.Persons-size.OpenCases):
				k = i
			}
			if k >= 0 {
				end := g.today.AddDate(0, 0, -(30 + g.rng.IntN(1500)))
				if !openFirst.IsZero() {
					end = openFirst.AddDate(0, 0, -(100 + g.rng.IntN(600)))
				}
				c, cs := g.closedCase(&ids, p, pnr, end, fmb)
				cases, certs = append(cases, c), append(certs, cs...)
			}
		}
		err := store.BulkLoad(ctx, g.st, g.today.Add(10*time.Hour), func(b *store.Bulk) error {
			if err := b.Persons(ctx, ps); err != nil {
				return err
			}
			if err := b.Cases(ctx, cases); err != nil {
				return err
			}
			if err := b.Certificates(ctx, certs); err != nil {
				return err
			}
			return b.Coordinations(ctx, coords)
		})
		if err != nil {
			return fmt.Errorf("persons %d–%d: %w", lo+1, hi, err)
		}
		g.out.Persons += len(ps)
		g.out.Cases += len(cases)
		g.out.Certificates += len(certs)
		g.out.Coordinations += len(coords)
		g.progress("persons", hi, size.Persons)
	}
	g.out.OpenCases = min(size.OpenCases, size.Persons)
	g.out.LastPersonID, g.out.LastCaseID = ids.Person-1, ids.Case-1
	return store.FinishBulk(ctx, g.st)
}

// meanCertificates estimates the certificates of an open and of a closed
// case by drawing a few thousand, with a generator of their own.
func (g *generator) meanCertificates() (open, closed float64) {
	rng := rand.New(rand.NewPCG(g.cfg.Seed, 1))
	const n = 4000
	for range n {
		open += float64(len(chunks(rng, openDays(rng))))
		closed += float64(len(chunks(rng, closedDays(rng))))
	}
	return open / n, closed / n
}

// openDays is how long a current case has lasted by today: most a few
// weeks, one in fifteen or so past a year (a log-normal length with a
// median of 50 days), none past two years: a case that long is current
// work only as a rare exception, and a worklist of today holds today's.
func openDays(rng *rand.Rand) int {
	return min(730, max(1, int(50*math.Exp(1.3*rng.NormFloat64()))))
}

// closedDays is how long a finished case lasted: a median of three weeks,
// a few past a year.
func closedDays(rng *rand.Rand) int {
	return min(1100, max(3, int(21*math.Exp(1.1*rng.NormFloat64()))))
}

// chunks splits days into certificates' lengths: the first a week or
// two, later ones up to three months.
func chunks(rng *rand.Rand, days int) []int {
	var out []int
	for left, k := days, 0; left > 0; k++ {
		n := []int{7, 14, 14, 21, 28, 30}[rng.IntN(6)]
		if k > 1 {
			n = []int{28, 30, 42, 60, 90}[rng.IntN(5)]
		}
		n = min(n, left)
		if left-n < 4 { // no stub of a few days at the end
			n = left
		}
		out = append(out, n)
		left -= n
	}
	return out
}

// openCase is a current case of the person: started openDays ago,
// certified until two months after today at the latest; one in twenty or
// so ended a few days ago and no new certificate has come yet.
func (g *generator) openCase(ids *store.BulkIDs, p store.Person, pnr personnummer.Number, fmb *certificate.FMB) (store.BulkCase, []store.BulkCertificate) {
	elapsed := openDays(g.rng)
	first := g.today.AddDate(0, 0, 1-elapsed)
	last := g.today.AddDate(0, 0, g.rng.IntN(62)-2)
	if last.Before(first) {
		last = first.AddDate(0, 0, 7+g.rng.IntN(21))
	}
	return g.caseWithCertificates(ids, p, pnr, first, last, store.CaseOpen, fmb)
}

// closedCase is a finished case of the person that ended on end.
func (g *generator) closedCase(ids *store.BulkIDs, p store.Person, pnr personnummer.Number, end time.Time, fmb *certificate.FMB) (store.BulkCase, []store.BulkCertificate) {
	first := end.AddDate(0, 0, 1-closedDays(g.rng))
	return g.caseWithCertificates(ids, p, pnr, first, end, store.CaseClosed, fmb)
}

func (g *generator) caseWithCertificates(ids *store.BulkIDs, p store.Person, pnr personnummer.Number, first, last time.Time, status string,
	fmb *certificate.FMB) (store.BulkCase, []store.BulkCertificate) {
	r := &g.regions[g.byMunicipality[p.MunicipalityCode]]
	c := store.BulkCase{ID: ids.Case, NewCase: store.NewCase{PersonID: p.ID, FirstDay: first, LastDay: last, Status: status,
		AnnualIncomeOre: int64(180_000+g.rng.IntN(52)*10_000) * 100, SeriousIllness: g.rng.IntN(200) == 0}}
	ids.Case++
	owner := r.short
	if last.Sub(first) > 365*24*time.Hour {
		owner = r.long
	}
	c.OfficeID, c.CustomerGroupID = owner.office, owner.group
	if len(owner.workers) > 0 {
		c.AssignedUserID = owner.workers[g.rng.IntN(len(owner.workers))]
	}
	switch x := g.rng.IntN(20); {
	case x < 2:
		c.Employment = "unemployed"
	case x < 3:
		c.Employment = "self_employed"
	default:
		e := g.employers[g.rng.IntN(len(g.employers))]
		c.Employment, c.EmployerOrgNumber, c.EmployerName = "employee", e.orgNumber, e.name
	}
	days := int(last.Sub(first).Hours()/24) + 1
	d := diagnosisProfiles[g.rng.IntN(len(diagnosisProfiles))]
	unit := r.units[d.unitPreferred]
	// A certificate that would start after today is not signed yet: the
	// one before it runs on instead.
	lengths := chunks(g.rng, days)
	for k, at := 0, 0; k < len(lengths); k++ {
		if k > 0 && first.AddDate(0, 0, at).After(g.today) {
			lengths[k-1] += sum(lengths[k:])
			lengths = lengths[:k]
			break
		}
		at += lengths[k]
	}
	var certs []store.BulkCertificate
	from := first
	prior := 0
	for _, n := range lengths {
		start := certificate.DateOf(from)
		signedDay := start.AddDays(g.rng.IntN(3))
		if signedDay.After(certificate.DateOf(g.today)) {
			signedDay = certificate.DateOf(g.today)
		}
		signed := signedDay.Time().Add(time.Duration(8+g.rng.IntN(9))*time.Hour + time.Duration(g.rng.IntN(60))*time.Minute)
		id := ids.Certificate
		ids.Certificate++
		cert := buildCertificate(g.rng, "gen-"+strconv.FormatInt(id, 36), pnr, d, unit, r.careProvider, signed, signedDay, start, n)
		// The case decides the periods: a certificate's own begins on its
		// chunk's first day and ends on its last, whatever the draw said.
		end := start.AddDays(n - 1)
		cert.SickLeave[0].From = start
		cert.SickLeave[len(cert.SickLeave)-1].To = end
		if len(cert.SickLeave) > 1 && !cert.SickLeave[0].To.Before(end) {
			cert.SickLeave = cert.SickLeave[:1]
			cert.SickLeave[0].To = end
		}
		q := certificate.Assess(&cert, fmb, prior)
		findings, _ := json.Marshal(q.Findings)
		body := cert.Canonical()
		hash := sha256.Sum256(body)
		bc := store.BulkCertificate{ID: id, NewCertificate: store.NewCertificate{SenderOrgID: r.org.ID, CertID: cert.ID, PersonID: p.ID,
			CaseID: c.ID, SignedAt: cert.SignedAt, ReceivedAt: cert.SignedAt.Add(time.Duration(1+g.rng.IntN(600)) * time.Second),
			IssuerHSAID: cert.Issuer.HSAID, UnitHSAID: cert.Issuer.UnitHSAID, UnitName: cert.Issuer.UnitName,
			CareProviderHSAID: cert.Issuer.CareProviderHSAID, CareProviderName: cert.Issuer.CareProviderName,
			DiagnosisCode: certificate.NormalizeDiagnosisCode(d.code), FirstDay: start.Time(), LastDay: end.Time(), QualityScore: q.Score, Findings: findings,
			Source: "generate", Body: body, BodyHash: hex.EncodeToString(hash[:])}}
		for _, pr := range cert.Periods() {
			bc.Periods = append(bc.Periods, store.Period{From: pr.From.Time(), To: pr.To.Time(), Degree: pr.Degree})
		}
		certs = append(certs, bc)
		prior += n
		from = end.Time().AddDate(0, 0, 1)
	}
	return c, certs
}

// numberPool hands out test-series personnummer, each once, in an order
// fixed by the seed: persons of working age (born 1960–2005) first, then
// everyone else born 1880–2025, personnummer before samordningsnummer
// within each. The series has twenty numbers a day of birth, so a
// national data set needs the older and younger ones too.
type numberPool struct {
	ranges []numberRange
	at     int   // the range
	k      int64 // the next index in it
	taken  map[string]bool
}

// numberRange is every day from first on for days days, each with the
// twenty numbers of the series, walked in a permuted order (k·step + off
// mod n, step coprime to n).
type numberRange struct {
	first        time.Time
	days         int
	coordination bool
	step, off    int64
}

func (r numberRange) n() int64 { return int64(r.days) * 20 }

func newNumberPool(seed uint64, taken map[string]bool) *numberPool {
	rng := rand.New(rand.NewPCG(seed, 0x706e72))
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	span := func(a, b time.Time) int { return int(b.Sub(a).Hours()/24) + 1 }
	var rs []numberRange
	for _, coord := range []bool{false, true} {
		rs = append(rs, numberRange{first: day(1960, 1, 1), days: span(day(1960, 1, 1), day(2005, 12, 31)), coordination: coord})
	}
	for _, coord := range []bool{false, true} {
		rs = append(rs, numberRange{first: day(1880, 1, 1), days: span(day(1880, 1, 1), day(1959, 12, 31)), coordination: coord},
			numberRange{first: day(2006, 1, 1), days: span(day(2006, 1, 1), day(2025, 12, 31)), coordination: coord})
	}
	for i := range rs {
		n := rs[i].n()
		step := int64(1 + rng.IntN(int(n-1)))
		for gcd(step, n) != 1 {
			step++
		}
		rs[i].step, rs[i].off = step, rng.Int64N(n)
	}
	return &numberPool{ranges: rs, taken: taken}
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func (p *numberPool) size() int {
	n := 0
	for _, r := range p.ranges {
		n += int(r.n())
	}
	return n - len(p.taken)
}

// next is the next number not taken; it panics past the pool's size,
// which Populate checks first.
func (p *numberPool) next() personnummer.Number {
	for {
		r := p.ranges[p.at]
		if p.k >= r.n() {
			p.at, p.k = p.at+1, 0
			continue
		}
		x := (p.k*r.step + r.off) % r.n()
		p.k++
		birth := r.first.AddDate(0, 0, int(x/20))
		day := birth.Day()
		if r.coordination {
			day += 60
		}
		s := fmt.Sprintf("%04d%02d%02d%03d", birth.Year(), int(birth.Month()), day, 980+x%20)
		n := personnummer.Number(s + strconv.Itoa(personnummer.CheckDigit(s[2:])))
		if !p.taken[string(n)] {
			return n
		}
	}
}
