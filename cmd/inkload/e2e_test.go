package main

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestE2EReports runs -e2e against a server that answers each submission
// with a document and sends its webhook to the receiver, once or (for one
// document) twice, and never for another: the report counts documents,
// the repeat and the loss.
func TestE2EReports(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hook := ln.Addr().String()
	ln.Close() // runE2E listens there itself
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := n.Add(1)
		doc := fmt.Sprintf("doc-%d", i)
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprintf(w, `{"documents":[{"id":%q}]}`, doc)
		go func() {
			send := func(id string) {
				body := fmt.Sprintf(`{"type":"document.validated","data":{"id":%q}}`, doc)
				for try := 0; try < 50; try++ {
					req, _ := http.NewRequest("POST", "http://"+hook+"/hook", strings.NewReader(body))
					req.Header.Set("webhook-id", id)
					if resp, err := http.DefaultClient.Do(req); err == nil {
						resp.Body.Close()
						return
					}
					time.Sleep(20 * time.Millisecond)
				}
			}
			switch i {
			case 3: // lost
			case 5: // sent twice with the same webhook-id
				send("msg-5")
				send("msg-5")
			default:
				send(fmt.Sprintf("msg-%d", i))
			}
		}()
	}))
	defer srv.Close()
	file := filepath.Join(t.TempDir(), "ink.xml")
	os.WriteFile(file, []byte("<ink/>"), 0o644)
	var out bytes.Buffer
	c := e2eConfig{config: config{url: srv.URL, token: "tok", file: file, contentType: "application/inkml+xml", concurrency: 2},
		docs: 8, receive: hook, wait: time.Second, pids: []int{os.Getpid()}}
	err = runE2E(c, &out)
	if err == nil || !strings.Contains(err.Error(), "1 of 8 documents not delivered") {
		t.Errorf("runE2E = %v; want 1 of 8 not delivered", err)
	}
	for _, want := range []string{"ingest: 8 accepted, 0 failed", "delivered: 7 documents", "lost: 1  duplicated: 1 (same webhook-id again)",
		"webhooks received: 8", "server CPU:", "load generator and receiver CPU:", "cores busy"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

func TestParsePIDs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want []int
		bad  bool
	}{{"", nil, false}, {"12", []int{12}, false}, {"1, 2,", []int{1, 2}, false}, {"1,x", nil, true}} {
		got, err := parsePIDs(tc.in)
		if (err != nil) != tc.bad || fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("parsePIDs(%q) = %v, %v", tc.in, got, err)
		}
	}
}
