package intake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
)

// storeBatch stores the batch's certificates in the transaction, each step
// for every certificate at once (store's multi-row statements): look up
// the ids already received, the persons, their periods and latest cases;
// then, in the batch's order and in memory, score each certificate against
// the sick leave before it and join it to its case, as one certificate at
// a time would be; then write the new and grown cases, the certificates
// and their periods. It returns the audit events of the certificates
// accepted, in order.
func (in *Intake) storeBatch(ctx context.Context, tx *store.Tx, items []parsed, now time.Time) ([]audit.Event, error) {
	var keys []store.CertKey
	for i := range items {
		if it := &items[i]; it.cert != nil {
			keys = append(keys, store.CertKey{SenderOrgID: it.sub.SenderOrgID, CertID: it.cert.ID})
		}
	}
	prev, err := store.CertificatesByCertIDs(ctx, tx, keys)
	if err != nil {
		return nil, err
	}
	// Sort out the rejected, the duplicates and the conflicts; a
	// certificate sent twice in the batch is a duplicate (or a conflict)
	// of its first.
	var accepted []*parsed
	first := map[store.CertKey]*parsed{}
	type copyOf struct{ it, of *parsed }
	var copies []copyOf
	for i := range items {
		it := &items[i]
		if it.cert == nil { // malformed or invalid: kept for administrators
			if err := in.reject(ctx, tx, it, now); err != nil {
				return nil, err
			}
			continue
		}
		k := store.CertKey{SenderOrgID: it.sub.SenderOrgID, CertID: it.cert.ID}
		if p, ok := prev[k]; ok {
			if p.BodyHash == it.hash || p.BodyHash == legacyHash(it.canon) {
				it.result = Result{Status: Duplicate, CertificateID: p.ID, CaseID: p.CaseID}
				_ = json.Unmarshal(p.Findings, &it.result.Quality.Findings)
				it.result.Quality.Score = p.QualityScore
				continue
			}
			if err := in.conflict(ctx, tx, it, p.ID, now); err != nil {
				return nil, err
			}
			continue
		}
		if f, ok := first[k]; ok {
			if f.hash == it.hash {
				copies = append(copies, copyOf{it, f})
				continue
			}
			if err := in.conflict(ctx, tx, it, 0, now); err != nil { // the id is known once f is stored
				return nil, err
			}
			copies = append(copies, copyOf{it, f})
			continue
		}
		first[k] = it
		accepted = append(accepted, it)
	}
	if len(accepted) > 0 {
		if err := in.storeAccepted(ctx, tx, accepted, now); err != nil {
			return nil, err
		}
	}
	for _, c := range copies {
		if c.it.result.Status == Conflict {
			c.it.result.CertificateID = c.of.result.CertificateID
			continue
		}
		c.it.result = Result{Status: Duplicate, CertificateID: c.of.result.CertificateID, CaseID: c.of.result.CaseID,
			Quality: c.of.result.Quality}
	}
	var events []audit.Event
	for _, it := range accepted {
		e := it.sub.Actor
		e.At = now
		e.Action = "receive_certificate"
		e.Outcome = audit.OutcomeOK
		e.ResourceType = "certificate"
		e.ResourceID = strconv.FormatInt(it.result.CertificateID, 10)
		e.PersonKey = in.keys.PersonKey(personnummer.Number(it.cert.Patient.Personnummer))
		events = append(events, e)
	}
	return events, nil
}

// conflict rejects a certificate sent under an id already taken by
// another.
func (in *Intake) conflict(ctx context.Context, tx *store.Tx, it *parsed, otherID int64, now time.Time) error {
	it.result = Result{Status: Conflict, CertificateID: otherID, Errors: []certificate.FieldError{{
		Field: "id", Code: "conflict", Message: "another certificate was received under this id",
		MessageSV: "Ett annat intyg har redan tagits emot med samma id."}}}
	it.cert = nil
	return in.reject(ctx, tx, it, now)
}

