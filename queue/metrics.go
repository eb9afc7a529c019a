package queue

import (
	"context"
	"log/slog"
	"time"

	"github.com/inkform/inkform"
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the queue's Prometheus metrics: what this node did (durations,
// outcomes) and, read from the database at scrape time, the depth of every
// queue and the age of its oldest due job — the figures an autoscaler for
// worker nodes needs.
type Metrics struct {
	durations *prometheus.HistogramVec
	outcomes  *prometheus.CounterVec
	reapedN   prometheus.Counter
}

// NewMetrics registers the queue metrics on reg. When store is not nil, it
// also registers a collector of queue depths read from the store.
func NewMetrics(reg prometheus.Registerer, store inkform.JobQueue, logger *slog.Logger) (*Metrics, error) {
	m := &Metrics{
		durations: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "inkform_job_duration_seconds",
			Help:    "Time to work one job attempt, by queue, kind and outcome.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 18),
		}, []string{"queue", "kind", "outcome"}),
		outcomes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkform_job_attempts_total",
			Help: "Job attempts worked on this node, by queue, kind and outcome (completed, failed, snoozed, cancelled, released).",
		}, []string{"queue", "kind", "outcome"}),
		reapedN: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "inkform_jobs_reaped_total",
			Help: "Jobs whose worker stopped renewing its lease, made available again by this node.",
		}),
	}
	cs := []prometheus.Collector{m.durations, m.outcomes, m.reapedN}
	if store != nil {
		cs = append(cs, &depthCollector{store: store, logger: logger})
	}
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *Metrics) observe(queue, kind, outcome string, took time.Duration) {
	if m == nil {
		return
	}
	m.durations.WithLabelValues(queue, kind, outcome).Observe(took.Seconds())
	m.outcomes.WithLabelValues(queue, kind, outcome).Inc()
}

func (m *Metrics) reaped(n int) {
	if m == nil {
		return
	}
	m.reapedN.Add(float64(n))
}

var (
	jobsDesc = prometheus.NewDesc("inkform_jobs", "Jobs in the database by queue and state.",
		[]string{"queue", "state"}, nil)
	oldestDesc = prometheus.NewDesc("inkform_job_oldest_due_seconds",
		"Age of the oldest available job that is due, by queue (0 when none): the queue's delay.",
		[]string{"queue"}, nil)
)

// depthCollector reads queue depths from the store at scrape time, so every
// node reports the same global figures.
type depthCollector struct {
	store  inkform.JobQueue
	logger *slog.Logger
}

func (d *depthCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- jobsDesc
	ch <- oldestDesc
}

func (d *depthCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	stats, err := d.store.QueueStats(ctx)
	if err != nil {
		if d.logger != nil {
			d.logger.Warn("queue stats", "err", err)
		}
		return
	}
	oldest := map[string]float64{}
	for _, s := range stats {
		ch <- prometheus.MustNewConstMetric(jobsDesc, prometheus.GaugeValue, float64(s.Count), s.Queue, string(s.State))
		if s.State == inkform.JobAvailable {
			oldest[s.Queue] = max(oldest[s.Queue], s.OldestDue.Seconds())
		}
	}
	for q, age := range oldest {
		ch <- prometheus.MustNewConstMetric(oldestDesc, prometheus.GaugeValue, age, q)
	}
}
