package pdf

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"sync"

	"github.com/inkform/inkform"
)

// sizeTolerance is how far (mm) a background page may differ from the
// form's page size: PDF tools round page sizes to whole points.
const sizeTolerance = 1.0

const ptPerMM = 72 / 25.4

func unreadable(r any) error {
	return &inkform.Error{
		Code:     inkform.EUNPROCESSABLE,
		Message:  "background is not a PDF this server can read",
		Problems: []inkform.Problem{{Path: "background", Message: fmt.Sprint(r)}},
	}
}

func matchSizes(sizes []inkform.Size, form *inkform.Form) error {
	var problems []inkform.Problem
	if len(sizes) != len(form.Pages) {
		problems = append(problems, inkform.Problem{
			Path:    "background",
			Message: fmt.Sprintf("has %d pages, the form %d", len(sizes), len(form.Pages)),
		})
	}
	for i := range min(len(sizes), len(form.Pages)) {
		got, want := sizes[i], form.Pages[i].Size
		if math.Abs(got.W-want.W) > sizeTolerance || math.Abs(got.H-want.H) > sizeTolerance {
			problems = append(problems, inkform.Problem{
				Path: fmt.Sprintf("background.pages[%d]", i),
				Message: fmt.Sprintf("is %.1f x %.1f mm, the form page %.1f x %.1f mm (±%g mm)",
					got.W, got.H, want.W, want.H, sizeTolerance),
			})
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return &inkform.Error{
		Code:     inkform.EUNPROCESSABLE,
		Message:  "background PDF does not match the form: " + problems[0].Message,
		Problems: problems,
	}
}

// BackgroundCache keeps backgrounds prepared for drawing (read, checked
// and turned into Form XObjects), so that the documents of a form
// version, which all share its background, do not each pay for that.
// Entries are found by the SHA-256 of the background and the form's page
// sizes, so a replaced background or a form with other pages is never
// served from an old entry. The oldest entries make way when the cache
// holds more than its size. A nil *BackgroundCache caches nothing.
type BackgroundCache struct {
	max     int
	mu      sync.Mutex
	size    int
	entries map[[32]byte]*preparedBackground
	order   [][32]byte // oldest first
}

// NewBackgroundCache returns a cache holding up to maxBytes of prepared
// backgrounds.
func NewBackgroundCache(maxBytes int) *BackgroundCache {
	return &BackgroundCache{max: maxBytes, entries: map[[32]byte]*preparedBackground{}}
}

// prepare returns data prepared for the form, from the cache when it has
// it.
func (c *BackgroundCache) prepare(data []byte, form *inkform.Form) (*preparedBackground, error) {
	if c == nil {
		return prepareBackground(data, form)
	}
	h := sha256.New()
	var b [8]byte
	for _, p := range form.Pages {
		h.Write(binary.LittleEndian.AppendUint64(b[:0], math.Float64bits(p.Size.W)))
		h.Write(binary.LittleEndian.AppendUint64(b[:0], math.Float64bits(p.Size.H)))
	}
	h.Write(data)
	var key [32]byte
	h.Sum(key[:0])
	c.mu.Lock()
	bg, ok := c.entries[key]
	c.mu.Unlock()
	if ok {
		return bg, nil
	}
	// Two renders that miss together both prepare: cheaper than making
	// one wait, and the second store is a no-op.
	bg, err := prepareBackground(data, form)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; ok || len(bg.data) > c.max {
		return bg, nil
	}
	c.entries[key] = bg
	c.order = append(c.order, key)
	c.size += len(bg.data)
	for c.size > c.max {
		old := c.order[0]
		c.order = c.order[1:]
		c.size -= len(c.entries[old].data)
		delete(c.entries, old)
	}
	return bg, nil
}
