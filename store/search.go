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

// personNameTerm is the condition that the person p's given or family name
// starts with the prefix in parameters $n (the prefix) and $n+1 (its upper
// bound), in the expressions migration 13 indexes. A prefix of two words
// or more is compared with the whole name only.
func personNameTerm(q Querier, prefix string, n int) (string, []any) {
	pg := false
	if d, ok := q.(interface{ Dialect() Dialect }); ok {
		pg = d.Dialect() == Postgres
	}
	name, family := "p.name", "substr(p.name, instr(p.name, ' ') + 1)"
	if pg {
		name, family = `(p.name COLLATE "C")`, `(substr(p.name, strpos(p.name, ' ') + 1) COLLATE "C")`
	}
	lo, hi := "$"+strconv.Itoa(n), "$"+strconv.Itoa(n+1)
	cond := name + " >= " + lo + " AND " + name + " < " + hi
	if !strings.Contains(prefix, " ") {
		cond = "(" + cond + " OR " + family + " >= " + lo + " AND " + family + " < " + hi + ")"
	}
	// Every name that starts with prefix sorts below prefix followed by
	// the greatest code point.
	return cond, []any{prefix, prefix + string(utf8.MaxRune)}
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
		prefix := NamePrefix(t.Name)
		if !textStorable(prefix) || prefix == "" {
			return nil, nil
		}
		where, args = personNameTerm(q, prefix, 1)
		args = append(args, s.ProtectedFor)
		where += " AND (NOT p.protected_identity OR c.assigned_user_id = $3)"
	default:
		return nil, nil
	}
	if s.OfficeID != 0 {
		args = append(args, s.OfficeID)
		where += " AND c.office_id = $" + strconv.Itoa(len(args))
	}
	rows, err := q.Query(ctx, `SELECT c.id, c.person_id, p.personnummer, p.name, p.protected_identity,
			COALESCE(c.office_id, 0), COALESCE(o.name, ''), COALESCE(c.assigned_user_id, 0), COALESCE(u.name, ''),
			c.status, c.first_day, c.last_day
		FROM sickness_cases c
		JOIN persons p ON p.id = c.person_id
		LEFT JOIN offices o ON o.id = c.office_id
		LEFT JOIN users u ON u.id = c.assigned_user_id
		WHERE `+where+`
		ORDER BY c.last_day DESC, c.id DESC LIMIT `+strconv.Itoa(MaxSearchHits), args...)
	return collect(rows, err, scanCaseHit)
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
	var where string
	var args []any
	switch {
	case t.Personnummer != "":
		if !textStorable(t.Personnummer) {
			return nil, nil
		}
		where, args = "p.personnummer = $1", []any{t.Personnummer}
	case t.CaseID != 0:
		where, args = "k.case_id = $1", []any{t.CaseID}
	case t.Name != "":
		prefix := NamePrefix(t.Name)
		if !textStorable(prefix) || prefix == "" {
			return nil, nil
		}
		where, args = personNameTerm(q, prefix, 1)
		where += " AND NOT p.protected_identity"
	default:
		return nil, nil
	}
	args = append(args, orgID)
	org := "$" + strconv.Itoa(len(args))
	rows, err := q.Query(ctx, `SELECT k.id, k.case_id, k.person_id, k.lead_org_id, COALESCE(c.office_id, 0),
			p.personnummer, p.name, p.protected_identity, o.name, k.status
		FROM coordinations k
		JOIN persons p ON p.id = k.person_id
		JOIN sickness_cases c ON c.id = k.case_id
		JOIN organisations o ON o.id = k.lead_org_id
		WHERE `+where+` AND (k.lead_org_id = `+org+` OR EXISTS (SELECT 1 FROM coordination_parties cp WHERE cp.coordination_id = k.id AND cp.org_id = `+org+`))
		ORDER BY k.started_at DESC, k.id DESC LIMIT `+strconv.Itoa(MaxSearchHits), args...)
	return collect(rows, err, func(rows *Rows) (CoordinationHit, error) {
		var h CoordinationHit
		err := rows.Scan(&h.ID, &h.CaseID, &h.PersonID, &h.LeadOrgID, &h.OfficeID, &h.Personnummer, &h.Name, &h.ProtectedIdentity, &h.LeadOrgName, &h.Status)
		return h, err
	})
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
	var where string
	var args []any
	switch {
	case t.Personnummer != "":
		if !textStorable(t.Personnummer) {
			return nil, nil
		}
		where, args = "p.personnummer = $1", []any{t.Personnummer}
	case t.Name != "":
		prefix := NamePrefix(t.Name)
		if !textStorable(prefix) || prefix == "" {
			return nil, nil
		}
		where, args = personNameTerm(q, prefix, 1)
	default:
		return nil, nil
	}
	args = append(args, associationID)
	rows, err := q.Query(ctx, `SELECT pa.id, pa.insats_id, p.id, i.name, p.personnummer, p.name, pa.status
		FROM participants pa
		JOIN persons p ON p.id = pa.person_id
		JOIN insatser i ON i.id = pa.insats_id
		WHERE `+where+` AND pa.association_id = $`+strconv.Itoa(len(args))+`
		ORDER BY pa.id DESC LIMIT `+strconv.Itoa(MaxSearchHits), args...)
	return collect(rows, err, func(rows *Rows) (ParticipantHit, error) {
		var h ParticipantHit
		err := rows.Scan(&h.ID, &h.InsatsID, &h.PersonID, &h.InsatsName, &h.Personnummer, &h.Name, &h.Status)
		return h, err
	})
}
