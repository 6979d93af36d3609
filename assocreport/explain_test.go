package assocreport_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/finsam/finsam/assocreport/synth"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// TestExplainReportQueries logs the plans of the report's heaviest
// queries over the generated data, the evidence for (or against) an index
// beyond migration 7's. Run it with FINSAM_BENCH_EXPLAIN=1 (and
// FINSAM_BENCH_ASSOCIATIONS=80 for the benchmark's full size) and -v.
func TestExplainReportQueries(t *testing.T) {
	if os.Getenv("FINSAM_BENCH_EXPLAIN") == "" {
		t.Skip("set FINSAM_BENCH_EXPLAIN=1 to log the report queries' plans")
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		cfg := benchConfig()
		res, err := synth.Load(ctx, st, cfg)
		if err != nil {
			t.Fatal(err)
		}
		st.Exec(ctx, "ANALYZE") // as autovacuum (PostgreSQL) or PRAGMA optimize (SQLite) would
		a := res.Associations[len(res.Associations)/2].ID
		// The queries as store/association_reports.go builds them, for
		// the last year and one association (and all, for the CSV).
		active := "p.status <> 'pending' AND p.start_on <= '2025-12-31' AND (p.end_on IS NULL OR p.end_on >= '2025-01-01') AND p.end_reason NOT IN ('wrong_registration')"
		ended := "p.status = 'ended' AND p.end_on >= '2025-01-01' AND p.end_on <= '2025-12-31' AND p.end_reason NOT IN ('wrong_registration')"
		queries := map[string]string{
			"participants by sex": `SELECT c.insats_id, i.name, i.kind, i.planned_participants, c.sex, c.n
				FROM (SELECT p.insats_id, p.sex, count(*) AS n FROM participants p WHERE p.association_id = ` + itoa(a) + ` AND ` + active + `
				GROUP BY p.insats_id, p.sex) c JOIN insatser i ON i.id = c.insats_id ORDER BY i.name, c.insats_id, c.sex`,
			"participants by sex, all associations (CSV)": `SELECT c.insats_id, i.name, i.kind, i.planned_participants, c.sex, c.n
				FROM (SELECT p.insats_id, p.sex, count(*) AS n FROM participants p WHERE ` + active + `
				GROUP BY p.insats_id, p.sex) c JOIN insatser i ON i.id = c.insats_id ORDER BY i.name, c.insats_id, c.sex`,
			"income sources": `SELECT s.phase, s.source, count(*) FROM participants p JOIN participant_incomes s ON s.participant_id = p.id
				WHERE p.association_id = ` + itoa(a) + ` AND ` + ended + ` GROUP BY s.phase, s.source ORDER BY 1, 2`,
			"occupations": `SELECT m.phase, m.occupation, count(*) FROM participants p JOIN participant_measures m ON m.participant_id = p.id
				WHERE p.association_id = ` + itoa(a) + ` AND ` + ended + ` AND m.occupation <> '' GROUP BY m.phase, m.occupation ORDER BY 1, 2`,
			"budget by insats": `SELECT year, kind, COALESCE(insats_id, 0), SUM(CASE WHEN entry = 'budget' THEN amount_ore ELSE 0 END),
				SUM(CASE WHEN entry = 'outcome' THEN amount_ore ELSE 0 END) FROM association_budget_lines
				WHERE year >= 2025 AND year <= 2025 AND association_id = ` + itoa(a) + ` GROUP BY year, kind, COALESCE(insats_id, 0) ORDER BY 1, 2, 3`,
		}
		prefix := "EXPLAIN QUERY PLAN "
		if st.Dialect() == store.Postgres {
			prefix = "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "
		}
		for name, q := range queries {
			rows, err := st.Query(ctx, prefix+q)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			var plan []string
			for rows.Next() {
				var line string
				if st.Dialect() == store.Postgres {
					err = rows.Scan(&line)
				} else {
					var id, parent, unused int64
					err = rows.Scan(&id, &parent, &unused, &line)
				}
				if err != nil {
					t.Fatal(err)
				}
				plan = append(plan, line)
			}
			rows.Close()
			t.Logf("%s (%d participants):\n%s", name, res.Participants, strings.Join(plan, "\n"))
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
