package coordination

import (
	"strings"
	"time"

	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/web/internal/site"
)

// civilOf is the Swedish date a policy resource asks on.
func civilOf(r policy.Resource) civil.Date { return civil.Of(r.Now.UTC()) }

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(site.Stockholm).Format("2006-01-02")
}

func dayUTC(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

func clock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(site.Stockholm).Format("2006-01-02 15:04")
}

// parseDate reads a date field; "" is the zero date, ok false a bad one.
func parseDate(v string) (civil.Date, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return civil.Date{}, true
	}
	d, err := civil.Parse(v)
	return d, err == nil
}

// parseClock reads a date and a time of day in Swedish time.
func parseClock(date, hm string) (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(date)+" "+strings.TrimSpace(hm), site.Stockholm)
	return t, err == nil
}
