package store

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// This file holds the search of the page header: a person by personnummer
// or by a prefix of their name, a case by its number, a certificate by its
// id. Each function searches one organisation's view (Försäkringskassan's
// cases, a coordinator's coordinations, an association's participants) and
// the caller narrows the rows further with the policy, as the page each row
// links to does.

// SearchTerms is what a search asks for: exactly one field is set.
type SearchTerms struct {
	// Personnummer is a personnummer or samordningsnummer normalised to
	// 12 digits.
	Personnummer string
	// Name is a prefix of the given or the family name as typed; several
	// words are a prefix of the whole name. NamePrefix says how it is
	// compared.
	Name          string
	CaseID        int64
	CertificateID int64
}

// MaxSearchHits is the most rows one search returns.
const MaxSearchHits = 50

// NamePrefix is how a name is compared: each word with its first letter
// upper case and the rest lower case ("anna-lena SVENSSON" → "Anna-Lena
// Svensson"), as names are stored, so that the comparison is a range of
// the byte-ordered index whatever case the user typed.
func NamePrefix(s string) string {
	var b strings.Builder
	start := true
	for _, r := range strings.Join(strings.Fields(s), " ") {
		if start {
			b.WriteRune(unicode.ToUpper(r))
		} else {
			b.WriteRune(unicode.ToLower(r))
		}
		start = r == ' ' || r == '-'
	}
	return b.String()
}

// nameExprs are the expressions of the given name (the stored name's
// start) and the family name (what follows the first space) as migration
// 13 indexes them, for the dialect of q.
func nameExprs(q Querier) (name, family string) {
	if d, ok := q.(interface{ Dialect() Dialect }); ok && d.Dialect() == Postgres {
		return `(p.name COLLATE "C")`, `(substr(p.name, strpos(p.name, ' ') + 1) COLLATE "C")`
	}
	return "p.name", "substr(p.name, instr(p.name, ' ') + 1)"
}

// searchCond is one query of a search: its condition and its order.
type searchCond struct{ where, order string }

// nameSearches are the searches a name prefix makes, each a range of one
// indexed expression read in its order so that a search stops at its
// limit instead of reading every match: the given name and the family
// name for one word, the whole name for several. where is the condition
// on $n (the prefix) and $n+1 (its upper bound), order the ORDER BY.
func nameSearches(q Querier, prefix string, n int) (searches []searchCond, args []any) {
	name, family := nameExprs(q)
	lo, hi := "$"+strconv.Itoa(n), "$"+strconv.Itoa(n+1)
	exprs := []string{name}
	if !strings.Contains(prefix, " ") {
		exprs = append(exprs, family)
	}
	for _, e := range exprs {
		searches = append(searches, searchCond{e + " >= " + lo + " AND " + e + " < " + hi, e + ", p.id"})
	}
	// Every name that starts with prefix sorts below prefix followed by
	// the greatest code point.
	return searches, []any{prefix, prefix + string(utf8.MaxRune)}
}

// CaseHit is a sickness case found by a search.
type CaseHit struct {
	CaseID, PersonID int64
	// CertificateID is the certificate searched for; 0 when the search was
	// for something else. A certificate not joined to a case is a hit with
	// CaseID 0.
	CertificateID     int64
	Personnummer      string
	Name              string
	ProtectedIdentity bool
	OfficeID          int64
	OfficeName        string
	AssignedUserID    int64
	Assignee          string
	Status            string
	FirstDay, LastDay time.Time
}

// CaseSearch scopes a search of Försäkringskassan's cases.
type CaseSearch struct {
	// OfficeID limits the search to one office's cases; 0 searches all.
	OfficeID int64
	// ProtectedFor is the user who may find persons with protected
	// identity by name: those of the cases assigned to them. Nobody else
	// finds them by name (their page shows no name).
	ProtectedFor int64
}

// SearchCases finds Försäkringskassan's cases for t within s: the cases of
// the person with the personnummer or of the persons whose name starts
// with the prefix, the case with the number, or the certificate with the
// id and its case. The newest cases come first, at most MaxSearchHits.
func SearchCases(ctx context.Context, q Querier, t SearchTerms, s CaseSearch) ([]CaseHit, error) {
	if t.CertificateID != 0 {
		return searchCertificate(ctx, q, t.CertificateID, s)
	}
	var where string
	var args []any
	switch {
	case t.Personnummer != "":
		if !textStorable(t.Personnummer) {
			return nil, nil
		}
		where, args = "p.personnummer = $1", []any{t.Personnummer}
	case t.CaseID != 0:
		where, args = "c.id = $1", []any{t.CaseID}
	case t.Name != "":
		return searchCasesByName(ctx, q, NamePrefix(t.Name), s)
	default:
		return nil, nil
	}
	byPerson := t.CaseID == 0
	if byPerson {
		where = personCase + where
	}
	where += caseScope(&args, s)
	rows, err := q.Query(ctx, caseHitSelect(byPerson)+" WHERE "+where+" ORDER BY c.last_day DESC, c.id DESC LIMIT "+strconv.Itoa(MaxSearchHits), args...)
	return collect(rows, err, scanCaseHit)
}

