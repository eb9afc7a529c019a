package inkform

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// DecodeJSON decodes exactly one JSON value from body into v, refusing
// unknown keys when strict is set. A syntax error is reported with its
// line and column, a type error with its path (`pages[0].size.w`), both
// EINVALID. The JSON API decodes every body with it and the console the
// templates people paste.
func DecodeJSON(body []byte, v any, strict bool) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return Errorf(EINVALID, "the request body is empty; a JSON object is expected")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		return jsonError(body, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		// Point at the first byte of the extra data, past any spaces.
		rest := body[dec.InputOffset():]
		extra := dec.InputOffset() + int64(len(rest)-len(bytes.TrimLeft(rest, " \t\r\n")))
		line, col := LineColumn(body, extra+1)
		return Errorf(EINVALID, "invalid JSON at line %d, column %d: unexpected data after the top-level value", line, col)
	}
	return nil
}

// jsonError turns an encoding/json error into an EINVALID error a person
// can act on.
func jsonError(body []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := LineColumn(body, syn.Offset)
		return Errorf(EINVALID, "invalid JSON at line %d, column %d: %s", line, col, syn.Error())
	case errors.Is(err, io.ErrUnexpectedEOF):
		line, col := LineColumn(body, int64(len(body)))
		return Errorf(EINVALID, "invalid JSON at line %d, column %d: unexpected end of input", line, col)
	case errors.As(err, &typ):
		line, col := LineColumn(body, typ.Offset)
		path := pathAt(body, typ.Offset)
		if path == "" {
			path = typ.Field
		}
		if path == "" {
			path = "(top level)"
		}
		e := Errorf(EINVALID, "invalid JSON at line %d, column %d: %s must be %s, not %s",
			line, col, path, jsonKind(typ.Type), typ.Value)
		e.Problems = []Problem{{Path: path, Message: fmt.Sprintf("must be %s, not %s", jsonKind(typ.Type), typ.Value)}}
		return e
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// encoding/json has no type for this error; its text is stable
		// and names the key, which is what the caller needs.
		key := strings.TrimPrefix(err.Error(), "json: unknown field ")
		e := Errorf(EINVALID, "unknown key %s in the request body", key)
		e.Problems = []Problem{{Path: strings.Trim(key, `"`), Message: "is not a known key"}}
		return e
	}
	return Errorf(EINVALID, "invalid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
}

// jsonKind names a Go type the way a JSON author thinks of it.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "an object"
}

// LineColumn gives the 1-based line and column of the last byte of
// body[:offset]: encoding/json reports errors as "after reading offset
// bytes", so that byte is the offending one.
func LineColumn(body []byte, offset int64) (line, col int) {
	idx := int(max(min(offset-1, int64(len(body))-1), 0))
	before := body[:idx]
	line = bytes.Count(before, []byte("\n")) + 1
	col = idx - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// DecodeTemplate decodes a form template. A key the template format does
// not have is most often a typo ("requred": true), and ignoring it would
// store a form that silently lacks the rule, so unknown keys are refused
// (EUNPROCESSABLE), each named by its path as a Problem, unless lenient
// (extensions sent on purpose, say for a later template version). It does
// not validate the template: FormService does that when storing it.
func DecodeTemplate(body []byte, lenient bool) (*FormTemplate, error) {
	var t FormTemplate
	if err := DecodeJSON(body, &t, false); err != nil {
		return nil, err
	}
	if lenient {
		return &t, nil
	}
	if keys := unknownKeys(body, reflect.TypeFor[FormTemplate]()); len(keys) > 0 {
		e := Errorf(EUNPROCESSABLE, "the template has %d unknown key(s), first %s: check the spelling, or send ?lenient=true to ignore keys this server does not know", len(keys), keys[0])
		for _, k := range keys {
			e.Problems = append(e.Problems, Problem{Path: k, Message: "is not a template key"})
		}
		return nil, e
	}
	return &t, nil
}
