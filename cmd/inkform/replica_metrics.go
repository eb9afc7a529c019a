package main

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/inkform/inkform/sqlstore"
)

var (
	replicaUpDesc = prometheus.NewDesc("inkform_db_replica_up",
		"1 while the read replica (--read-db) answers, 0 while reads fall back to the primary.", nil, nil)
	replicaLagDesc = prometheus.NewDesc("inkform_db_replica_lag_seconds",
		"How far the read replica may be behind the primary: it holds every commit older than this (PostgreSQL; measured in steps of 250 ms).", nil, nil)
	replicaReadsDesc = prometheus.NewDesc("inkform_db_reads_total",
		"Reads that may go to the read replica, by the pool that answered and why (replica; primary: read_after_write, replica_down, replica_lagging, and replica_missing for a row the replica did not have yet, read again).",
		[]string{"pool", "reason"}, nil)
)

// replicaCollector reports the read replica's state at scrape time; it
// reports nothing on a node without --read-db.
type replicaCollector struct{ db *sqlstore.DB }

func (c replicaCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- replicaUpDesc
	ch <- replicaLagDesc
	ch <- replicaReadsDesc
}

func (c replicaCollector) Collect(ch chan<- prometheus.Metric) {
	st := c.db.ReplicaStatus()
	if !st.Configured {
		return
	}
	up := 0.0
	if st.Up {
		up = 1
	}
	ch <- prometheus.MustNewConstMetric(replicaUpDesc, prometheus.GaugeValue, up)
	if st.LagKnown {
		ch <- prometheus.MustNewConstMetric(replicaLagDesc, prometheus.GaugeValue, st.Lag.Seconds())
	}
	for reason, n := range st.Reads {
		pool := "primary"
		if reason == sqlstore.ReadReplica {
			pool = "replica"
		}
		ch <- prometheus.MustNewConstMetric(replicaReadsDesc, prometheus.CounterValue, float64(n), pool, reason)
	}
}
