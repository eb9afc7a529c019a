package main

import (
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/inkform/inkform"
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

// TestRunRefusesTTAWithoutCoverage checks that -tta is refused where it
// would be ignored, before the corpus is read.
func TestRunRefusesTTAWithoutCoverage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"-tta", "4"}, {"-tta", "-1", "-coverage"}} {
		var out strings.Builder
		err := run(append(args, "-data", t.TempDir()+"/missing.tgz"), &out)
		if err == nil || !strings.Contains(err.Error(), "-tta") {
			t.Errorf("%v: err %v, want the -tta flag refused", args, err)
		}
	}
}

func TestParseCNNLayers(t *testing.T) {
	t.Parallel()
	convs, pools, err := parseLayers("8, 8p,16,16p,32p")
	if err != nil || !reflect.DeepEqual(convs, []int{8, 8, 16, 16, 32}) || !reflect.DeepEqual(pools, []bool{false, true, false, true, true}) {
		t.Errorf("parseLayers: %v %v %v", convs, pools, err)
	}
	for _, bad := range []string{"", "8,,16", "p", "0p", "8q", "8pp"} {
		if _, _, err := parseLayers(bad); err == nil || !strings.Contains(err.Error(), "bad conv layer") {
			t.Errorf("parseLayers(%q): err %v, want bad conv layer", bad, err)
		}
	}
	if h, err := parseWidths("128x64"); err != nil || !reflect.DeepEqual(h, []int{128, 64}) {
		t.Errorf("parseWidths: %v %v", h, err)
	}
	if h, err := parseWidths(""); err != nil || h != nil {
		t.Errorf("parseWidths(\"\"): %v %v, want none", h, err)
	}
	if _, err := parseWidths("128x"); err == nil {
		t.Error("parseWidths(\"128x\"): no error")
	}
	// The flags' defaults print the default network and parse back to it.
	def := icrtrain.DefaultCNNConfig()
	convs, pools, err = parseLayers(formatLayers(def.Convs, def.Pools))
	if err != nil || !reflect.DeepEqual(convs, def.Convs) || !reflect.DeepEqual(pools, def.Pools) {
		t.Errorf("round trip of %v %v: %v %v %v", def.Convs, def.Pools, convs, pools, err)
	}
	if h, err := parseWidths(formatWidths(def.Hidden)); err != nil || !reflect.DeepEqual(h, def.Hidden) {
		t.Errorf("round trip of %v: %v %v", def.Hidden, h, err)
	}
}

func TestReadCNNs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var names []string
	one := []icrtrain.Sample{{Label: '1', Strokes: []inkform.Stroke{{Points: []inkform.Point{{X: 1, Y: 0}, {X: 1, Y: 9}}}}}}
	for i, seed := range []uint64{1, 2} {
		c, err := icrtrain.TrainCNN(one, icrtrain.CNNConfig{Seed: seed, Side: 8, Convs: []int{2}, Pools: []bool{true}, Epochs: 1, Batch: 1, LR: 1e-3, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, filepath.Join(dir, fmt.Sprintf("cnn%d.bin", i)))
		if err := os.WriteFile(names[i], c.Encode(), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	single, err := readCNNs(names[0])
	if err != nil || len(single.Members) != 0 {
		t.Fatalf("one file: %v, %v", single, err)
	}
	two, err := readCNNs(names[0] + ", " + names[1])
	if err != nil || len(two.Members) != 1 {
		t.Fatalf("two files: %v, %v", two, err)
	}
	if _, err := readCNNs(names[0] + "," + filepath.Join(dir, "missing.bin")); err == nil || !strings.Contains(err.Error(), "missing.bin") {
		t.Errorf("a missing file: err %v", err)
	}
}

// TestRunMisreadCoverage evaluates the embedded pair with -misread and
// -coverage and checks that every listed character is drawn (one PNG per
// set whose count is not zero, with a row of cells for every eight
// characters) and that the coverage table has a row per set.
func TestRunMisreadCoverage(t *testing.T) {
	t.Parallel()
	const data = "../../../shared/data/unipen-1a1b-dev.tgz"
	if _, err := os.Stat(data); err != nil {
		t.Skipf("UNIPEN corpus not available (%v)", err)
	}
	prefix := filepath.Join(t.TempDir(), "m")
	var out strings.Builder
	if err := run([]string{"-data", data, "-model", "../../icr/model.bin", "-cnn-model", "../../icr/cnn.bin", "-misread", prefix, "-coverage"}, &out); err != nil {
		t.Fatal(err)
	}
	for _, row := range []string{"| set | 80% | 85% |", "| digits | ", "| upper | "} {
		if !strings.Contains(out.String(), "\n"+row) {
			t.Errorf("no coverage row %q in the output", row)
		}
	}
	for _, cs := range []inkform.Charset{inkform.CharsetDigits, inkform.CharsetUpper} {
		var n int
		head := fmt.Sprintf("%s accepted and read wrong, validation sources: ", cs)
		if _, rest, ok := strings.Cut(out.String(), head); !ok {
			t.Fatalf("no %q in the output", head)
		} else if _, err := fmt.Sscan(rest, &n); err != nil || n == 0 {
			t.Fatalf("%s: count %d, %v", cs, n, err)
		}
		f, err := os.Open(fmt.Sprintf("%s-%s.png", prefix, cs))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if rows := (n + 7) / 8; cfg.Width != 960 || cfg.Height != rows*120 {
			t.Errorf("%s: sheet %d×%d for %d characters, want 960×%d", cs, cfg.Width, cfg.Height, n, rows*120)
		}
	}
}