// caseHitSelect reads the columns scanCaseHit scans, of a case c and its
// person p. Searches by person read the person first (CROSS JOIN fixes
// the order on SQLite, which keeps no statistics here and would otherwise
// read the whole office's cases through its index to find a few persons'),
// then the person's cases of the office through sickness_cases_person_office
// (migration 13); the join's condition is then in the WHERE as
// personCase. A search by case number reads the case first.
func caseHitSelect(byPerson bool) string {
	join := "persons p JOIN sickness_cases c ON c.person_id = p.id"
	if byPerson {
		join = "persons p CROSS JOIN sickness_cases c"
	}
	return `SELECT c.id, c.person_id, p.personnummer, p.name, p.protected_identity,
		COALESCE(c.office_id, 0), COALESCE(o.name, ''), COALESCE(c.assigned_user_id, 0), COALESCE(u.name, ''),
		c.status, c.first_day, c.last_day
	FROM ` + join + `
	LEFT JOIN offices o ON o.id = c.office_id
	LEFT JOIN users u ON u.id = c.assigned_user_id`
}

// personCase joins a person p read first to their cases c.
const personCase = "c.person_id = p.id AND "

// caseScope is the condition of s on the case c, its arguments appended to
// args.
func caseScope(args *[]any, s CaseSearch) string {
	if s.OfficeID == 0 {
		return ""
	}
	*args = append(*args, s.OfficeID)
	return " AND c.office_id = $" + strconv.Itoa(len(*args))
}

// searchCasesByName is SearchCases for a name prefix: the given names'
// matches in name order, then the family names', each case once. Persons
// with protected identity are found only by s.ProtectedFor.
func searchCasesByName(ctx context.Context, q Querier, prefix string, s CaseSearch) ([]CaseHit, error) {
	if !textStorable(prefix) || prefix == "" {
		return nil, nil
	}
	searches, args := nameSearches(q, prefix, 1)
	args = append(args, s.ProtectedFor)
	scope := " AND (NOT p.protected_identity OR c.assigned_user_id = $3)" + caseScope(&args, s)
	return searchEach(searches, func(where, order string) ([]CaseHit, error) {
		rows, err := q.Query(ctx, caseHitSelect(true)+" WHERE "+personCase+where+scope+" ORDER BY "+order+", c.last_day DESC, c.id DESC LIMIT "+
			strconv.Itoa(MaxSearchHits), args...)
		return collect(rows, err, scanCaseHit)
	}, func(h CaseHit) int64 { return h.CaseID })
}

func scanCaseHit(rows *Rows) (CaseHit, error) {
	var h CaseHit
	err := rows.Scan(&h.CaseID, &h.PersonID, &h.Personnummer, &h.Name, &h.ProtectedIdentity, &h.OfficeID, &h.OfficeName,
		&h.AssignedUserID, &h.Assignee, &h.Status, &h.FirstDay, &h.LastDay)
	h.FirstDay, h.LastDay = h.FirstDay.UTC(), h.LastDay.UTC()
	return h, err
}

// searchCertificate is the certificate with the id, with its case when it
// is joined to one (then within the office of s), or none.
func searchCertificate(ctx context.Context, q Querier, id int64, s CaseSearch) ([]CaseHit, error) {
	args := []any{id}
	office := ""
	if s.OfficeID != 0 {
		args = append(args, s.OfficeID)
		office = " AND (ce.case_id IS NULL OR c.office_id = $2)"
	}
	rows, err := q.Query(ctx, `SELECT COALESCE(c.id, 0), p.id, p.personnummer, p.name, p.protected_identity,
			COALESCE(c.office_id, 0), COALESCE(o.name, ''), COALESCE(c.assigned_user_id, 0), COALESCE(u.name, ''),
			COALESCE(c.status, ''), ce.first_day, ce.last_day
		FROM certificates ce
		JOIN persons p ON p.id = ce.person_id
		LEFT JOIN sickness_cases c ON c.id = ce.case_id
		LEFT JOIN offices o ON o.id = c.office_id
		LEFT JOIN users u ON u.id = c.assigned_user_id
		WHERE ce.id = $1`+office, args...)
	hits, err := collect(rows, err, scanCaseHit)
	for i := range hits {
		hits[i].CertificateID = id
	}
	return hits, err
}

// CoordinationHit is a coordination across agencies found by a search.
type CoordinationHit struct {
	ID, CaseID, PersonID, LeadOrgID, OfficeID int64
	Personnummer, Name                        string
	ProtectedIdentity                         bool
	LeadOrgName                               string
	Status                                    string
}

