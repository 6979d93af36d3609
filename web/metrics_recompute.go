package web

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/store"
)

// recomputeCollector reports the latest run of the case recompute (the
// nightly run inside `finsam serve` or `finsam cases recompute`), read from
// the database at each scrape so that every instance reports the same run.
type recomputeCollector struct{ store *store.Store }

var (
	recomputeStarted     = prometheus.NewDesc("finsam_recompute_last_started_timestamp_seconds", "Start of the latest case recompute run.", nil, nil)
	recomputeFinished    = prometheus.NewDesc("finsam_recompute_last_finished_timestamp_seconds", "End of the latest case recompute run; 0 while running or interrupted.", nil, nil)
	recomputeProcessed   = prometheus.NewDesc("finsam_recompute_last_cases", "Cases the latest recompute run evaluated.", nil, nil)
	recomputeFailed      = prometheus.NewDesc("finsam_recompute_last_failed_cases", "Cases the latest recompute run could not evaluate.", nil, nil)
	recomputeProvisional = prometheus.NewDesc("finsam_recompute_last_provisional_cases",
		"Cases the latest recompute run evaluated with a rules parameter carried forward past its newest value.", nil, nil)
	recomputeDuration = prometheus.NewDesc("finsam_recompute_last_duration_seconds", "Duration of the latest finished recompute run.", nil, nil)
	recomputeEvalDate = prometheus.NewDesc("finsam_recompute_last_eval_date_timestamp_seconds", "The date the latest recompute run evaluated the cases for (midnight UTC).", nil, nil)
)

func (c *recomputeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{recomputeStarted, recomputeFinished, recomputeProcessed, recomputeFailed, recomputeProvisional, recomputeDuration, recomputeEvalDate} {
		ch <- d
	}
}

func (c *recomputeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	run, ok, err := casework.LatestRun(ctx, c.store)
	if err != nil || !ok {
		return
	}
	unix := func(t time.Time) float64 {
		if t.IsZero() {
			return 0
		}
		return float64(t.UnixNano()) / 1e9
	}
	ch <- prometheus.MustNewConstMetric(recomputeStarted, prometheus.GaugeValue, unix(run.StartedAt))
	ch <- prometheus.MustNewConstMetric(recomputeFinished, prometheus.GaugeValue, unix(run.FinishedAt))
	ch <- prometheus.MustNewConstMetric(recomputeProcessed, prometheus.GaugeValue, float64(run.Processed))
	ch <- prometheus.MustNewConstMetric(recomputeFailed, prometheus.GaugeValue, float64(run.Failed))
	ch <- prometheus.MustNewConstMetric(recomputeProvisional, prometheus.GaugeValue, float64(run.Provisional))
	ch <- prometheus.MustNewConstMetric(recomputeEvalDate, prometheus.GaugeValue, unix(run.EvalDate))
	if !run.FinishedAt.IsZero() {
		ch <- prometheus.MustNewConstMetric(recomputeDuration, prometheus.GaugeValue, run.FinishedAt.Sub(run.StartedAt).Seconds())
	}
}
