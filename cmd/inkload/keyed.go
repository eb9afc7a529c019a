package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// postKeyed submits body with an Idempotency-Key and retries it, with the
// same key, after a network error, a 5xx or a 429, as a pen gateway must:
// the server answers a replay with the documents the first attempt stored,
// so a retry never makes a second document. An accepted submission is
// written to acc. It returns the last attempt's status.
func postKeyed(ctx context.Context, client *http.Client, c config, body []byte, key string, rec *recorder, acc *acceptLog) (int, error) {
	wait := 50 * time.Millisecond
	for attempt := 0; ; attempt++ {
		status, answer, err := post(context.WithoutCancel(ctx), client, c, body, key)
		if err == nil && status/100 == 2 {
			if err := acc.add(key, answer); err != nil {
				return status, err
			}
			rec.count(func(r *recorder) { r.accepted++ })
			return status, nil
		}
		retry := err != nil || status >= 500 || status == http.StatusTooManyRequests
		if !retry || attempt >= c.retries {
			rec.count(func(r *recorder) { r.givenUp++ })
			if err == nil {
				err = fmt.Errorf("status %d: %.200s", status, answer)
			}
			fmt.Fprintf(os.Stderr, "inkload: %s given up after %d attempts: %v\n", key, attempt+1, err)
			return status, err
		}
		rec.count(func(r *recorder) { r.retried++ })
		time.Sleep(wait)
		wait = min(2*wait, time.Second)
	}
}

// acceptLog writes "key document-id…" per accepted submission.
type acceptLog struct {
	mu sync.Mutex
	f  *os.File
	w  *bufio.Writer
}

func newAcceptLog(path string) (*acceptLog, error) {
	if path == "" {
		return &acceptLog{}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("accepted log: %w", err)
	}
	return &acceptLog{f: f, w: bufio.NewWriter(f)}, nil
}

func (a *acceptLog) add(key string, answer []byte) error {
	var res struct {
		Documents []struct {
			ID string `json:"id"`
		} `json:"documents"`
	}
	if err := json.Unmarshal(answer, &res); err != nil {
		return fmt.Errorf("%s: accepted, but the answer is not a capture result: %w", key, err)
	}
	ids := make([]string, len(res.Documents))
	for i, d := range res.Documents {
		ids[i] = d.ID
	}
	if a.w == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	_, err := fmt.Fprintf(a.w, "%s %s\n", key, strings.Join(ids, " "))
	return err
}

func (a *acceptLog) close() error {
	if a.w == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.w.Flush(); err != nil {
		a.f.Close()
		return err
	}
	return a.f.Close()
}

func (r *recorder) count(fn func(*recorder)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fn(r)
}

// reportKeyed prints the gateway's view: what it was told was accepted,
// what it gave up on and how many attempts it had to repeat.
func (r *recorder) reportKeyed(w io.Writer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(w, "submissions accepted: %d  given up: %d  attempts retried: %d\n", r.accepted, r.givenUp, r.retried)
}
