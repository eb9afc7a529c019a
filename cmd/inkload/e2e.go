package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// e2eConfig is the end-to-end measurement (-e2e N): N submissions posted
// closed loop (or open loop at -rate), a webhook receiver in this process,
// and the time from each POST to its document's webhook.
type e2eConfig struct {
	config
	docs    int           // submissions to post
	receive string        // address the receiver listens on
	wait    time.Duration // most time to wait for the last delivery after the last POST
	pids    []int         // server processes whose CPU time is counted
	dbProcs []string      // command names of the database's processes, whose CPU time is counted
}

// e2eRun is what one measurement collects.
type e2eRun struct {
	mu        sync.Mutex
	posted    map[string]time.Time // document → when its POST started
	delivered map[string]time.Time // document → first delivery
	ids       map[string]string    // webhook-id → document
	webhooks  int                  // deliveries received in all
	repeated  int                  // deliveries of a webhook-id seen before
	docIDs    int                  // documents delivered under a second webhook-id
	failed    int                  // POSTs that were not accepted
	first     time.Time
	lastPost  time.Time
	lastDeliv time.Time
	done      chan struct{} // closed when every accepted document is delivered
	allPosted bool
}

// webhookOf reads a webhook request: its webhook-id, document and event.
func webhookOf(r *http.Request) (id, doc, event string, err error) {
	var msg struct {
		Type string `json:"type"`
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
	if err != nil {
		return "", "", "", err
	}
	if err := json.Unmarshal(body, &msg); err != nil {
		return "", "", "", err
	}
	if id = r.Header.Get("webhook-id"); id == "" {
		return "", "", "", errors.New("no webhook-id")
	}
	return id, msg.Data.ID, msg.Type, nil
}

// ServeHTTP receives a webhook.
func (e *e2eRun) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	id, doc, _, err := webhookOf(r)
	if r.Method != http.MethodPost || err != nil {
		http.Error(w, "not a webhook", http.StatusBadRequest)
		return
	}
	e.mu.Lock()
	e.webhooks++
	if _, seen := e.ids[id]; seen {
		e.repeated++
	} else {
		e.ids[id] = doc
		if _, ok := e.delivered[doc]; ok {
			e.docIDs++
		} else {
			e.delivered[doc] = now
			e.lastDeliv = now
		}
	}
	e.checkDone()
	e.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// checkDone closes done once everything is posted and delivered; e.mu is held.
func (e *e2eRun) checkDone() {
	if !e.allPosted || len(e.delivered) < len(e.posted) {
		return
	}
	for d := range e.posted {
		if _, ok := e.delivered[d]; !ok {
			return
		}
	}
	select {
	case <-e.done:
	default:
		close(e.done)
	}
}

// runE2E posts c.docs submissions and waits for their webhooks.
func runE2E(c e2eConfig, out io.Writer) error {
	u, err := url.Parse(c.url)
	if err != nil {
		return err
	}
	if !c.allowRemote && !isLoopback(u.Hostname()) {
		return fmt.Errorf("%s is not a loopback address; add -allow-remote to load another machine", u.Hostname())
	}
	body, err := os.ReadFile(c.file)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.receive)
	if err != nil {
		return fmt.Errorf("receiver: %w", err)
	}
	e := &e2eRun{posted: map[string]time.Time{}, delivered: map[string]time.Time{}, ids: map[string]string{}, done: make(chan struct{})}
	srv := &http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: c.concurrency, MaxConnsPerHost: c.concurrency}, Timeout: 30 * time.Second}
	mark := markUsage(c.pids, c.dbProcs)
	load0 := loadAverage()
	var next atomic.Int64
	send := func(ctx context.Context) {
		start := time.Now()
		status, answer, err := post(ctx, client, c.config, body, "")
		docs := documentsOf(answer)
		e.mu.Lock()
		defer e.mu.Unlock()
		if e.first.IsZero() || start.Before(e.first) {
			e.first = start
		}
		e.lastPost = time.Now()
		if err != nil || status/100 != 2 || len(docs) == 0 {
			e.failed++
			return
		}
		for _, d := range docs {
			e.posted[d] = start
		}
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	if c.rate > 0 {
		interval := time.Duration(float64(time.Second) / c.rate)
		due := time.Now()
		for i := 0; i < c.docs; i++ {
			time.Sleep(time.Until(due))
			due = due.Add(interval)
			wg.Add(1)
			go func() { defer wg.Done(); send(ctx) }()
		}
	} else {
		for i := 0; i < c.concurrency; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for next.Add(1) <= int64(c.docs) {
					send(ctx)
				}
			}()
		}
	}
	wg.Wait()
	e.mu.Lock()
	e.allPosted = true
	e.checkDone()
	ingest := e.lastPost.Sub(e.first)
	e.mu.Unlock()
	select {
	case <-e.done:
	case <-time.After(c.wait):
	}
	used := mark.since(c.pids, c.dbProcs)
	// Late repeats (a webhook sent again) would show up shortly after.
	time.Sleep(500 * time.Millisecond)
	return e.report(out, c, ingest, used, load0)
}

