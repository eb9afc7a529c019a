package inkform_test

import (
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

// TestSchemaMatchesTypes keeps docs/form-template.schema.json in step with
// the Go types: every JSON key of the template types must be in the schema,
// and the schema must name no key the types lack.
func TestSchemaMatchesTypes(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("docs/form-template.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Properties map[string]json.RawMessage `json:"properties"`
		Defs       map[string]struct {
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	tests := []struct {
		name   string
		typ    reflect.Type
		schema map[string]json.RawMessage
	}{
		{"template", reflect.TypeOf(inkform.FormTemplate{}), schema.Properties},
		{"page", reflect.TypeOf(inkform.PageSpec{}), schema.Defs["page"].Properties},
		{"field", reflect.TypeOf(inkform.Field{}), schema.Defs["field"].Properties},
		{"option", reflect.TypeOf(inkform.Option{}), schema.Defs["option"].Properties},
		{"box", reflect.TypeOf(inkform.Box{}), schema.Defs["box"].Properties},
	}
	for _, tt := range tests {
		want := jsonKeys(tt.typ)
		var got []string
		for k := range tt.schema {
			got = append(got, k)
		}
		sort.Strings(got)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: schema keys %v, Go keys %v", tt.name, got, want)
		}
	}
}

func jsonKeys(t reflect.Type) []string {
	var keys []string
	for i := 0; i < t.NumField(); i++ {
		tag := strings.Split(t.Field(i).Tag.Get("json"), ",")[0]
		if tag != "" && tag != "-" {
			keys = append(keys, tag)
		}
	}
	sort.Strings(keys)
	return keys
}
