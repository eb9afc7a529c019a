package inkform

import (
	"bytes"
	"encoding"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// maxUnknownKeys bounds how many unknown keys one answer names: enough to
// fix a template in one go, not a list as long as a hostile body.
const maxUnknownKeys = 20

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// unknownKeys returns the paths (as `fields[2].requred`) of the object keys
// in body that t, the type body decodes into, has no field for, sorted, at
// most maxUnknownKeys. encoding/json's DisallowUnknownFields stops at the
// first one and does not say where it is, which in a template of hundreds
// of fields leaves the author searching. body must be valid JSON (decode it
// into t first); types with their own decoding are not looked into.
func unknownKeys(body []byte, t reflect.Type) []string {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil
	}
	var out []string
	walkKeys(v, t, "", &out)
	slices.Sort(out)
	return out
}

func walkKeys(v any, t reflect.Type, path string, out *[]string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if len(*out) >= maxUnknownKeys || reflect.PointerTo(t).Implements(jsonUnmarshaler) ||
		reflect.PointerTo(t).Implements(textUnmarshaler) {
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return
		}
		fields := jsonFields(t)
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			f, ok := fields.find(k)
			if !ok {
				if len(*out) < maxUnknownKeys {
					*out = append(*out, joinPath(path, k))
				}
				continue
			}
			walkKeys(obj[k], f.Type, joinPath(path, k), out)
		}
	case reflect.Slice, reflect.Array:
		arr, ok := v.([]any)
		if !ok {
			return
		}
		for i, e := range arr {
			walkKeys(e, t.Elem(), path+"["+strconv.Itoa(i)+"]", out)
		}
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			return
		}
		for k, e := range obj {
			walkKeys(e, t.Elem(), joinPath(path, k), out)
		}
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// fieldSet is the JSON names of a struct's fields, embedded structs'
// fields included, as encoding/json sees them.
type fieldSet map[string]reflect.StructField

// find looks a key up as encoding/json does: the exact name first, then
// ignoring case.
func (fs fieldSet) find(key string) (reflect.StructField, bool) {
	if f, ok := fs[key]; ok {
		return f, true
	}
	for name, f := range fs {
		if strings.EqualFold(name, key) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func jsonFields(t reflect.Type) fieldSet {
	fs := fieldSet{}
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			for n, ef := range jsonFields(ft) {
				if _, ok := fs[n]; !ok {
					fs[n] = ef
				}
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fs[name] = f
	}
	return fs
}

// pathAt returns the path (as `pages[0].size.w`) of the JSON value that
// ends at or first after offset in body. encoding/json names a type
// error's field without array indexes ("pages.size.w"), which in a
// template of many pages does not say which one.
func pathAt(body []byte, offset int64) string {
	type level struct {
		array bool
		key   string // the object key being read, or "" before it
		index int    // the array element being read
		inKey bool   // an object's next token is a key
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var stack []level
	path := func() string {
		var b strings.Builder
		for _, l := range stack {
			if l.array {
				b.WriteString("[" + strconv.Itoa(l.index) + "]")
			} else {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(l.key)
			}
		}
		return b.String()
	}
	// value is called once a whole value at the top of the stack has
	// been read, so the next token of its container is the next key or
	// element.
	value := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].array {
				stack[n-1].index++
			} else {
				stack[n-1].inKey = true
			}
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return path()
		}
		top := len(stack) - 1
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				if dec.InputOffset() >= offset {
					return path()
				}
				stack = append(stack, level{array: d == '[', inKey: d == '{'})
			case '}', ']':
				stack = stack[:top]
				if dec.InputOffset() >= offset {
					return path()
				}
				value()
			}
			continue
		}
		if top >= 0 && !stack[top].array && stack[top].inKey {
			stack[top].key, _ = tok.(string)
			stack[top].inKey = false
			continue
		}
		if dec.InputOffset() >= offset {
			return path()
		}
		value()
	}
}
