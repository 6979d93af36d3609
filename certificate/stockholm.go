package certificate

import "time"

// Swedish local time without a time-zone database: RegisterCertificate's
// signeringstidpunkt is a local date-time with no offset, and "the day the
// certificate was signed" is a Swedish calendar day. Loading
// Europe/Stockholm would mean reading the system's zoneinfo (I/O) or
// embedding all of tzdata, so the package applies Sweden's rules itself:
// CET (+01:00), and CEST (+02:00) from the last Sunday of March 01:00 UTC
// to the last Sunday of October 01:00 UTC (EU rule, from 1996), or of
// September for 1981–1995; no summer time before 1981 (Sweden had none from
// 1950 to 1979, and 1980's dates differ — certificates that old are not
// expected).

// stockholmOffset returns Sweden's UTC offset in seconds at instant t.
func stockholmOffset(t time.Time) int {
	u := t.UTC()
	y := u.Year()
	if y < 1981 {
		return 3600
	}
	endMonth := time.October
	if y < 1996 {
		endMonth = time.September
	}
	start := lastSunday(y, time.March).Add(time.Hour)
	end := lastSunday(y, endMonth).Add(time.Hour)
	if !u.Before(start) && u.Before(end) {
		return 7200
	}
	return 3600
}

// lastSunday returns 00:00 UTC on the last Sunday of month m in year y.
func lastSunday(y int, m time.Month) time.Time {
	d := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC) // last day of m
	return d.AddDate(0, 0, -int(d.Weekday()))
}

// inStockholm returns t in a fixed zone with Sweden's offset at t.
func inStockholm(t time.Time) time.Time {
	return t.In(time.FixedZone("", stockholmOffset(t)))
}

// fromStockholmWall interprets a wall-clock time given as UTC fields (as
// time.Parse returns a time without zone) as Swedish local time. In the
// autumn hour that occurs twice the summer-time reading wins; a time in the
// spring gap is read as winter time, that is one hour later in summer time.
func fromStockholmWall(wall time.Time) time.Time {
	if summer := wall.Add(-2 * time.Hour); stockholmOffset(summer) == 7200 {
		return summer.In(time.FixedZone("", 7200))
	}
	return inStockholm(wall.Add(-time.Hour))
}

// SignedDate is the Swedish calendar day on which the certificate was
// signed, or the zero Date when SignedAt is not set.
func (c *Certificate) SignedDate() Date {
	if c.SignedAt.IsZero() {
		return Date{}
	}
	return SwedishDate(c.SignedAt)
}

// SwedishDate is the calendar day in Sweden at instant t: what "today" means
// for Validate.
func SwedishDate(t time.Time) Date { return DateOf(inStockholm(t)) }

// parseDateTime reads a date-time as senders write it: RFC 3339 with an
// offset is taken as given; without one (as RegisterCertificate's
// signeringstidpunkt always is) it is Swedish local time, summer time
// included.
func parseDateTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	t, err := time.Parse("2006-01-02T15:04:05.999999999", s)
	if err != nil {
		return time.Time{}, err
	}
	return fromStockholmWall(t), nil
}
