package examples

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/inkform/inkform"
)

// issueTemplate is the Wound check template as the issue gives it;
// wound-check.json may be laid out differently but must say the same.
const issueTemplate = `{"name":"Wound check","pattern":"copied","confidenceThreshold":0.9,
 "pages":[{"size":{"w":210,"h":297},"address":"70.3.12.5"}],
 "fields":[
  {"name":"patient_no","label":"Patient no.","type":"number","page":1,"box":{"x":20,"y":30,"w":60,"h":10},"comb":6,"charset":"digits","required":true},
  {"name":"visit_date","label":"Date","type":"date","page":1,"box":{"x":100,"y":30,"w":60,"h":10},"comb":6,"format":"DDMMYY","required":true},
  {"name":"dressing_changed","label":"Dressing changed","type":"checkbox","page":1,"box":{"x":20,"y":50,"w":6,"h":6}},
  {"name":"pain","label":"Pain","type":"choice","page":1,"multiple":false,"options":[{"value":"none","box":{"x":20,"y":60,"w":6,"h":6}},{"value":"some","box":{"x":40,"y":60,"w":6,"h":6}}]},
  {"name":"signature","label":"Signature","type":"signature","page":1,"box":{"x":20,"y":250,"w":80,"h":20},"required":true}]}`

func TestWoundCheckForm(t *testing.T) {
	t.Parallel()
	var got, want any
	if err := json.Unmarshal(WoundCheckForm, &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(issueTemplate), &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("wound-check.json differs from the issue's template:\n%s", WoundCheckForm)
	}
	var form inkform.FormTemplate
	dec := json.NewDecoder(bytes.NewReader(WoundCheckForm))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&form); err != nil {
		t.Fatal(err)
	}
	form.Normalize()
	if err := form.Validate(); err != nil {
		t.Errorf("template does not validate: %v %v", err, inkform.ErrorProblems(err))
	}
}
