package inkform_test

import (
	"context"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

func TestReadAfter(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 5, 7, 0, 0, 0, time.UTC)
	ctx := context.Background()
	if _, ok := inkform.ReadAfter(ctx); ok {
		t.Fatal("a bare context demands fresh reads")
	}
	tests := []struct {
		name string
		ctx  context.Context
		want time.Time
	}{
		{"one write", inkform.WithReadAfter(ctx, t0), t0},
		{"a later write wins", inkform.WithReadAfter(inkform.WithReadAfter(ctx, t0), t0.Add(time.Second)), t0.Add(time.Second)},
		{"an earlier one does not weaken it", inkform.WithReadAfter(inkform.WithReadAfter(ctx, t0), t0.Add(-time.Second)), t0},
	}
	for _, tt := range tests {
		got, ok := inkform.ReadAfter(tt.ctx)
		if !ok || !got.Equal(tt.want) {
			t.Errorf("%s: ReadAfter = %v, %v; want %v", tt.name, got, ok, tt.want)
		}
	}
	primary, ok := inkform.ReadAfter(inkform.WithReadAfter(inkform.WithPrimaryReads(ctx), t0))
	if !ok || !primary.After(time.Now().AddDate(1000, 0, 0)) {
		t.Errorf("WithPrimaryReads: ReadAfter = %v, %v; want a time after every commit", primary, ok)
	}
}
