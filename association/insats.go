package association

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/finsam/finsam/civil"
)

// Kind is an insats's orientation (inriktning).
type Kind string

// The kinds (a third, förebyggande, is unconfirmed).
const (
	Individual Kind = "individual" // individinriktad: aimed at the participants
	Structural Kind = "structural" // strukturövergripande: aimed at the parties' cooperation
)

// Kinds lists the kinds in display order.
var Kinds = []Kind{Individual, Structural}

// Label is the Swedish name.
func (k Kind) Label() string {
	switch k {
	case Individual:
		return "Individinriktad"
	case Structural:
		return "Strukturövergripande"
	}
	return string(k)
}

// FollowUp is how an insats's participants are followed up (SUS's
// mätningsmetod).
type FollowUp string

// The follow-up methods.
const (
	// FollowUpIndividual registers each participant: with personal data
	// after written consent, otherwise anonymously.
	FollowUpIndividual FollowUp = "individual"
	// FollowUpCounts records only numbers (SUS's volyminsats, the default
	// for structural insatser).
	FollowUpCounts FollowUp = "counts"
)

// InsatsStatus is where an insats stands.
type InsatsStatus string

// The statuses.
const (
	InsatsPlanned   InsatsStatus = "planned"
	InsatsOngoing   InsatsStatus = "ongoing"
	InsatsEnded     InsatsStatus = "ended"
	InsatsCancelled InsatsStatus = "cancelled"
)

// InsatsStatuses lists the statuses in display order.
var InsatsStatuses = []InsatsStatus{InsatsPlanned, InsatsOngoing, InsatsEnded, InsatsCancelled}

// Financier is who a budget or outcome amount comes from (the financiers of
// SUS's Kostnadsrapport).
type Financier string

// The financiers.
const (
	FinancierState        Financier = "state"        // the state, through Försäkringskassan
	FinancierRegion       Financier = "region"       // the region(s)
	FinancierMunicipality Financier = "municipality" // the municipalities
	FinancierESF          Financier = "esf"          // the European Social Fund
	FinancierOther        Financier = "other"        // anyone else
)

// Financiers lists the financiers in display order.
var Financiers = []Financier{FinancierState, FinancierRegion, FinancierMunicipality, FinancierESF, FinancierOther}

// Label is the Swedish name.
func (f Financier) Label() string {
	switch f {
	case FinancierState:
		return "Staten"
	case FinancierRegion:
		return "Region"
	case FinancierMunicipality:
		return "Kommun"
	case FinancierESF:
		return "ESF"
	case FinancierOther:
		return "Övriga"
	}
	return string(f)
}

// YearBudget is an insats's budget from one financier for one year.
type YearBudget struct {
	Year      int
	Financier Financier
	Amount    Ore
}

// Insats is an activity or project the association finances. Förbund run no
// rehabilitation themselves: the parties do the work and the association
// pays.
type Insats struct {
	ID            int64
	AssociationID int64
	Name          string
	Description   string
	Kind          Kind
	TargetGroup   string
	// ResponsibleOrgID is the member organisation responsible for the
	// insats; it is one of PartyOrgIDs.
	ResponsibleOrgID int64
	// PartyOrgIDs are the member organisations involved: at least two, as
	// the law (2003:1210) requires of what an association finances.
	PartyOrgIDs []int64
	Start, End  civil.Date // End zero: until further notice
	Budgets     []YearBudget
	Planned     int // planned number of participants
	FollowUp    FollowUp
	Status      InsatsStatus
	Public      bool // shown on the association's public pages
	// Documents are the insats's documents (project plan, decisions,
	// reports): a title and a link or a reference to where the document
	// is kept (e.g. a diarienummer). finsam stores no files.
	Documents []Document
	Version   int // for optimistic locking; set by the store
}

// Document is one document of an insats: a title and a link or reference.
type Document struct {
	Title string `json:"title"`
	Ref   string `json:"ref"`
}

// MaxDocuments bounds the documents of one insats.
const MaxDocuments = 50

// Field limits.
const (
	MaxNameLen = 200
	MaxTextLen = 20000
)

