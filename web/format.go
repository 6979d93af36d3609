package web

import (
	"strconv"
	"time"
	_ "time/tzdata" // Swedish time without depending on the system's zoneinfo
)

// stockholm is the time zone people read times in.
var stockholm = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Stockholm"); err == nil {
		return loc
	}
	return time.UTC
}()

func itoa(i int64) string { return strconv.FormatInt(i, 10) }
