package pipeline

import (
	"errors"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/queue"
)

func TestDeliverWaits(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		waited   time.Duration
		busy, pd time.Duration
	}{
		{0, 500 * time.Millisecond, 40 * time.Millisecond},
		{3 * time.Second, 500 * time.Millisecond, 250 * time.Millisecond},
		{20 * time.Second, 2 * time.Second, 2 * time.Second},
		{time.Hour, 30 * time.Second, 2 * time.Second},
	} {
		if got := busyWait(tt.waited); got != tt.busy {
			t.Errorf("busyWait(%s) = %s, want %s", tt.waited, got, tt.busy)
		}
		if got := pdfWait(tt.waited); got != tt.pd {
			t.Errorf("pdfWait(%s) = %s, want %s", tt.waited, got, tt.pd)
		}
	}
	for range 100 {
		if j := jitter(time.Second); j < 750*time.Millisecond || j >= 1250*time.Millisecond {
			t.Fatalf("jitter(1s) = %s", j)
		}
	}
}

// TestDeliverGone checks that a "not found" cancels a delivery only once
// a lagging replica is no excuse.
func TestDeliverGone(t *testing.T) {
	t.Parallel()
	w := &DeliverWorker{}
	notFound := inkform.Errorf(inkform.ENOTFOUND, "document not found")
	job := func(age time.Duration) *queue.Job[inkform.DeliverArgs] {
		return &queue.Job[inkform.DeliverArgs]{Job: &inkform.Job{CreatedAt: time.Now().Add(-age)}}
	}
	if err := w.gone(job(time.Second), notFound); err != notFound {
		t.Errorf("young job: %v, want the error to retry", err)
	}
	if err := w.gone(job(2*time.Minute), notFound); err == notFound || !errors.Is(err, notFound) {
		t.Errorf("old job: %v, want a cancel wrapping the error", err)
	}
	other := errors.New("boom")
	if err := w.gone(job(2*time.Minute), other); err != other {
		t.Errorf("other error: %v", err)
	}
}

func TestLimiter(t *testing.T) {
	t.Parallel()
	l := newLimiter(2)
	r1, ok1 := l.acquire("h")
	_, ok2 := l.acquire("h")
	_, ok3 := l.acquire("h")
	_, okOther := l.acquire("g")
	if !ok1 || !ok2 || ok3 || !okOther {
		t.Fatalf("acquire: %v %v %v %v; want a third slot of h refused", ok1, ok2, ok3, okOther)
	}
	r1()
	if _, ok := l.acquire("h"); !ok {
		t.Error("a released slot is not free again")
	}
	if _, ok := newLimiter(0).acquire("h"); !ok {
		t.Error("limit 0 refuses")
	}
}