// SearchCoordinations finds the coordinations org takes part in (invited
// to or leading) whose person has the personnummer or a name starting with
// the prefix, or whose case has the number; persons with protected
// identity are not found by name. The caller keeps those the person's
// consents let the actor see.
func SearchCoordinations(ctx context.Context, q Querier, t SearchTerms, orgID int64) ([]CoordinationHit, error) {
	var conds []searchCond
	var args []any
	byDate := "k.started_at DESC, k.id DESC"
	switch {
	case t.Personnummer != "":
		if !textStorable(t.Personnummer) {
			return nil, nil
		}
		conds, args = []searchCond{{"p.personnummer = $1", byDate}}, []any{t.Personnummer}
	case t.CaseID != 0:
		conds, args = []searchCond{{"k.case_id = $1", byDate}}, []any{t.CaseID}
	case t.Name != "":
		prefix := NamePrefix(t.Name)
		if !textStorable(prefix) || prefix == "" {
			return nil, nil
		}
		conds, args = nameSearches(q, prefix, 1)
		for i := range conds {
			conds[i].where += " AND NOT p.protected_identity"
		}
	default:
		return nil, nil
	}
	args = append(args, orgID)
	org := "$" + strconv.Itoa(len(args))
	return searchEach(conds, func(where, order string) ([]CoordinationHit, error) {
		rows, err := q.Query(ctx, `SELECT k.id, k.case_id, k.person_id, k.lead_org_id, COALESCE(c.office_id, 0),
				p.personnummer, p.name, p.protected_identity, o.name, k.status
			FROM persons p
			JOIN coordinations k ON k.person_id = p.id
			JOIN sickness_cases c ON c.id = k.case_id
			JOIN organisations o ON o.id = k.lead_org_id
			WHERE `+where+` AND (k.lead_org_id = `+org+` OR EXISTS (SELECT 1 FROM coordination_parties cp WHERE cp.coordination_id = k.id AND cp.org_id = `+org+`))
			ORDER BY `+order+` LIMIT `+strconv.Itoa(MaxSearchHits), args...)
		return collect(rows, err, func(rows *Rows) (CoordinationHit, error) {
			var h CoordinationHit
			err := rows.Scan(&h.ID, &h.CaseID, &h.PersonID, &h.LeadOrgID, &h.OfficeID, &h.Personnummer, &h.Name, &h.ProtectedIdentity, &h.LeadOrgName, &h.Status)
			return h, err
		})
	}, func(h CoordinationHit) int64 { return h.ID })
}

// searchEach runs one query per condition and gives their rows in turn,
// each row (by its id) once, at most MaxSearchHits.
func searchEach[T any](conds []searchCond, query func(where, order string) ([]T, error), id func(T) int64) ([]T, error) {
	var out []T
	seen := map[int64]bool{}
	for _, c := range conds {
		rows, err := query(c.where, c.order)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			if !seen[id(r)] && len(out) < MaxSearchHits {
				seen[id(r)] = true
				out = append(out, r)
			}
		}
	}
	return out, nil
}

// ParticipantHit is an association's participant found by a search.
type ParticipantHit struct {
	ID, InsatsID, PersonID int64
	InsatsName             string
	Personnummer, Name     string
	Status                 string
}

// SearchParticipants finds the participants of the association whose
// person has the personnummer or a name starting with the prefix.
// Participants registered without a person (protected identity) are never
// found. Case numbers and certificate ids find nothing here.
func SearchParticipants(ctx context.Context, q Querier, t SearchTerms, associationID int64) ([]ParticipantHit, error) {
	var conds []searchCond
	var args []any
	switch {
	case t.Personnummer != "":
		if !textStorable(t.Personnummer) {
			return nil, nil
		}
		conds, args = []searchCond{{"p.personnummer = $1", "pa.id DESC"}}, []any{t.Personnummer}
	case t.Name != "":
		prefix := NamePrefix(t.Name)
		if !textStorable(prefix) || prefix == "" {
			return nil, nil
		}
		conds, args = nameSearches(q, prefix, 1)
	default:
		return nil, nil
	}
	args = append(args, associationID)
	assoc := "$" + strconv.Itoa(len(args))
	return searchEach(conds, func(where, order string) ([]ParticipantHit, error) {
		rows, err := q.Query(ctx, `SELECT pa.id, pa.insats_id, p.id, i.name, p.personnummer, p.name, pa.status
			FROM persons p
			JOIN participants pa ON pa.person_id = p.id
			JOIN insatser i ON i.id = pa.insats_id
			WHERE `+where+` AND pa.association_id = `+assoc+`
			ORDER BY `+order+` LIMIT `+strconv.Itoa(MaxSearchHits), args...)
		return collect(rows, err, func(rows *Rows) (ParticipantHit, error) {
			var h ParticipantHit
			err := rows.Scan(&h.ID, &h.InsatsID, &h.PersonID, &h.InsatsName, &h.Personnummer, &h.Name, &h.Status)
			return h, err
		})
	}, func(h ParticipantHit) int64 { return h.ID })
}
