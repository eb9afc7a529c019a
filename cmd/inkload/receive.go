package main

import (
	"fmt"
	"net/http"
	"os"
	"sync"
	"time"
)

// receiveWebhooks runs a webhook receiver on addr until killed, appending
// "webhook-id document-id event" to out for every delivery and answering
// 200. A cluster test counts the lines: every document delivered, and how
// many deliveries repeated a webhook-id (at least once delivery).
func receiveWebhooks(addr, out string) error {
	if out == "" {
		return fmt.Errorf("-receive needs -out FILE")
	}
	f, err := os.OpenFile(out, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	var mu sync.Mutex
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		id, doc, event, err := webhookOf(r)
		if err != nil {
			http.Error(w, "not a webhook", http.StatusBadRequest)
			return
		}
		mu.Lock()
		_, err = fmt.Fprintf(f, "%s %s %s\n", id, doc, event)
		mu.Unlock()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	return srv.ListenAndServe()
}
