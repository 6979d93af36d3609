package site

import (
	"html/template"
	"log/slog"
	"net/http"
	"sync"
	"time"
	_ "time/tzdata" // Swedish time without depending on the system's zoneinfo

	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/ruleset"
	"github.com/finsam/finsam/store"
)

// Site is what every feature's handlers share: the server's dependencies,
// its pages and messages. The web package builds one per server; features
// keep a pointer to it and never change it after the routes are registered.
type Site struct {
	// buffers hold pages while they render: a worklist page is some 100 KB,
	// and growing a fresh buffer to that size for every page was a sixth of
	// what the page allocated.
	buffers *sync.Pool

	Store   *store.Store
	Log     *slog.Logger
	Version string
	Audit   *store.AuditRecorder
	// Now is the clock.
	Now   func() time.Time
	Rules *ruleset.Holder
	// Messages are the catalogues of the core and every feature, merged:
	// what templates translate with.
	Messages Catalogue
	// Mux finds the page a language switch returns to.
	Mux *http.ServeMux
	// UnauditedReads skips the audit of reads. Only the benchmark that
	// measures what auditing costs sets it; nothing else may.
	UnauditedReads bool

	pages  map[string]*template.Template
	assets *assets
}

// Engine is the rules engine in force. A handler takes it once and uses
// that engine throughout the request.
func (s *Site) Engine() *rules.Engine { return s.Rules.Engine() }

// New is a site with the core's templates and static files; the web
// package fills in the dependencies and adds the features' pages.
func New(s Site) (*Site, error) {
	var err error
	s.pages = map[string]*template.Template{}
	s.buffers = &sync.Pool{}
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if err := s.AddPages(Pages{FS: templateFS, Dir: "templates"}); err != nil {
		return nil, err
	}
	return &s, nil
}

// Stockholm is the time zone people read times in.
var Stockholm = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Stockholm"); err == nil {
		return loc
	}
	return time.UTC
}()

// SwedishDate is the date of t in Sweden, at midnight UTC (as dates are
// stored).
func SwedishDate(t time.Time) time.Time {
	y, m, d := t.In(Stockholm).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Today is the date in Sweden by the site's clock: the day case work and
// the rules are evaluated on.
func (s *Site) Today() civil.Date { return civil.Of(SwedishDate(s.Now())) }
