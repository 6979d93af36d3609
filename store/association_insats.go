package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/finsam/finsam/association"
)

const insatsColumns = `id, association_id, name, description, kind, target_group, responsible_org_id, start_on, end_on,
	planned_participants, follow_up, status, public, version`

func scanInsats(scan func(...any) error) (association.Insats, error) {
	var in association.Insats
	var kind, followUp, status string
	err := scan(&in.ID, &in.AssociationID, &in.Name, &in.Description, &kind, &in.TargetGroup, &in.ResponsibleOrgID,
		assocDateDest(&in.Start), assocDateDest(&in.End), &in.Planned, &followUp, &status, &in.Public, &in.Version)
	in.Kind, in.FollowUp, in.Status = association.Kind(kind), association.FollowUp(followUp), association.InsatsStatus(status)
	return in, err
}

// assocCheckParties refuses parties that are not members of the
// association, with the domain's error so that a form can show it.
func assocCheckParties(ctx context.Context, tx *Tx, associationID int64, parties []int64) error {
	var bad []string
	for _, p := range parties {
		var n int
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM association_members WHERE association_id = $1 AND member_id = $2", associationID, p).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			bad = append(bad, strconv.FormatInt(p, 10))
		}
	}
	if len(bad) > 0 {
		return association.Errors{{Code: association.CodePartyNotMember, Field: "parties",
			Message:   "not a member of the association: " + strings.Join(bad, ", "),
			MessageSV: "inte medlem i förbundet: " + strings.Join(bad, ", ")}}
	}
	return nil
}

// assocCheckInsats validates in (which normalises it) and checks that its
// parties are members of its association: what an insats must pass to be
// stored.
func assocCheckInsats(ctx context.Context, tx *Tx, in *association.Insats) error {
	if err := in.Validate(); err != nil {
		return err
	}
	return assocCheckParties(ctx, tx, in.AssociationID, in.PartyOrgIDs)
}

// CreateInsats validates and stores an insats with its parties and yearly
// budgets (budget lines of kind insats), all in the caller's transaction,
// and returns it with its id and version.
func CreateInsats(ctx context.Context, tx *Tx, in association.Insats, now time.Time) (association.Insats, error) {
	if err := assocCheckInsats(ctx, tx, &in); err != nil {
		return in, err
	}
	id, err := tx.InsertID(ctx, `INSERT INTO insatser (association_id, name, description, kind, target_group, responsible_org_id,
		start_on, end_on, planned_participants, follow_up, status, public, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $13) RETURNING id`,
		in.AssociationID, in.Name, in.Description, string(in.Kind), in.TargetGroup, in.ResponsibleOrgID,
		assocDate(in.Start), assocDate(in.End), in.Planned, string(in.FollowUp), string(in.Status), in.Public, now.UTC())
	if err != nil {
		return in, fmt.Errorf("create insats: %w", err)
	}
	in.ID, in.Version = id, 1
	return in, assocWriteInsatsChildren(ctx, tx, in, now)
}

// insatsDocumentsKey is the setting that holds an insats's documents as
// JSON (migration 7 has no table for them; a list of titles and links is
// small and read only with its insats).
func insatsDocumentsKey(id int64) string { return "insats_documents:" + strconv.FormatInt(id, 10) }

func assocWriteInsatsChildren(ctx context.Context, tx *Tx, in association.Insats, now time.Time) error {
	// An insats marked public is in the association's catalogue.
	if err := BumpSiteContent(ctx, tx, in.AssociationID); err != nil {
		return err
	}
	docs := in.Documents
	if docs == nil {
		docs = []association.Document{}
	}
	b, err := json.Marshal(docs)
	if err != nil {
		return err
	}
	if err := SetSetting(ctx, tx, insatsDocumentsKey(in.ID), string(b)); err != nil {
		return fmt.Errorf("insats documents: %w", err)
	}
	for _, p := range in.PartyOrgIDs {
		if _, err := tx.Exec(ctx, "INSERT INTO insats_parties (insats_id, association_id, org_id) VALUES ($1, $2, $3)", in.ID, in.AssociationID, p); err != nil {
			return fmt.Errorf("insats party %d: %w", p, err)
		}
	}
	lines := make([]BudgetLine, len(in.Budgets))
	for i, b := range in.Budgets {
		lines[i] = BudgetLine{AssociationID: in.AssociationID, Year: b.Year, Entry: EntryBudget, Kind: LineInsats, InsatsID: in.ID,
			Financier: b.Financier, Amount: b.Amount}
	}
	_, err = CreateBudgetLines(ctx, tx, lines, now)
	return err
}

