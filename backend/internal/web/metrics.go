package web

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/gzga/idcard/backend/internal/service"
)

// metrics are the service's Prometheus series, in a registry of its own.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics(db *sql.DB, svc *service.Service) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "idcard_http_requests_total",
			Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "idcard_http_request_duration_seconds",
			Help:    "HTTP request latency by route.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route", "method"}),
	}
	m.reg.MustRegister(m.requests, m.latency,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if db != nil {
		m.reg.MustRegister(collectors.NewDBStatsCollector(db, "idcard"))
	}
	if svc != nil {
		m.reg.MustRegister(outboxCollector{svc: svc, desc: prometheus.NewDesc("idcard_outbox_messages",
			"Outbox messages by state (pending, sending, sent, skipped, dead) and channel, counted at the scrape.",
			[]string{"state", "channel"}, nil)})
	}
	return m
}

// outboxCollector counts the outbox when scraped: a growing dead count is
// a channel refusing messages.
type outboxCollector struct {
	svc  *service.Service
	desc *prometheus.Desc
}

func (o outboxCollector) Describe(ch chan<- *prometheus.Desc) { ch <- o.desc }

func (o outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := o.svc.OutboxCounts(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(o.desc, err)
		return
	}
	for _, c := range counts {
		for _, chn := range service.OutboxChannels() {
			ch <- prometheus.MustNewConstMetric(o.desc, prometheus.GaugeValue, float64(c.ByChannel[chn.Value]), c.State, chn.Value)
		}
	}
}

// observe records one request under its route pattern (never the raw path,
// which would carry case numbers and grow without bound).
func (m *metrics) observe(c *gin.Context, started time.Time) {
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, c.Request.Method, strconv.Itoa(c.Writer.Status())).Inc()
	m.latency.WithLabelValues(route, c.Request.Method).Observe(time.Since(started).Seconds())
}

func (m *metrics) handler() gin.HandlerFunc {
	h := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return gin.WrapH(h)
}
