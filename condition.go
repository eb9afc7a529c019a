package inkform

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Condition operators. Values are compared as the API shows them: a
// checkbox is true or false, a number is the digits as written (compared as
// a number when the operator or the operand is numeric), a choice is its
// option or, for several, a list of options.
const (
	OpEquals    = "equals"     // the value equals Value
	OpNotEquals = "not_equals" // the value is not Value
	OpIn        = "in"         // the value is one of Value (a list)
	OpEmpty     = "empty"      // no value (an unticked box counts as empty)
	OpNotEmpty  = "not_empty"  // a value (a ticked box, written text, a chosen option)
	OpContains  = "contains"   // a list of options holds Value, or a text holds it
	OpGT        = "gt"         // numeric comparisons; false when the value is not a number
	OpGTE       = "gte"
	OpLT        = "lt"
	OpLTE       = "lte"
)

// conditionOps lists the operators and whether each takes a Value.
func conditionOps() map[string]bool {
	return map[string]bool{
		OpEquals: true, OpNotEquals: true, OpIn: true, OpEmpty: false, OpNotEmpty: false,
		OpContains: true, OpGT: true, OpGTE: true, OpLT: true, OpLTE: true,
	}
}

// MaxConditions bounds a subscription's conditions.
const MaxConditions = 20

// Condition tests one field's value, for example
// {"field":"urgent","op":"equals","value":true}.
type Condition struct {
	Field string `json:"field"`
	Op    string `json:"op"`
	Value any    `json:"value,omitempty"`
}

// Validate returns EINVALID unless c names a field, a known operator and a
// value of the kind the operator takes.
func (c *Condition) Validate() error {
	if c.Field == "" {
		return Errorf(EINVALID, "a condition needs a field")
	}
	takes, ok := conditionOps()[c.Op]
	if !ok {
		ops := make([]string, 0, 10)
		for op := range conditionOps() {
			ops = append(ops, op)
		}
		slices.Sort(ops)
		return Errorf(EINVALID, "condition on %q: unknown op %q; known: %s", c.Field, c.Op, strings.Join(ops, ", "))
	}
	switch {
	case !takes && c.Value != nil:
		return Errorf(EINVALID, "condition on %q: op %q takes no value", c.Field, c.Op)
	case takes && c.Value == nil:
		return Errorf(EINVALID, "condition on %q: op %q needs a value", c.Field, c.Op)
	}
	switch c.Op {
	case OpIn:
		if _, ok := c.Value.([]any); !ok {
			return Errorf(EINVALID, "condition on %q: op %q needs a list of values", c.Field, c.Op)
		}
	case OpGT, OpGTE, OpLT, OpLTE:
		if _, ok := number(c.Value); !ok {
			return Errorf(EINVALID, "condition on %q: op %q needs a number", c.Field, c.Op)
		}
	default:
		if _, ok := c.Value.([]any); ok {
			return Errorf(EINVALID, "condition on %q: op %q needs a single value, not a list", c.Field, c.Op)
		}
	}
	return nil
}

// Holds reports whether the condition is true for the document's values.
// A field without a value is empty.
func (c *Condition) Holds(fields map[string]FieldValue) bool {
	var v any
	if fv, ok := fields[c.Field]; ok {
		v = fv.Value
	}
	switch c.Op {
	case OpEmpty:
		return IsEmpty(v)
	case OpNotEmpty:
		return !IsEmpty(v)
	case OpEquals:
		return sameValue(v, c.Value)
	case OpNotEquals:
		return !sameValue(v, c.Value)
	case OpIn:
		list, _ := c.Value.([]any)
		return slices.ContainsFunc(list, func(w any) bool { return sameValue(v, w) })
	case OpContains:
		return contains(v, c.Value)
	}
	a, ok1 := number(v)
	b, ok2 := number(c.Value)
	if !ok1 || !ok2 {
		return false
	}
	switch c.Op {
	case OpGT:
		return a > b
	case OpGTE:
		return a >= b
	case OpLT:
		return a < b
	case OpLTE:
		return a <= b
	}
	return false
}

// sameValue compares a field's value with an operand from JSON: booleans
// as booleans (an unset box is false), numbers by value ("007" equals 7),
// anything else as text.
func sameValue(v, want any) bool {
	switch w := want.(type) {
	case bool:
		b, _ := v.(bool)
		return b == w
	case float64, json.Number, int:
		a, ok1 := number(v)
		b, ok2 := number(w)
		return ok1 && ok2 && a == b
	}
	if v == nil {
		return fmt.Sprint(want) == ""
	}
	return text(v) == fmt.Sprint(want)
}

// contains reports whether a list of options holds want, or a text holds
// it as a substring.
func contains(v, want any) bool {
	w := fmt.Sprint(want)
	switch x := v.(type) {
	case []string:
		return slices.Contains(x, w)
	case []any:
		return slices.ContainsFunc(x, func(e any) bool { return fmt.Sprint(e) == w })
	case string:
		return strings.Contains(x, w)
	}
	return false
}

// number reads a JSON number or a string of digits (as a number field
// holds) as a float.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, err == nil
	}
	return 0, false
}

// text shows a value as text for comparison.
func text(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}
