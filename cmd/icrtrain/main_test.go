package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/inkform/inkform/icr/icrtrain"
)

func TestParseNets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    []icrtrain.NetSpec
		wantErr string
	}{
		{"traj:128,dir:128", []icrtrain.NetSpec{{View: "traj", Hidden: []int{128}}, {View: "dir", Hidden: []int{128}}}, ""},
		{" all:96x64 ", []icrtrain.NetSpec{{View: "all", Hidden: []int{96, 64}}}, ""},
		{"traj", nil, "want view:width"},
		{"traj:0", nil, "width"},
		{"traj:12x", nil, "width"},
	}
	for _, tt := range tests {
		got, err := parseNets(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("parseNets(%q): err %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseNets(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
	// The flag's default prints the default ensemble and parses back to it.
	def := icrtrain.DefaultTrainConfig().Nets
	if got, err := parseNets(formatNets(def)); err != nil || !reflect.DeepEqual(got, def) {
		t.Errorf("round trip of %+v: %+v, %v", def, got, err)
	}
}

func TestRunRefusesMissingCorpus(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	err := run([]string{"-data", t.TempDir() + "/missing.tgz"}, &out)
	if err == nil || !strings.Contains(err.Error(), "open corpus") {
		t.Fatalf("err %v, want open corpus error", err)
	}
}
