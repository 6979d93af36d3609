package web

import (
	"context"
	"net/http"
	"time"

	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/calculator"
	"github.com/finsam/finsam/web/internal/form"
	"github.com/finsam/finsam/web/internal/rulesview"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/supplement"
	"github.com/finsam/finsam/web/internal/svg"
	"github.com/finsam/finsam/web/quality"
)

// The names the pages still in this package use from the shared packages,
// kept while those pages move into feature packages of their own.
type (
	svgWriter = svg.Writer
)

const (
	chWidth  = svg.ChartWidth
	chRight  = svg.ChartRight
	chTop    = svg.ChartTop
	hbLabelW = svg.BarLabelWidth
	hbValueW = svg.BarValueWidth
	tlInk    = rulesview.Ink
)

var (
	chartStart = svg.ChartStart
	num        = svg.Num
)

// The rules API's names, which the command line shares.
const MaxRulesInputBytes = calculator.MaxRulesInputBytes

var (
	// EvaluateRulesJSON evaluates a JSON input (see calculator.EvaluateRulesJSON).
	EvaluateRulesJSON = calculator.EvaluateRulesJSON
	rulesStatus       = calculator.RulesStatus
)

// The quality board's figures, for its tests here.
type qualityAgg = quality.Agg

var (
	qualityFindingCodes = quality.FindingCodes
	decimal             = quality.Decimal
)

// The names the pages still in this package use from the case work
// (package cases) and the form model (package form).
type (
	caseInput   = form.Input
	problemLink = form.Link
)

// caseToday is the date in Sweden: the day deadlines and the rules result
// are reckoned from.
func (s *Server) caseToday() civil.Date { return s.site.Today() }

// loadCase reads the case named by the path's {id} and authorizes act on
// it (see cases.Handlers.LoadCase). On false it has answered.
func (s *Server) loadCase(w http.ResponseWriter, r *http.Request, a *actor, act policy.Action) (store.Case, organisation.Organisation, bool) {
	c, fk, err := s.features.cases.LoadCase(w, r, a, act)
	if err != nil {
		s.site.Fail(w, r, err)
		return c, fk, false
	}
	return c, fk, true
}

// maxCaseAPIBytes bounds a write's JSON body.
const maxCaseAPIBytes = 64 << 10

// readCaseJSON decodes a write's body strictly into v. On false it has
// answered: 415 for a body that is not JSON, 413 for one too large, 400
// for one that does not parse or has unknown fields.
func (s *Server) readCaseJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := site.ReadJSON(w, r, v, maxCaseAPIBytes); err != nil {
		s.site.Fail(w, r, err)
		return false
	}
	return true
}

// writeAudited answers with JSON once the request's audit entries are
// committed, 503 if they could not be.
func (s *Server) writeAudited(w http.ResponseWriter, r *http.Request, a *actor, status int, v any) {
	if err := site.WriteAuditedJSON(w, a, status, v); err != nil {
		s.site.Fail(w, r, err)
	}
}

// dateText is a date as YYYY-MM-DD, "–" when zero.
func dateText(d civil.Date) string {
	if d.IsZero() {
		return "–"
	}
	return d.String()
}

// The supplement requests' names the certificate pages and the messages
// API still in this package use (see package supplement).
type supplementView = supplement.View

// SendReminders sends the reminders of unanswered supplement requests (see
// supplement.SendReminders); the command line runs it.
var SendReminders = supplement.SendReminders

var sendReminders = supplement.SendRemindersTo

// supplementView builds the supplement part of the certificate page.
func (s *Server) supplementView(ctx context.Context, certificateID int64, lang string) (supplementView, error) {
	return supplement.Load(ctx, s.store, certificateID, lang, swedishDate(s.now()))
}

// swedishDate is the date of t in Sweden, at midnight UTC (as dates are
// stored).
func swedishDate(t time.Time) time.Time { return site.SwedishDate(t) }
