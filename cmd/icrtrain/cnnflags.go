package main

import (
	"fmt"
	"strconv"
	"strings"
)

// parseLayers reads the convolutional layers "16p,32p,64": one 3×3 conv
// per comma-separated width, a "p" after it for a 2×2 max pool.
func parseLayers(s string) (convs []int, pools []bool, err error) {
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		w, pool := strings.CutSuffix(f, "p")
		n, err := strconv.Atoi(w)
		if err != nil || n < 1 {
			return nil, nil, fmt.Errorf("bad conv layer %q: want a width, p for a pool", f)
		}
		convs, pools = append(convs, n), append(pools, pool)
	}
	return convs, pools, nil
}

// formatLayers writes convs and pools the way parseLayers reads them.
func formatLayers(convs []int, pools []bool) string {
	parts := make([]string, len(convs))
	for i, n := range convs {
		parts[i] = strconv.Itoa(n)
		if i < len(pools) && pools[i] {
			parts[i] += "p"
		}
	}
	return strings.Join(parts, ",")
}

// parseWidths reads dense widths "128x64"; "" is no hidden layer.
func parseWidths(s string) ([]int, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []int
	for w := range strings.SplitSeq(s, "x") {
		n, err := strconv.Atoi(strings.TrimSpace(w))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad hidden width %q", w)
		}
		out = append(out, n)
	}
	return out, nil
}

// formatWidths writes widths the way parseWidths reads them.
func formatWidths(widths []int) string {
	parts := make([]string, len(widths))
	for i, n := range widths {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, "x")
}
