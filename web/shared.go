package web

import (
	"html/template"

	"github.com/finsam/finsam/web/calculator"
	"github.com/finsam/finsam/web/internal/rulesview"
	"github.com/finsam/finsam/web/internal/svg"
	"github.com/finsam/finsam/web/quality"
)

// The names the pages still in this package use from the shared packages,
// kept while those pages move into feature packages of their own.
type (
	svgWriter      = svg.Writer
	timeline       = rulesview.Timeline
	timelinePeriod = rulesview.TimelinePeriod
	timelineSpan   = rulesview.TimelineSpan
)

// The case page's rows of facts, legend and trace, the shapes the
// calculator's page has too.
type (
	calcFact       struct{ Label, Value string }
	calcLegendItem struct {
		Swatch template.HTML
		Label  string
	}
	calcTraceRow struct{ Step, Ref, Value string }
)

const (
	chWidth     = svg.ChartWidth
	chRight     = svg.ChartRight
	chTop       = svg.ChartTop
	hbLabelW    = svg.BarLabelWidth
	hbValueW    = svg.BarValueWidth
	tlInk       = rulesview.Ink
	tlDateLine  = rulesview.DateLine
	tlLevelLine = rulesview.LevelLine
	tlLimitLine = rulesview.LimitLine
)

var (
	chartStart        = svg.ChartStart
	num               = svg.Num
	axisTicks         = rulesview.AxisTicks
	chainPhases       = rulesview.ChainPhases
	tlPhaseFill       = rulesview.PhaseFill
	tlDegreeFill      = rulesview.DegreeFill
	buildTimeline     = rulesview.BuildTimeline
	traceDate         = rulesview.TraceDate
	minDate           = rulesview.MinDate
	maxDate           = rulesview.MaxDate
	formatInt         = rulesview.FormatInt
	traceValueText    = rulesview.TraceValueText
	provisionalLabels = rulesview.ProvisionalLabels
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
