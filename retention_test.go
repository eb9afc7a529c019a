package inkform_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

func TestTemplateValidateRetention(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		retention *inkform.Retention
		wantPath  string // "" when the template is valid
		wantMsg   string
	}{
		{"none", nil, "", ""},
		{"after validation", &inkform.Retention{After: "validated", Days: 30}, "", ""},
		{"after export, shortest", &inkform.Retention{After: "exported", Days: 1}, "", ""},
		{"longest", &inkform.Retention{After: "validated", Days: 3650}, "", ""},
		{"unknown event", &inkform.Retention{After: "received", Days: 30}, "retention.after", `"validated" or "exported", not "received"`},
		{"missing event", &inkform.Retention{Days: 30}, "retention.after", `not ""`},
		{"zero days", &inkform.Retention{After: "validated"}, "retention.days", "from 1 to 3650, not 0"},
		{"negative days", &inkform.Retention{After: "exported", Days: -5}, "retention.days", "not -5"},
		{"too many days", &inkform.Retention{After: "validated", Days: 3651}, "retention.days", "not 3651"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tmpl := woundCheck(t)
			tmpl.Retention = tt.retention
			err := tmpl.Validate()
			if tt.wantPath == "" {
				if err != nil {
					t.Fatalf("Validate() = %v %v; want nil", err, inkform.ErrorProblems(err))
				}
				return
			}
			if inkform.ErrorCode(err) != inkform.EUNPROCESSABLE {
				t.Fatalf("Validate() = %v; want EUNPROCESSABLE", err)
			}
			for _, p := range inkform.ErrorProblems(err) {
				if p.Path == tt.wantPath && strings.Contains(p.Message, tt.wantMsg) {
					return
				}
			}
			t.Errorf("problems %+v lack %s: …%s…", inkform.ErrorProblems(err), tt.wantPath, tt.wantMsg)
		})
	}
}

func TestRetentionJSON(t *testing.T) {
	t.Parallel()
	var tmpl inkform.FormTemplate
	if err := json.Unmarshal([]byte(`{"retention":{"after":"exported","days":90}}`), &tmpl); err != nil {
		t.Fatal(err)
	}
	if tmpl.Retention == nil || *tmpl.Retention != (inkform.Retention{After: "exported", Days: 90}) {
		t.Fatalf("retention decoded as %+v", tmpl.Retention)
	}
	out, err := json.Marshal(inkform.FormTemplate{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "retention") {
		t.Errorf("a template without retention encodes it: %s", out)
	}
}