// report prints the measurement.
func (e *e2eRun) report(out io.Writer, c e2eConfig, ingest time.Duration, used usage, load0 string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	var lat []time.Duration
	lost := 0
	for d, at := range e.posted {
		if got, ok := e.delivered[d]; ok {
			lat = append(lat, got.Sub(at))
		} else {
			lost++
		}
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))].Round(time.Millisecond)
	}
	took := e.lastDeliv.Sub(e.first)
	mode := fmt.Sprintf("closed loop, %d connections", c.concurrency)
	if c.rate > 0 {
		mode = fmt.Sprintf("open loop at %.0f/s", c.rate)
	}
	fmt.Fprintf(out, "e2e: %d submissions, %s; load average before %s, after %s\n", c.docs, mode, load0, loadAverage())
	fmt.Fprintf(out, "ingest: %d accepted, %d failed in %s (%.0f/s)\n", len(e.posted), e.failed, ingest.Round(time.Millisecond),
		float64(len(e.posted))/ingest.Seconds())
	fmt.Fprintf(out, "delivered: %d documents, first POST to last delivery %s: %.1f documents/s\n", len(lat), took.Round(time.Millisecond),
		float64(len(lat))/took.Seconds())
	fmt.Fprintf(out, "POST to webhook: p50 %s  p90 %s  p99 %s  max %s\n", pct(0.5), pct(0.9), pct(0.99), pct(1))
	fmt.Fprintf(out, "lost: %d  duplicated: %d (same webhook-id again) + %d (a document under a second webhook-id)  webhooks received: %d\n",
		lost, e.repeated, e.docIDs, e.webhooks)
	if len(lat) > 0 {
		fmt.Fprint(out, used.report(len(lat), c.pids))
	}
	if lost > 0 || len(e.posted) == 0 {
		return fmt.Errorf("%d of %d documents not delivered within %s of the last POST", lost, len(e.posted), c.wait)
	}
	return nil
}

// documentsOf returns the document IDs of a capture's answer.
func documentsOf(answer []byte) []string {
	var res struct {
		Documents []struct {
			ID string `json:"id"`
		} `json:"documents"`
	}
	if json.Unmarshal(answer, &res) != nil {
		return nil
	}
	ids := make([]string, 0, len(res.Documents))
	for _, d := range res.Documents {
		ids = append(ids, d.ID)
	}
	return ids
}

// cpuSeconds sums the user and system time of processes from /proc (Linux;
// 0 elsewhere). Linux reports it in clock ticks of 1/100 s to user space.
func cpuSeconds(pids []int) float64 {
	var ticks int64
	for _, pid := range pids {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		// Fields after the command name, which is in parentheses and may
		// hold spaces: state is the first, utime the 12th, stime the 13th.
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) < 13 {
			continue
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		ticks += u + st
	}
	return float64(ticks) / 100
}

// loadAverage returns the 1, 5 and 15 minute load averages, "?" when unknown.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "?"
}

// parsePIDs reads a comma-separated list of process IDs.
func parsePIDs(s string) ([]int, error) {
	var pids []int
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("-pids: %q is not a process ID", p)
		}
		pids = append(pids, n)
	}
	return pids, nil
}