// storeAccepted stores new certificates (see storeBatch).
func (in *Intake) storeAccepted(ctx context.Context, tx *store.Tx, accepted []*parsed, now time.Time) error {
	pnrs := make([]string, len(accepted))
	for i, it := range accepted {
		pnrs[i] = it.cert.Patient.Personnummer // canonical: 12 digits
	}
	persons, err := store.EnsurePersons(ctx, tx, pnrs, now)
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(persons))
	for _, id := range persons {
		ids = append(ids, id)
	}
	// Which case a certificate joins is decided from its person's periods
	// and cases: a concurrent intake for the same person waits here until
	// this one has written them.
	if err := store.LockPersons(ctx, tx, ids); err != nil {
		return err
	}
	periods, err := store.PersonsPeriods(ctx, tx, ids)
	if err != nil {
		return err
	}
	latest, err := store.LatestCases(ctx, tx, ids)
	if err != nil {
		return err
	}
	// New cases get negative ids (-1, -2, …) until they are stored.
	var newCases []store.CaseSpan
	grown := map[int64]bool{}
	certs := make([]store.NewCertificate, len(accepted))
	var spans [][]store.Period
	for i, it := range accepted {
		c := it.cert
		personID := persons[pnrs[i]]
		ps := c.Periods()
		firstDay, lastDay := ps[0].From, ps[0].To
		sp := make([]store.Period, len(ps))
		for j, p := range ps {
			if p.From.Before(firstDay) {
				firstDay = p.From
			}
			if p.To.After(lastDay) {
				lastDay = p.To
			}
			sp[j] = store.Period{From: p.From.Time(), To: p.To.Time(), Degree: p.Degree}
		}
		first, last := firstDay.Time(), lastDay.Time()
		q := certificate.Assess(c, in.fmb, store.SickDaysBefore(periods[personID], first))
		findings, err := json.Marshal(q.Findings)
		if err != nil {
			return err
		}
		cs, ok := latest[personID]
		if ok {
			var joined bool
			if cs, joined = store.JoinSpan(cs, first, last, sameCase); joined {
				if cs.ID < 0 {
					newCases[-cs.ID-1] = cs
				} else {
					grown[cs.ID] = true
				}
				latest[personID] = cs
			} else {
				ok = false
			}
		}
		if !ok {
			cs = store.CaseSpan{ID: -int64(len(newCases) + 1), PersonID: personID, FirstDay: first, LastDay: last}
			newCases = append(newCases, cs)
			// The case that ends last is the one the next certificate may
			// join.
			if have, any := latest[personID]; !any || !last.Before(have.LastDay) {
				latest[personID] = cs
			}
		}
		for _, p := range sp {
			periods[personID] = append(periods[personID], store.DayRange{From: p.From, To: p.To})
		}
		spans = append(spans, sp)
		certs[i] = store.NewCertificate{SenderOrgID: it.sub.SenderOrgID, CertID: c.ID, PersonID: personID, CaseID: cs.ID,
			SignedAt: c.SignedAt, ReceivedAt: now, IssuerHSAID: c.Issuer.HSAID, UnitHSAID: c.Issuer.UnitHSAID,
			UnitName: c.Issuer.UnitName, CareProviderHSAID: c.Issuer.CareProviderHSAID, CareProviderName: c.Issuer.CareProviderName,
			DiagnosisCode: c.Diagnoses[0].Code, FirstDay: first, LastDay: last, QualityScore: q.Score,
			Findings: findings, Source: it.sub.Source, Body: it.canon, BodyHash: it.hash, TestEnvironment: c.TestEnvironment()}
		if c.Relation != nil {
			certs[i].RelationType, certs[i].RelationCertID = c.Relation.Type, c.Relation.CertificateID
		}
		it.result = Result{Status: Accepted, Quality: q}
	}
	caseIDs, err := insertCases(ctx, tx, newCases, now)
	if err != nil {
		return err
	}
	var changed []store.CaseSpan
	for _, cs := range latest {
		if cs.ID > 0 && grown[cs.ID] {
			changed = append(changed, cs)
		}
	}
	if err := store.UpdateCaseSpans(ctx, tx, changed, now); err != nil {
		return err
	}
	for i := range certs {
		if certs[i].CaseID < 0 {
			certs[i].CaseID = caseIDs[-certs[i].CaseID-1]
		}
	}
	certIDs, err := store.InsertCertificates(ctx, tx, certs)
	if errors.Is(err, store.ErrConflict) {
		// Another sender transaction stored the same id since the look-up:
		// run the batch again, and the look-up will see it.
		return fmt.Errorf("%w: %v", store.ErrRetryable, err)
	} else if err != nil {
		return err
	}
	var rows []store.CertificatePeriod
	for i, sp := range spans {
		for _, p := range sp {
			rows = append(rows, store.CertificatePeriod{PersonID: certs[i].PersonID, CertificateID: certIDs[i], Period: p})
		}
	}
	if err := store.InsertCertificatePeriods(ctx, tx, rows, "certificate", now); err != nil {
		return err
	}
	for i, it := range accepted {
		it.result.CertificateID, it.result.CaseID = certIDs[i], certs[i].CaseID
		// A supplement (relation KOMPLT) answers FK's open requests about
		// the certificate it completes, in the same transaction.
		if r := it.cert.Relation; r != nil && r.Type == certificate.RelationSupplement {
			if _, err := store.AnswerSupplements(ctx, tx, it.sub.SenderOrgID, r.CertificateID, certIDs[i], now); err != nil {
				return err
			}
		}
	}
	return nil
}

// insertCases stores the new cases and returns their ids in order; cases
// of one person that start on the same day go in separate statements.
func insertCases(ctx context.Context, tx *store.Tx, cs []store.CaseSpan, now time.Time) ([]int64, error) {
	ids := make([]int64, len(cs))
	left := make([]int, len(cs))
	for i := range left {
		left[i] = i
	}
	for len(left) > 0 {
		type key struct {
			person int64
			first  time.Time
		}
		seen := map[key]bool{}
		var round, later []int
		for _, i := range left {
			k := key{cs[i].PersonID, cs[i].FirstDay}
			if seen[k] {
				later = append(later, i)
				continue
			}
			seen[k] = true
			round = append(round, i)
		}
		spans := make([]store.CaseSpan, len(round))
		for j, i := range round {
			spans[j] = cs[i]
		}
		got, err := store.InsertCaseSpans(ctx, tx, spans, now)
		if err != nil {
			return nil, err
		}
		for j, i := range round {
			ids[i] = got[j]
		}
		left = later
	}
	return ids, nil
}
