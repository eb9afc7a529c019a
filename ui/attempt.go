package ui

import (
	"net/http"
	"strconv"
	"time"

	"github.com/inkform/inkform/throttle"
)

// budget is one key of a limiter: an account, an address, a user.
type budget struct {
	limiter *throttle.Limiter
	key     string
}

// attempt is a try at a credential (a password, a code) that has spent a
// failure of each of its budgets before the credential is checked. The
// check and the record of its failure are one step that way: parallel
// tries cannot all pass the throttle before the first failure is
// recorded, so at most a budget's burst of them is ever checked. done
// gives the failures back unless failed said the try failed, so every way
// out but a wrong credential (success, an error, a form refused) costs
// nothing.
type attempt struct {
	taken  []budget
	failed bool
}

// startAttempt spends a failure of every budget. When one has none left
// it gives back what it spent and returns the longest wait of those that
// refused, and a nil attempt.
func startAttempt(budgets ...budget) (*attempt, time.Duration) {
	a := &attempt{}
	var wait time.Duration
	for _, b := range budgets {
		if ok, w := b.limiter.Take(b.key); ok {
			a.taken = append(a.taken, b)
		} else {
			wait = max(wait, w)
		}
	}
	if wait > 0 {
		a.done()
		return nil, wait
	}
	return a, 0
}

// fail keeps the spent failures: the credential was wrong.
func (a *attempt) fail() { a.failed = true }

// done gives the spent failures back unless the attempt failed.
func (a *attempt) done() {
	if a.failed {
		return
	}
	for _, b := range a.taken {
		b.limiter.Refund(b.key)
	}
	a.taken = nil
}

// setRetryAfter tells the client how long a throttled try must wait.
func setRetryAfter(w http.ResponseWriter, wait time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(int(wait.Round(time.Second)/time.Second)))
}
