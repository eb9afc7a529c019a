// Command inkload measures durable ingest: it posts one ink file to an
// inkform server, closed-loop (as fast as N connections go) or open-loop at
// a fixed rate, and reports throughput and latency percentiles. Latency in
// open-loop mode counts from when a request was due, not when it was sent,
// so a stalled server is not flattered (no coordinated omission).
//
// It is bounded by -duration and -n, and refuses non-loopback targets
// unless -allow-remote is given.
//
// With -keys, it behaves as a pen gateway should: every submission carries
// an Idempotency-Key and is retried with the same key until it is accepted
// (or -retries run out), and -accepted writes each accepted submission's key
// and documents, so a cluster test can compare what clients were told with
// what the database holds. -receive runs a webhook receiver instead
// (receive.go). -e2e N measures the whole path: it posts N submissions,
// receives their webhooks itself and reports documents per second, the
// time from POST to webhook, lost and repeated deliveries (e2e.go).
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type config struct {
	url, token, file, contentType string
	rate                          float64
	concurrency                   int
	duration, warmup              time.Duration
	n                             int
	allowRemote                   bool
	// keys prefixes the Idempotency-Key of each submission; "" sends none.
	keys     string
	retries  int
	accepted string // file for "key document-id…" lines; "" for none
}

func main() {
	var c config
	flag.StringVar(&c.url, "url", "http://127.0.0.1:8080/api/v1/ink", "endpoint to post to")
	flag.StringVar(&c.token, "token", os.Getenv("INKFORM_TOKEN"), "bearer token (default $INKFORM_TOKEN)")
	flag.StringVar(&c.file, "file", "examples/wound-check.inkml", "body to post")
	flag.StringVar(&c.contentType, "type", "application/inkml+xml", "Content-Type of the body")
	flag.Float64Var(&c.rate, "rate", 0, "requests per second (open loop); 0: closed loop")
	flag.IntVar(&c.concurrency, "c", 32, "connections (closed loop) or most requests in flight (open loop)")
	flag.DurationVar(&c.duration, "duration", 10*time.Second, "how long to measure")
	flag.DurationVar(&c.warmup, "warmup", 2*time.Second, "how long to send before measuring")
	flag.IntVar(&c.n, "n", 10_000_000, "most requests in all")
	flag.BoolVar(&c.allowRemote, "allow-remote", false, "allow a target that is not on this machine")
	flag.StringVar(&c.keys, "keys", "", "send Idempotency-Key PREFIX-N with each submission and retry it until accepted")
	flag.IntVar(&c.retries, "retries", 30, "with -keys: most retries of one submission")
	flag.StringVar(&c.accepted, "accepted", "", "with -keys: write each accepted submission's key and document IDs to this file")
	receive := flag.String("receive", "", "run a webhook receiver on this address instead (see -out)")
	out := flag.String("out", "", "with -receive: append one line per delivery (webhook-id, document, event) to this file")
	e2e := flag.Int("e2e", 0, "end to end: post this many submissions, receive their webhooks on -receive and report POST→webhook times (see e2e.go)")
	wait := flag.Duration("wait", 5*time.Minute, "with -e2e: most time to wait for the last webhook after the last POST")
	pids := flag.String("pids", "", "with -e2e: comma-separated process IDs of the server nodes, whose CPU time is reported per document")
	dbProcs := flag.String("db-procs", "", "with -e2e: comma-separated command names of the database's processes (postgres, mariadbd), whose CPU time is reported per document")
	flag.Parse()
	if *e2e > 0 {
		p, err := parsePIDs(*pids)
		if err == nil {
			err = runE2E(e2eConfig{config: c, docs: *e2e, receive: *receive, wait: *wait, pids: p,
				dbProcs: strings.FieldsFunc(*dbProcs, func(r rune) bool { return r == ',' })}, os.Stdout)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "inkload:", err)
			os.Exit(1)
		}
		return
	}
	if *receive != "" {
		if err := receiveWebhooks(*receive, *out); err != nil {
			fmt.Fprintln(os.Stderr, "inkload:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(c, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "inkload:", err)
		os.Exit(1)
	}
}

func run(c config, out io.Writer) error {
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
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: c.concurrency, MaxConnsPerHost: c.concurrency}, Timeout: 30 * time.Second}
	rec := &recorder{codes: map[int]int{}}
	ctx, cancel := context.WithTimeout(context.Background(), c.warmup+c.duration)
	defer cancel()
	measureFrom := time.Now().Add(c.warmup)
	var sent atomic.Int64
	acc, err := newAcceptLog(c.accepted)
	if err != nil {
		return err
	}
	defer acc.close()
	send := func(due time.Time) bool {
		n := sent.Add(1)
		if n > int64(c.n) {
			cancel() // the budget of requests is spent
			return false
		}
		if c.keys != "" {
			// A gateway's submission: counted whether or not it falls in
			// the measured time, since the cluster test needs every one.
			status, err := postKeyed(ctx, client, c, body, fmt.Sprintf("%s-%d", c.keys, n), rec, acc)
			if !due.Before(measureFrom) {
				rec.add(time.Since(due), status, err)
			}
			return true
		}
		status, _, err := post(ctx, client, c, body, "")
		if due.Before(measureFrom) || ctx.Err() != nil {
			return true
		}
		rec.add(time.Since(due), status, err)
		return true
	}
	start := time.Now()
	if c.rate > 0 {
		openLoop(ctx, c, send)
	} else {
		closedLoop(ctx, c, send)
	}
	rec.report(out, c, time.Since(start)-c.warmup, len(body))
	if c.keys != "" {
		rec.reportKeyed(out)
	}
	if rec.ok() == 0 {
		return errors.New("no request succeeded")
	}
	return nil
}

