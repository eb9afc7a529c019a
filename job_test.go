package inkform_test

import (
	"slices"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// plainArgs carry no options and name no document.
type plainArgs struct{}

func (plainArgs) Kind() string { return "plain" }

func TestJobInsertOpts(t *testing.T) {
	t.Parallel()
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	deliver := inkform.DeliverArgs{DocumentID: "d", SubscriptionID: "h"}
	limit := inkform.DeliveryLimitKey("h")
	render := inkform.RenderPDFArgs{DocumentID: "d"}
	tests := []struct {
		name string
		args inkform.JobArgs
		opts inkform.EnqueueOpts
		want inkform.EnqueueOpts
	}{
		{"plain args: opts as given", plainArgs{}, inkform.EnqueueOpts{Priority: 2}, inkform.EnqueueOpts{Priority: 2}},
		{"args' own", deliver, inkform.EnqueueOpts{},
			inkform.EnqueueOpts{Queue: inkform.QueueDeliver, MaxAttempts: inkform.DeliverMaxAttempts, LimitKey: limit}},
		{"given fields win one by one", deliver, inkform.EnqueueOpts{MaxAttempts: 3, RunAt: at},
			inkform.EnqueueOpts{Queue: inkform.QueueDeliver, MaxAttempts: 3, RunAt: at, LimitKey: limit}},
		{"given queue wins", deliver, inkform.EnqueueOpts{Queue: "q"},
			inkform.EnqueueOpts{Queue: "q", MaxAttempts: inkform.DeliverMaxAttempts, LimitKey: limit}},
		{"given limit key wins", deliver, inkform.EnqueueOpts{LimitKey: "k"},
			inkform.EnqueueOpts{Queue: inkform.QueueDeliver, MaxAttempts: inkform.DeliverMaxAttempts, LimitKey: "k"}},
		{"unique key from the args", render, inkform.EnqueueOpts{Priority: 1},
			inkform.EnqueueOpts{Queue: inkform.QueueRender, Priority: 1, UniqueKey: "d"}},
		{"given unique key wins", inkform.InterpretArgs{DocumentID: "d"}, inkform.EnqueueOpts{UniqueKey: "k"},
			inkform.EnqueueOpts{Queue: inkform.QueueInterpret, UniqueKey: "k"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := inkform.JobInsertOpts(tt.args, tt.opts)
			if got != tt.want {
				t.Errorf("JobInsertOpts = %+v, want %+v", got, tt.want)
			}
			if again := inkform.JobInsertOpts(tt.args, got); again != got {
				t.Errorf("applied twice: %+v, want %+v", again, got)
			}
		})
	}
}

func TestJobDocumentID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args inkform.JobArgs
		want string
	}{
		{inkform.InterpretArgs{DocumentID: "a"}, "a"},
		{inkform.RenderPDFArgs{DocumentID: "b"}, "b"},
		{inkform.DeliverArgs{DocumentID: "c"}, "c"},
		{plainArgs{}, ""},
		{inkform.MaintenanceArgs{}, ""},
	}
	for _, tt := range tests {
		if got := inkform.JobDocumentID(tt.args); got != tt.want {
			t.Errorf("JobDocumentID(%T) = %q, want %q", tt.args, got, tt.want)
		}
	}
}

func TestClaimTurns(t *testing.T) {
	t.Parallel()
	orgs := []string{"a", "b", "c"}
	tests := []struct {
		name   string
		served string // "" for none yet
		want   []string
	}{
		{"first claim", "", []string{"a", "b", "c"}},
		{"after a", "a", []string{"b", "c", "a"}},
		{"after c wraps", "c", []string{"a", "b", "c"}},
		{"after an org no longer busy", "bb", []string{"c", "a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var turns inkform.ClaimTurns
			if tt.served != "" {
				turns.Served("q", tt.served)
				turns.Served("other", "c")
			}
			if got := turns.Order("q", orgs); !slices.Equal(got, tt.want) {
				t.Errorf("Order = %v, want %v", got, tt.want)
			}
			if got := turns.Last("q"); got != tt.served {
				t.Errorf("Last = %q, want %q", got, tt.served)
			}
		})
	}
}
