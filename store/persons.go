package store

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Person is someone finsam holds data about. The personnummer (or
// samordningsnummer) is stored normalised to 12 digits and never written to
// logs or URLs; the id is used instead.
type Person struct {
	ID                int64
	Personnummer      string
	Name              string
	MunicipalityCode  string
	ProtectedIdentity bool
}

// SavePerson creates the person or, when the personnummer is known,
// updates name, municipality and the protected-identity flag where the new
// values are given (an empty name or municipality keeps the old one). It
// returns the id.
func SavePerson(ctx context.Context, tx *Tx, p Person, now time.Time) (int64, error) {
	id, err := EnsurePerson(ctx, tx, p.Personnummer, now)
	if err != nil {
		return 0, err
	}
	_, err = tx.Exec(ctx, `UPDATE persons SET name = CASE WHEN $2 = '' THEN name ELSE $2 END,
		municipality_code = COALESCE($3, municipality_code), protected_identity = $4 WHERE id = $1`,
		id, p.Name, nullString(p.MunicipalityCode), p.ProtectedIdentity)
	return id, err
}

// CountPersons tells how many persons the database holds.
func CountPersons(ctx context.Context, q Querier) (int, error) {
	var n int
	err := q.QueryRow(ctx, "SELECT count(*) FROM persons").Scan(&n)
	return n, err
}

// personColumns are the columns of a Person, in the order personDest
// gives its fields.
const personColumns = "id, personnummer, name, COALESCE(municipality_code, ''), protected_identity"

func personDest(p *Person) []any {
	return []any{&p.ID, &p.Personnummer, &p.Name, &p.MunicipalityCode, &p.ProtectedIdentity}
}

// PersonByID reads one person.
func PersonByID(ctx context.Context, q Querier, id int64) (Person, error) {
	var p Person
	err := q.QueryRow(ctx, "SELECT "+personColumns+" FROM persons WHERE id = $1", id).Scan(personDest(&p)...)
	return p, err
}

// PersonsByID reads the persons of ids, by id, in one query per 500 ids;
// ids that name no person are left out.
func PersonsByID(ctx context.Context, q Querier, ids []int64) (map[int64]Person, error) {
	out := make(map[int64]Person, len(ids))
	for chunk := range slices.Chunk(ids, 500) {
		marks := make([]string, len(chunk))
		args := make([]any, len(chunk))
		for i, id := range chunk {
			marks[i] = "$" + strconv.Itoa(i+1)
			args[i] = id
		}
		persons, err := queryRows(ctx, q, personDest, "SELECT "+personColumns+" FROM persons WHERE id IN ("+strings.Join(marks, ", ")+")", args...)
		if err != nil {
			return nil, err
		}
		for _, p := range persons {
			out[p.ID] = p
		}
	}
	return out, nil
}

// PersonByNumber finds a person by the normalised personnummer.
func PersonByNumber(ctx context.Context, q Querier, personnummer string) (Person, error) {
	var p Person
	err := q.QueryRow(ctx, "SELECT "+personColumns+" FROM persons WHERE personnummer = $1", personnummer).Scan(personDest(&p)...)
	return p, err
}