func post(ctx context.Context, client *http.Client, c config, body []byte, key string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", c.url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", c.contentType)
	req.Header.Set("Authorization", "Bearer "+c.token)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	return resp.StatusCode, answer, err
}

func closedLoop(ctx context.Context, c config, send func(time.Time) bool) {
	var wg sync.WaitGroup
	for i := 0; i < c.concurrency; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && send(time.Now()) {
			}
		}()
	}
	wg.Wait()
}

func openLoop(ctx context.Context, c config, send func(time.Time) bool) {
	interval := time.Duration(float64(time.Second) / c.rate)
	slots := make(chan struct{}, c.concurrency)
	var wg sync.WaitGroup
	next := time.Now()
	for ctx.Err() == nil {
		time.Sleep(time.Until(next))
		due := next
		next = next.Add(interval)
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			send(due)
		}()
	}
	wg.Wait()
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// recorder collects latencies and status codes.
type recorder struct {
	mu        sync.Mutex
	latencies []time.Duration
	codes     map[int]int
	errors    int
	// With -keys: submissions accepted and given up, and attempts that
	// failed and were retried (what a gateway's user would not see).
	accepted, givenUp, retried int
}

func (r *recorder) add(d time.Duration, status int, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.errors++
		return
	}
	r.codes[status]++
	if status/100 == 2 {
		r.latencies = append(r.latencies, d)
	}
}

func (r *recorder) ok() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.latencies)
}

func (r *recorder) report(w io.Writer, c config, took time.Duration, size int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	slices.Sort(r.latencies)
	pct := func(p float64) time.Duration {
		if len(r.latencies) == 0 {
			return 0
		}
		return r.latencies[min(len(r.latencies)-1, int(p*float64(len(r.latencies))))]
	}
	mode := "closed loop"
	if c.rate > 0 {
		mode = fmt.Sprintf("open loop at %.0f/s", c.rate)
	}
	fmt.Fprintf(w, "%s, %d connections, %s measured, body %d bytes\n", mode, c.concurrency, took.Round(time.Millisecond), size)
	fmt.Fprintf(w, "succeeded: %d (%.0f/s)  errors: %d  status codes: %v\n", len(r.latencies), float64(len(r.latencies))/took.Seconds(), r.errors, r.codes)
	fmt.Fprintf(w, "latency p50 %s  p90 %s  p99 %s  max %s\n", pct(0.50).Round(10*time.Microsecond), pct(0.90).Round(10*time.Microsecond),
		pct(0.99).Round(10*time.Microsecond), pct(1).Round(10*time.Microsecond))
}
