package web

import (
	"strconv"

	"github.com/finsam/finsam/web/internal/site"
)

// stockholm is the time zone people read times in.
var stockholm = site.Stockholm

func itoa(i int64) string { return strconv.FormatInt(i, 10) }
