package pdf

import (
	"bytes"
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/inkform/inkform"
)

// maxPageContents bounds the content streams of one page: gofpdi joins a
// page's contents by copying what it has joined so far for each, which
// costs their number times their size. Producers write one or a few.
const maxPageContents = 256

// checkContents refuses a background whose pages' contents inflate to
// more than MaxBackgroundInflatedBytes together, counting a content
// stream once for each page that draws it: that is what gofpdi inflates
// into memory when a document is rendered on the form. checkStreams
// counts each stream once, so one large stream drawn by every page gets
// through it.
func checkContents(ctx *model.Context) error {
	var dec decoder
	left := int64(inkform.MaxBackgroundInflatedBytes)
	for page := 1; page <= ctx.PageCount; page++ {
		path := fmt.Sprintf("background.pages[%d]", page-1)
		d, _, _, err := ctx.PageDict(page, false)
		if err != nil {
			return unreadable(err)
		}
		var streams []*types.StreamDict
		if o, ok := d.Find("Contents"); ok {
			if streams, err = contentStreams(ctx, o, streams, 0); err != nil {
				return unreadable(err)
			}
		}
		if len(streams) > maxPageContents {
			return &inkform.Error{
				Code:    inkform.EUNPROCESSABLE,
				Message: fmt.Sprintf("background PDF has more than %d content streams on page %d", maxPageContents, page),
				Problems: []inkform.Problem{{Path: path, Message: fmt.Sprintf(
					"has %d content streams; at most %d can be imported", len(streams), maxPageContents)}},
			}
		}
		for _, sd := range streams {
			n, err := dec.open(bytes.NewReader(sd.Raw), int64(len(sd.Raw)), sd.FilterPipeline, left).drain()
			left -= n
			if err != nil {
				return &inkform.Error{
					Code: inkform.EUNPROCESSABLE,
					Message: fmt.Sprintf("background PDF's pages inflate to more than %d MiB; a form's background needs far less",
						inkform.MaxBackgroundInflatedBytes>>20),
					Problems: []inkform.Problem{{Path: path, Message: fmt.Sprintf(
						"the contents of the pages up to this one inflate to more than %d MiB", inkform.MaxBackgroundInflatedBytes>>20)}},
				}
			}
		}
	}
	return nil
}

// contentStreams appends the streams of a page's Contents: a stream or an
// array of them, which gofpdi also takes nested.
func contentStreams(ctx *model.Context, o types.Object, out []*types.StreamDict, depth int) ([]*types.StreamDict, error) {
	if depth > 4 {
		return nil, fmt.Errorf("contents nested %d deep", depth)
	}
	o, err := ctx.Dereference(o)
	if err != nil {
		return nil, err
	}
	switch o := o.(type) {
	case types.StreamDict:
		out = append(out, &o)
	case types.Array:
		for _, e := range o {
			if out, err = contentStreams(ctx, e, out, depth+1); err != nil {
				return nil, err
			}
			if len(out) > maxPageContents {
				break // enough to refuse the page
			}
		}
	}
	return out, nil
}
