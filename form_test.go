package inkform_test

import (
	"testing"

	"github.com/inkform/inkform"
)

// pagedForm has three pages: the first two with copied-pattern addresses,
// the third without one (as a unique-pattern page before copies exist).
func pagedForm() *inkform.Form {
	return &inkform.Form{FormTemplate: inkform.FormTemplate{Pages: []inkform.PageSpec{
		{Address: "70.3.12.5"}, {Address: "70.3.12.6"}, {},
	}}}
}

func TestFormPageOf(t *testing.T) {
	t.Parallel()
	copy1 := &inkform.Document{Pages: []inkform.DocumentPage{
		{Number: 1, Address: "80.1.1.1"}, {Number: 3, Address: "80.1.1.3"},
	}}
	moved := &inkform.Document{Pages: []inkform.DocumentPage{{Number: 2, Address: "70.3.12.5"}}}
	bad := &inkform.Document{Pages: []inkform.DocumentPage{
		{Number: 4, Address: "70.3.12.5"}, {Number: 0, Address: "80.1.1.9"},
	}}
	twice := &inkform.Document{Pages: []inkform.DocumentPage{
		{Number: 3, Address: "80.1.1.3"}, {Number: 1, Address: "80.1.1.3"},
	}}
	tests := []struct {
		name    string
		doc     *inkform.Document
		address string
		want    int
		ok      bool
	}{
		{"form address, no document", nil, "70.3.12.6", 2, true},
		{"form address, document without pages", &inkform.Document{}, "70.3.12.5", 1, true},
		{"copy's own address", copy1, "80.1.1.3", 3, true},
		{"form address beside a copy's", copy1, "70.3.12.6", 2, true},
		{"the document's page wins over the form's", moved, "70.3.12.5", 2, true},
		{"a page the form lacks falls back to the form", bad, "70.3.12.5", 1, true},
		{"a page the form lacks and no fallback", bad, "80.1.1.9", 0, false},
		{"the first of the document's pages", twice, "80.1.1.3", 3, true},
		{"unknown address", copy1, "99.9.9.9", 0, false},
		{"empty address never matches an empty form address", nil, "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n, ok := pagedForm().PageOf(tt.doc, tt.address)
			if n != tt.want || ok != tt.ok {
				t.Errorf("PageOf(%q) = %d, %v; want %d, %v", tt.address, n, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestFormPageAddress(t *testing.T) {
	t.Parallel()
	copy1 := &inkform.Document{Pages: []inkform.DocumentPage{{Number: 3, Address: "80.1.1.3"}}}
	tests := []struct {
		name string
		doc  *inkform.Document
		n    int
		want string
	}{
		{"form's address", nil, 1, "70.3.12.5"},
		{"copy's address", copy1, 3, "80.1.1.3"},
		{"form's address beside a copy's", copy1, 2, "70.3.12.6"},
		{"page without any address", nil, 3, ""},
		{"page 0", copy1, 0, ""},
		{"past the last page", copy1, 4, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := pagedForm().PageAddress(tt.doc, tt.n); got != tt.want {
				t.Errorf("PageAddress(%d) = %q, want %q", tt.n, got, tt.want)
			}
		})
	}
}

// TestFormPageRoundTrip checks that every page's address leads back to it.
func TestFormPageRoundTrip(t *testing.T) {
	t.Parallel()
	f := pagedForm()
	doc := &inkform.Document{Pages: []inkform.DocumentPage{{Number: 3, Address: "80.1.1.3"}}}
	for n := 1; n <= len(f.Pages); n++ {
		a := f.PageAddress(doc, n)
		if got, ok := f.PageOf(doc, a); !ok || got != n {
			t.Errorf("page %d: address %q resolves to %d, %v", n, a, got, ok)
		}
	}
}