// UpdateInsats saves an edited insats, replacing its parties and yearly
// budgets, if in.Version is still the stored version (ErrStale otherwise;
// ErrNotFound when the association has no such insats). It returns the
// insats with its new version.
func UpdateInsats(ctx context.Context, tx *Tx, in association.Insats, now time.Time) (association.Insats, error) {
	if err := assocCheckInsats(ctx, tx, &in); err != nil {
		return in, err
	}
	res, err := tx.Exec(ctx, `UPDATE insatser SET name = $4, description = $5, kind = $6, target_group = $7, responsible_org_id = $8,
		start_on = $9, end_on = $10, planned_participants = $11, follow_up = $12, status = $13, public = $14,
		version = version + 1, updated_at = $15
		WHERE id = $1 AND association_id = $2 AND version = $3`,
		in.ID, in.AssociationID, in.Version, in.Name, in.Description, string(in.Kind), in.TargetGroup, in.ResponsibleOrgID,
		assocDate(in.Start), assocDate(in.End), in.Planned, string(in.FollowUp), string(in.Status), in.Public, now.UTC())
	if err := mustAffect(res, err); err != nil {
		if errors.Is(err, ErrNotFound) {
			var v int
			if e := tx.QueryRow(ctx, "SELECT version FROM insatser WHERE id = $1 AND association_id = $2", in.ID, in.AssociationID).Scan(&v); e == nil {
				return in, ErrStale
			}
		}
		return in, err
	}
	in.Version++
	if _, err := tx.Exec(ctx, "DELETE FROM insats_parties WHERE insats_id = $1", in.ID); err != nil {
		return in, err
	}
	if _, err := tx.Exec(ctx, "DELETE FROM association_budget_lines WHERE insats_id = $1 AND entry = 'budget'", in.ID); err != nil {
		return in, err
	}
	return in, assocWriteInsatsChildren(ctx, tx, in, now)
}

// InsatsByID reads one of the association's insatser with its parties and
// budgets; ErrNotFound when it has none with the id.
func InsatsByID(ctx context.Context, q Querier, associationID, id int64) (association.Insats, error) {
	in, err := scanInsats(q.QueryRow(ctx, "SELECT "+insatsColumns+" FROM insatser WHERE id = $1 AND association_id = $2", id, associationID).Scan)
	if err != nil {
		return in, err
	}
	in.PartyOrgIDs, err = queryRows(ctx, q, func(p *int64) []any { return []any{p} },
		"SELECT org_id FROM insats_parties WHERE insats_id = $1 ORDER BY org_id", id)
	if err != nil {
		return in, err
	}
	in.Budgets, err = queryList(ctx, q, func(scan func(...any) error) (association.YearBudget, error) {
		var b association.YearBudget
		var fin string
		err := scan(&b.Year, &fin, &b.Amount)
		b.Financier = association.Financier(fin)
		return b, err
	}, `SELECT year, financier, amount_ore FROM association_budget_lines
		WHERE insats_id = $1 AND entry = 'budget' ORDER BY year, financier`, id)
	if err != nil {
		return in, err
	}
	association.SortBudgets(in.Budgets)
	docs, err := Setting(ctx, q, insatsDocumentsKey(id))
	if errors.Is(err, ErrNotFound) {
		return in, nil
	}
	if err != nil {
		return in, err
	}
	if err := json.Unmarshal([]byte(docs), &in.Documents); err != nil {
		return in, fmt.Errorf("insats %d documents: %w", id, err)
	}
	if len(in.Documents) == 0 {
		in.Documents = nil
	}
	return in, nil
}

// InsatsQuery selects insatser for a list.
type InsatsQuery struct {
	AssociationID int64 // required
	Status        association.InsatsStatus
	Kind          association.Kind
	PublicOnly    bool
}

// Insatser lists an association's insatser by name, without parties and
// budgets (InsatsByID reads those).
func Insatser(ctx context.Context, q Querier, f InsatsQuery) ([]association.Insats, error) {
	if !textStorable(string(f.Status)) || !textStorable(string(f.Kind)) {
		return nil, nil
	}
	where := []string{"association_id = $1"}
	args := []any{f.AssociationID}
	if f.Status != "" {
		args = append(args, string(f.Status))
		where = append(where, "status = $"+strconv.Itoa(len(args)))
	}
	if f.Kind != "" {
		args = append(args, string(f.Kind))
		where = append(where, "kind = $"+strconv.Itoa(len(args)))
	}
	if f.PublicOnly {
		where = append(where, "public")
	}
	return queryList(ctx, q, scanInsats, "SELECT "+insatsColumns+" FROM insatser WHERE "+strings.Join(where, " AND ")+" ORDER BY name, id", args...)
}
