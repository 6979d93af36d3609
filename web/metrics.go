package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/finsam/finsam/store"
)

// metrics is the server's own Prometheus registry (no global default
// registry: two servers in one test process must not share counters).
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge
}

func newMetrics(st *store.Store, version string) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "finsam_http_requests_total",
			Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "finsam_http_request_duration_seconds",
			Help:    "Time from request to the end of the response, by route pattern.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "finsam_http_requests_in_flight",
			Help: "Requests being served now.",
		}),
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "finsam_build_info",
		Help:        "Always 1; the version is a label.",
		ConstLabels: prometheus.Labels{"version": version},
	})
	build.Set(1)
	m.registry.MustRegister(m.requests, m.duration, m.inFlight, build,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	if st != nil {
		m.registry.MustRegister(&poolCollector{store: st}, &recomputeCollector{store: st})
		if st.HasReplicas() {
			m.registry.MustRegister(&replicaCollector{store: st})
		}
	}
	return m
}

// observe records one finished request. The method is also in the route
// pattern ("GET /healthz"); the label repeats it so that unmatched requests
// can be told apart too.
func (m *metrics) observe(route, method string, status int, d time.Duration) {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
	default:
		method = "other" // keep the label set bounded
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// poolCollector reports the database connection pools.
type poolCollector struct{ store *store.Store }

var (
	poolOpen     = prometheus.NewDesc("finsam_db_connections_open", "Open database connections.", []string{"pool"}, nil)
	poolInUse    = prometheus.NewDesc("finsam_db_connections_in_use", "Database connections in use.", []string{"pool"}, nil)
	poolIdle     = prometheus.NewDesc("finsam_db_connections_idle", "Idle database connections.", []string{"pool"}, nil)
	poolMax      = prometheus.NewDesc("finsam_db_connections_max", "Maximum open database connections.", []string{"pool"}, nil)
	poolWaits    = prometheus.NewDesc("finsam_db_connection_waits_total", "Times a query waited for a free connection.", []string{"pool"}, nil)
	poolWaitTime = prometheus.NewDesc("finsam_db_connection_wait_seconds_total", "Time spent waiting for a free connection.", []string{"pool"}, nil)
)

func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolOpen, poolInUse, poolIdle, poolMax, poolWaits, poolWaitTime} {
		ch <- d
	}
}

func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	for name, st := range c.store.PoolStats() {
		ch <- prometheus.MustNewConstMetric(poolOpen, prometheus.GaugeValue, float64(st.OpenConnections), name)
		ch <- prometheus.MustNewConstMetric(poolInUse, prometheus.GaugeValue, float64(st.InUse), name)
		ch <- prometheus.MustNewConstMetric(poolIdle, prometheus.GaugeValue, float64(st.Idle), name)
		ch <- prometheus.MustNewConstMetric(poolMax, prometheus.GaugeValue, float64(st.MaxOpenConnections), name)
		ch <- prometheus.MustNewConstMetric(poolWaits, prometheus.CounterValue, float64(st.WaitCount), name)
		ch <- prometheus.MustNewConstMetric(poolWaitTime, prometheus.CounterValue, st.WaitDuration.Seconds(), name)
	}
}
