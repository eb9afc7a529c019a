package sqlstore_test

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

func newOrg(t testing.TB, db *sqlstore.DB) *inkform.Org {
	t.Helper()
	o, err := db.CreateOrg(context.Background(), "org "+inkform.NewID())
	if err != nil {
		t.Fatalf("create org: %v", err)
	}
	return o
}

// template returns a valid template with the given pattern and pages, one
// text field, one number field and one signature field on page 1.
func template(pattern inkform.PatternMode, pages int) *inkform.FormTemplate {
	minAge, maxAge := 0.0, 130.0
	t := &inkform.FormTemplate{Name: "Visit report", Pattern: pattern}
	for range pages {
		t.Pages = append(t.Pages, inkform.PageSpec{Size: inkform.Size{W: 210, H: 297}})
	}
	t.Fields = []inkform.Field{
		{Name: "patient", Type: inkform.FieldText, Page: 1, Box: &inkform.Box{X: 20, Y: 20, W: 100, H: 10}, Required: true},
		{Name: "age", Type: inkform.FieldNumber, Page: 1, Box: &inkform.Box{X: 20, Y: 40, W: 30, H: 10}, Min: &minAge, Max: &maxAge},
		{Name: "sig", Type: inkform.FieldSignature, Page: 1, Box: &inkform.Box{X: 20, Y: 200, W: 80, H: 30}},
		{Name: "ok", Type: inkform.FieldCheckbox, Page: 1, Box: &inkform.Box{X: 150, Y: 20, W: 5, H: 5}},
		{Name: "colours", Type: inkform.FieldChoice, Page: 1, Multiple: true, Options: []inkform.Option{
			{Value: "red", Box: inkform.Box{X: 150, Y: 40, W: 5, H: 5}},
			{Value: "blue", Box: inkform.Box{X: 150, Y: 50, W: 5, H: 5}},
		}},
	}
	return t
}

func newForm(t testing.TB, db *sqlstore.DB, orgID string, pattern inkform.PatternMode, pages int) *inkform.Form {
	t.Helper()
	f, err := db.CreateForm(context.Background(), orgID, template(pattern, pages))
	if err != nil {
		t.Fatalf("create form: %v", err)
	}
	return f
}

// pageInk returns realistic ink: strokes of points on the 0.01 mm grid the
// storage encoding keeps, spread over the page like handwriting.
func pageInk(addr string, strokes, pointsPerStroke int) inkform.PageInk {
	p := inkform.PageInk{Address: addr}
	t0 := int64(1_700_000_000_000)
	for s := range strokes {
		st := inkform.Stroke{Points: make([]inkform.Point, pointsPerStroke)}
		x0, y0 := 20+float64(s%8)*20, 30+float64(s/8)*25
		for i := range st.Points {
			a := float64(i) / float64(pointsPerStroke) * 2 * math.Pi
			st.Points[i] = inkform.Point{
				X: math.Round((x0+5*math.Cos(a)+float64(i)*0.05)*100) / 100,
				Y: math.Round((y0+5*math.Sin(a))*100) / 100,
				T: t0 + int64(s*1000+i*13),
				F: float64(100 + i%50),
			}
		}
		p.Strokes = append(p.Strokes, st)
	}
	return p
}

func submission(id string, pages ...inkform.PageInk) *inkform.InkSubmission {
	return &inkform.InkSubmission{
		PenID: "AJX-AAB-7KH-6P", SubmissionID: id, Pages: pages,
		ReceivedAt: time.Now(), ContentType: "application/inkml+xml",
		Raw: []byte(fmt.Sprintf("<ink id=%q/>", id)),
	}
}

func capture(t testing.TB, db *sqlstore.DB, orgID string, sub *inkform.InkSubmission) *inkform.CaptureResult {
	t.Helper()
	res, err := db.CaptureInk(context.Background(), orgID, sub)
	if err != nil {
		t.Fatalf("capture: %v", err)
	}
	return res
}