// Validate checks the insats and reports every problem at once (an Errors).
// On the way it trims the name, sorts and de-duplicates the parties and
// sorts the budgets by year and financier, so that what is stored is what
// was checked and what is read back. Whether the parties are members of the association is checked by the
// store, which knows the members.
func (in *Insats) Validate() error {
	var errs Errors
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		errs.add(CodeRequired, "name", "the insats needs a name", "insatsen behöver ett namn")
	} else if utf8.RuneCountInString(in.Name) > MaxNameLen {
		errs.add(CodeTooLong, "name", "the name is longer than 200 characters", "namnet är längre än 200 tecken")
	}
	if utf8.RuneCountInString(in.Description) > MaxTextLen || utf8.RuneCountInString(in.TargetGroup) > MaxTextLen {
		errs.add(CodeTooLong, "description", "the text is too long", "texten är för lång")
	}
	if !slices.Contains(Kinds, in.Kind) {
		errs.add(CodeUnknownCode, "kind", "choose individinriktad or strukturövergripande", "välj individinriktad eller strukturövergripande")
	}
	if in.FollowUp != FollowUpIndividual && in.FollowUp != FollowUpCounts {
		errs.add(CodeUnknownCode, "follow_up", "choose individual follow-up or counts only", "välj uppföljning per deltagare eller endast antal")
	}
	if !slices.Contains(InsatsStatuses, in.Status) {
		errs.add(CodeInvalidStatus, "status", "unknown status", "okänd status")
	}
	parties := slices.Clone(in.PartyOrgIDs)
	slices.Sort(parties)
	parties = slices.Compact(parties)
	parties = slices.DeleteFunc(parties, func(id int64) bool { return id <= 0 })
	if len(parties) < 2 {
		errs.add(CodeTooFewParties, "parties",
			"an insats must involve at least two of the member organisations (lag 2003:1210)",
			"en insats måste involvera minst två av medlemmarna (lag 2003:1210)")
	}
	in.PartyOrgIDs = parties
	if in.ResponsibleOrgID == 0 {
		errs.add(CodeRequired, "responsible", "choose the responsible party", "välj ansvarig part")
	} else if !slices.Contains(parties, in.ResponsibleOrgID) {
		errs.add(CodeResponsibleNotParty, "responsible", "the responsible party must be one of the parties involved", "ansvarig part måste vara en av de medverkande parterna")
	}
	if in.Start.IsZero() {
		errs.add(CodeRequired, "start", "the insats needs a start date", "insatsen behöver ett startdatum")
	}
	if !in.End.IsZero() && !in.Start.IsZero() && in.End.Before(in.Start) {
		errs.add(CodeEndBeforeStart, "end", "the end date is before the start date", "slutdatumet är före startdatumet")
	}
	if in.Planned < 0 {
		errs.add(CodeNegative, "planned", "the planned number of participants is negative", "planerat antal deltagare är negativt")
	}
	seen := map[[2]string]bool{}
	for i, b := range in.Budgets {
		f := "budgets[" + strconv.Itoa(i) + "]"
		if b.Year < 2004 || b.Year > 2200 { // the law came into force 2004-01-01
			errs.add(CodeInvalidYear, f+".year", "not a budget year", "inte ett budgetår")
		}
		if !slices.Contains(Financiers, b.Financier) {
			errs.add(CodeUnknownCode, f+".financier", "unknown financier", "okänd finansiär")
		}
		if b.Amount < 0 {
			errs.add(CodeNegative, f+".amount", "a budget is negative", "en budget är negativ")
		}
		k := [2]string{strconv.Itoa(b.Year), string(b.Financier)}
		if seen[k] {
			errs.add(CodeDuplicate, f, "the same year and financier twice", "samma år och finansiär två gånger")
		}
		seen[k] = true
	}
	if len(in.Documents) > MaxDocuments {
		errs.add(CodeTooLong, "documents", "at most 50 documents", "högst 50 dokument")
	}
	for i := range in.Documents {
		d := &in.Documents[i]
		f := "documents[" + strconv.Itoa(i) + "]"
		d.Title, d.Ref = strings.TrimSpace(d.Title), strings.TrimSpace(d.Ref)
		if d.Title == "" {
			errs.add(CodeRequired, f+".title", "the document needs a title", "dokumentet behöver en titel")
		}
		if d.Ref == "" {
			errs.add(CodeRequired, f+".ref", "give a link or reference to the document", "ange länk eller referens till dokumentet")
		}
		if utf8.RuneCountInString(d.Title) > MaxNameLen || utf8.RuneCountInString(d.Ref) > 2000 {
			errs.add(CodeTooLong, f, "the title or reference is too long", "titeln eller referensen är för lång")
		}
	}
	SortBudgets(in.Budgets)
	return errs.err()
}

// SortBudgets orders budgets by year and then financier in the order of
// Financiers.
func SortBudgets(bs []YearBudget) {
	slices.SortStableFunc(bs, func(a, b YearBudget) int {
		if a.Year != b.Year {
			return a.Year - b.Year
		}
		return slices.Index(Financiers, a.Financier) - slices.Index(Financiers, b.Financier)
	})
}

// BudgetTotal sums the budget of one year (all years when year is 0).
func (in *Insats) BudgetTotal(year int) Ore {
	var sum Ore
	for _, b := range in.Budgets {
		if year == 0 || b.Year == year {
			sum += b.Amount
		}
	}
	return sum
}
