package inkform_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/inkform/inkform"
)

func ptr[T any](v T) *T { return &v }

func TestFieldCheck(t *testing.T) {
	t.Parallel()
	number := inkform.Field{Name: "n", Type: inkform.FieldNumber, Comb: 6, Min: ptr(1.0), Max: ptr(500000.0), Required: true}
	date := inkform.Field{Name: "d", Type: inkform.FieldDate, Format: "DDMMYY"}
	text := inkform.Field{Name: "t", Type: inkform.FieldText, Pattern: "[A-Z]{2}[0-9]+", MinLength: ptr(3), MaxLength: ptr(6)}
	single := inkform.Field{Name: "c", Type: inkform.FieldChoice, Options: []inkform.Option{{Value: "a"}, {Value: "b"}}}
	multi := single
	multi.Multiple = true
	consent := inkform.Field{Name: "k", Type: inkform.FieldCheckbox, Required: true}
	tests := []struct {
		name  string
		field inkform.Field
		value any
		ok    bool
	}{
		{"number ok with leading zeros", number, "004711", true},
		{"number required", number, nil, false},
		{"number below min", number, "000000", false},
		{"number too many cells", number, "1234567", false},
		{"number not digits", number, "12a4", false},
		{"number not string", number, 12.0, false},
		{"number rejects exponent", number, "1e3", false},
		{"date ok", date, "290224", true},
		{"date not leap year", date, "290223", false},
		{"date bad month", date, "011326", false},
		{"date optional empty", date, "", true},
		{"text ok", text, "AB12", true},
		{"text pattern is anchored", text, "xAB12", false},
		{"text too short", text, "A1", false},
		{"text too long", text, "AB12345", false},
		{"single ok", single, "a", true},
		{"single unknown", single, "z", false},
		{"single two", single, []string{"a", "b"}, false},
		{"multi ok", multi, []string{"a", "b"}, true},
		{"multi dup", multi, []string{"a", "a"}, false},
		{"required checkbox unticked", consent, false, false},
		{"required checkbox ticked", consent, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			problems := tt.field.Check(tt.value)
			if (len(problems) == 0) != tt.ok {
				t.Errorf("Check(%#v) = %v; want ok=%v", tt.value, problems, tt.ok)
			}
		})
	}
}

func TestDecodeValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		field inkform.Field
		raw   string
		want  any
		err   bool
	}{
		{inkform.Field{Type: inkform.FieldNumber}, `"0042"`, "0042", false},
		{inkform.Field{Type: inkform.FieldNumber}, `42`, nil, true},
		{inkform.Field{Type: inkform.FieldCheckbox}, `true`, true, false},
		{inkform.Field{Type: inkform.FieldCheckbox}, `"yes"`, nil, true},
		{inkform.Field{Type: inkform.FieldChoice}, `"a"`, "a", false},
		{inkform.Field{Type: inkform.FieldChoice, Multiple: true}, `["a","b"]`, []string{"a", "b"}, false},
		{inkform.Field{Type: inkform.FieldChoice, Multiple: true}, `"a"`, nil, true},
		{inkform.Field{Type: inkform.FieldText}, `null`, nil, false},
	}
	for _, tt := range tests {
		got, err := tt.field.DecodeValue(json.RawMessage(tt.raw))
		if (err != nil) != tt.err || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("DecodeValue(%s) for %s = %#v, %v; want %#v, err=%v", tt.raw, tt.field.Type, got, err, tt.want, tt.err)
		}
		if err != nil && inkform.ErrorCode(err) != inkform.EUNPROCESSABLE {
			t.Errorf("DecodeValue(%s) error code %q; want unprocessable", tt.raw, inkform.ErrorCode(err))
		}
	}
}

func TestDateFormats(t *testing.T) {
	t.Parallel()
	tests := []struct {
		format, value, want string
	}{
		{"DDMMYY", "271126", "2026-11-27"},
		{"DDMMYY", "010170", "1970-01-01"},
		{"DD.MM.YYYY", "27.11.2026", "2026-11-27"},
		{"YYYY-MM-DD", "2026-11-27", "2026-11-27"},
		{"MM/DD/YY", "11/27/26", "2026-11-27"},
	}
	for _, tt := range tests {
		df, err := inkform.ParseDateFormat(tt.format)
		if err != nil {
			t.Fatalf("ParseDateFormat(%q): %v", tt.format, err)
		}
		got, err := df.Parse(tt.value)
		if err != nil || got.Format("2006-01-02") != tt.want {
			t.Errorf("%s.Parse(%q) = %v, %v; want %s", tt.format, tt.value, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "DDMM", "DDDDMMYY", "DD MM YY Q", "YYYYMMDDYY"} {
		if _, err := inkform.ParseDateFormat(bad); err == nil {
			t.Errorf("ParseDateFormat(%q) accepted", bad)
		}
	}
	df, _ := inkform.ParseDateFormat("DD.MM.YY")
	for _, bad := range []string{"27-11-26", "27.11.2", "27.11.266", "+7.11.26", "31.04.26"} {
		if _, err := df.Parse(bad); err == nil {
			t.Errorf("DD.MM.YY accepted %q", bad)
		}
	}
}

func TestValueText(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		v    any
		want string
	}{
		{nil, ""}, {"004711", "004711"}, {true, "yes"}, {false, "no"},
		{[]string{"red", "blue"}, "red, blue"}, {[]any{"red", true}, "red, yes"},
		{float64(42), "42"}, {1.5e7, "15000000"}, {7, "7"},
	} {
		if got := inkform.ValueText(tt.v); got != tt.want {
			t.Errorf("ValueText(%#v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}
