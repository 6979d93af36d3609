package casework_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/store"
)

func TestConsolidatePeriods(t *testing.T) {
	signed := func(s string) time.Time { return day(s).Add(10 * time.Hour) }
	// cert makes a period of certificate id, signed on, with the issuer's
	// id "c<id>" from sender 1, replacing the issuer's id replaces.
	cert := func(pid, id int64, on, from, to string, degree int, replaces string) store.Period {
		return store.Period{ID: pid, CertificateID: id, SignedAt: signed(on), SenderOrgID: 1, CertID: "c" + strconv.FormatInt(id, 10),
			Replaces: replaces, From: day(from), To: day(to), Degree: degree}
	}
	hand := func(pid int64, from, to string, degree int) store.Period {
		return store.Period{ID: pid, From: day(from), To: day(to), Degree: degree}
	}
	tests := []struct {
		name    string
		periods []store.Period
		want    string // from..to degree by period [overruled periods]
	}{
		{"none", nil, ""},
		{"a renewal (FRLANG) overlapping the end", []store.Period{cert(1, 1, "2026-09-01", "2026-09-01", "2026-09-30", 100, ""),
			cert(2, 2, "2026-09-25", "2026-09-25", "2026-10-31", 50, "")},
			"2026-09-01..2026-09-24 100 by 1; 2026-09-25..2026-10-31 50 by 2 [1:100]"},
		{"the same degree is no disagreement", []store.Period{cert(1, 1, "2026-09-01", "2026-09-01", "2026-09-30", 100, ""),
			cert(2, 2, "2026-09-25", "2026-09-25", "2026-10-31", 100, "")},
			"2026-09-01..2026-09-24 100 by 1; 2026-09-25..2026-10-31 100 by 2"},
		{"ERSATT removes the replaced certificate on every day", []store.Period{cert(1, 1, "2026-09-01", "2026-09-01", "2026-10-31", 100, ""),
			cert(2, 2, "2026-09-10", "2026-09-01", "2026-09-30", 50, "c1")},
			"2026-09-01..2026-09-30 50 by 2"},
		{"ERSATT of another sender's certificate replaces nothing", []store.Period{cert(1, 1, "2026-09-01", "2026-09-01", "2026-10-31", 100, ""),
			func() store.Period {
				p := cert(2, 2, "2026-09-10", "2026-09-01", "2026-09-30", 50, "c1")
				p.SenderOrgID = 2
				return p
			}()},
			"2026-09-01..2026-09-30 50 by 2 [1:100]; 2026-10-01..2026-10-31 100 by 1"},
		{"a period entered by hand decides over a later certificate", []store.Period{hand(7, "2026-09-01", "2026-09-30", 75),
			cert(1, 1, "2026-10-05", "2026-09-20", "2026-10-15", 100, "")},
			"2026-09-01..2026-09-30 75 by 7 [1:100]; 2026-10-01..2026-10-15 100 by 1"},
		{"two certificates of one signing time: the one stored last", []store.Period{cert(1, 1, "2026-09-01", "2026-09-01", "2026-09-30", 100, ""),
			cert(2, 2, "2026-09-01", "2026-09-01", "2026-09-30", 25, "")},
			"2026-09-01..2026-09-30 25 by 2 [1:100]"},
		{"a newer certificate inside an older one splits it", []store.Period{cert(1, 1, "2026-09-01", "2026-09-01", "2026-12-31", 100, ""),
			cert(2, 2, "2026-10-10", "2026-10-10", "2026-10-31", 50, "")},
			"2026-09-01..2026-10-09 100 by 1; 2026-10-10..2026-10-31 50 by 2 [1:100]; 2026-11-01..2026-12-31 100 by 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := casework.ConsolidatePeriods(tc.periods)
			var got []string
			for i, d := range ds {
				if i > 0 && !d.From.After(ds[i-1].To) {
					t.Fatalf("periods overlap: %+v", ds)
				}
				s := d.From.String() + ".." + d.To.String() + " " + strconv.Itoa(d.Degree) + " by " + strconv.FormatInt(d.PeriodID, 10)
				var over []string
				for _, o := range d.Overruled {
					over = append(over, strconv.FormatInt(o.PeriodID, 10)+":"+strconv.Itoa(o.Degree))
				}
				if over != nil {
					s += " [" + strings.Join(over, " ") + "]"
				}
				got = append(got, s)
			}
			if strings.Join(got, "; ") != tc.want {
				t.Errorf("got  %s\nwant %s", strings.Join(got, "; "), tc.want)
			}
			if rp := casework.RulesPeriods(ds); len(rp) != len(ds) {
				t.Errorf("RulesPeriods: %v", rp)
			}
		})
	}
}
