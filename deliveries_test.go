package inkform_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

func TestDeliveries(t *testing.T) {
	t.Parallel()
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	urgent := []inkform.Condition{{Field: "urgent", Op: "equals", Value: true}}
	subs := []*inkform.Subscription{
		{ID: "all", Events: []string{inkform.EventDocumentReceived, inkform.EventDocumentValidated, inkform.EventDocumentPurged}},
		{ID: "validated", Events: []string{inkform.EventDocumentValidated}},
		{ID: "urgent", Events: []string{inkform.EventDocumentValidated}, Conditions: urgent},
	}
	yes := map[string]inkform.FieldValue{"urgent": {Value: true}}
	no := map[string]inkform.FieldValue{"urgent": {Value: false}}
	purged := &inkform.PurgedRecord{ID: "d", FormID: "f", Status: "purged", PurgedAt: at}
	tests := []struct {
		name   string
		event  string
		fields map[string]inkform.FieldValue
		purged *inkform.PurgedRecord
		want   []string // subscription IDs
	}{
		{"no event", "", yes, nil, nil},
		{"subscribed to the event only", inkform.EventDocumentReceived, nil, nil, []string{"all"}},
		{"conditions hold", inkform.EventDocumentValidated, yes, nil, []string{"all", "validated", "urgent"}},
		{"a condition fails", inkform.EventDocumentValidated, no, nil, []string{"all", "validated"}},
		{"no values: conditions fail", inkform.EventDocumentValidated, nil, nil, []string{"all", "validated"}},
		{"purged carries its record", inkform.EventDocumentPurged, nil, purged, []string{"all"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := inkform.Deliveries(subs, tt.event, "d", tt.fields, at, tt.purged)
			var ids []string
			seen := map[string]bool{}
			for _, d := range got {
				ids = append(ids, d.SubscriptionID)
				if d.DocumentID != "d" || d.Event != tt.event || !d.EventAt.Equal(at) || d.Purged != tt.purged {
					t.Errorf("delivery %+v", d)
				}
				if len(d.MessageID) < 5 || d.MessageID[:4] != "msg_" || seen[d.MessageID] {
					t.Errorf("message ID %q is not a fresh msg_ ID", d.MessageID)
				}
				seen[d.MessageID] = true
			}
			if !reflect.DeepEqual(ids, tt.want) {
				t.Errorf("deliveries to %v, want %v", ids, tt.want)
			}
		})
	}
}
