package ui

import (
	"encoding/json"
	"net/url"
	"strings"

	"github.com/inkform/inkform"
)

// inputPrefix starts the name of each field's input on the station's
// form, so field names never clash with the form's own (csrf).
const inputPrefix = "v."

// corrections turns the station's inputs into the raw values the
// workflow takes, keeping only those a person changed: a value left as
// read is approved as it is, not rewritten as the verifier's. A blind
// double-entry field is the exception: what the person typed is their
// entry whatever the engine read, and an empty one is no entry.
// Fields without an input (signatures, drawings) are left alone.
func corrections(form *inkform.Form, doc *inkform.Document, states map[string]inkform.FieldEntries, in url.Values) map[string]json.RawMessage {
	raw := map[string]json.RawMessage{}
	for i := range form.Fields {
		f := &form.Fields[i]
		vals, ok := in[inputPrefix+f.Name]
		if !ok {
			continue
		}
		cur := doc.Fields[f.Name]
		var v any
		switch f.Type {
		case inkform.FieldSignature, inkform.FieldDrawing:
			continue
		case inkform.FieldCheckbox:
			// A hidden "false" precedes the checkbox, so an unticked box
			// sends false and a ticked one false then true.
			v = len(vals) > 0 && vals[len(vals)-1] == "true"
		case inkform.FieldChoice:
			var picked []string
			for _, s := range vals {
				if s != "" {
					picked = append(picked, s)
				}
			}
			switch {
			case f.Multiple:
				v = picked
			case len(picked) > 0:
				v = picked[0]
			}
		default:
			text := strings.TrimSpace(strings.Join(vals, ""))
			if f.DoubleEntry && !states[f.Name].State.Settled() {
				if text != "" {
					raw[f.Name] = mustJSON(text)
				}
				continue
			}
			if text != "" {
				v = text
			}
		}
		if !sameValue(cur.Value, v) {
			raw[f.Name] = mustJSON(v)
		}
	}
	return raw
}

// sameValue reports whether two values of a field are the same to a
// person: both empty, or equal in JSON (a stored list decodes as []any).
func sameValue(a, b any) bool {
	if inkform.IsEmpty(a) && inkform.IsEmpty(b) {
		return true
	}
	return string(mustJSON(a)) == string(mustJSON(b))
}

// mustJSON encodes a value of a field: strings, booleans and lists of
// strings, which always encode.
func mustJSON(v any) json.RawMessage {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return data
}

// pendingEntries reports whether a double-entry field the person typed
// still waits for another person's entry or a decision.
func pendingEntries(raw map[string]json.RawMessage, form *inkform.Form, states map[string]inkform.FieldEntries) bool {
	for name := range raw {
		if f := form.Field(name); f != nil && f.DoubleEntry && !states[name].State.Settled() {
			return true
		}
	}
	return false
}
