// Package examples holds the sample form and ink that the demo server and
// the README use.
package examples

import _ "embed"

// WoundCheckForm is the form template of examples/wound-check.json.
//
//go:embed wound-check.json
var WoundCheckForm []byte
