package pdf

import (
	"bytes"
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/inkform/inkform"
)

// The importer that puts background pages into a filled PDF (gofpdi)
// reads only simple PDFs and, on malformed input, panics or loops for
// ever. So a background is read and validated by pdfcpu, which is built
// for hostile input, and written again in the plain form gofpdi handles
// (classic cross-reference table, no object streams, no encryption).
// Filled does this on every call, so gofpdi never sees an upload as is.

// pdfcpuConfig is pdfcpu's configuration built here: its default one
// creates a configuration directory in the user's home on first use.
func pdfcpuConfig() *model.Configuration {
	return &model.Configuration{
		Reader15:                  true,
		ValidationMode:            model.ValidationRelaxed,
		UnsupportedResourcePolicy: model.UnsupportedResourceSkip,
		Eol:                       types.EolLF,
		WriteObjectStream:         false,
		WriteXRefStream:           false,
		Optimize:                  true,
		OptimizeBeforeWriting:     true,
		OptimizeResourceDicts:     true,
		Offline:                   true,
		Limits:                    limits(),
		Cmd:                       model.VALIDATE,
	}
}

// limits are pdfcpu's resource limits at this package's: checkStreams
// refuses more before pdfcpu reads a file, so these only stand behind it.
func limits() model.ResourceLimits {
	l := model.DefaultResourceLimits()
	l.MaxDecodeBytes = inkform.MaxBackgroundInflatedBytes
	l.MaxObjectCount = maxObjects
	l.MaxXRefEntries = maxObjects
	l.MaxObjectStreamCount = maxObjects
	return l
}

// NormalizeBackground checks that data is a PDF that can be a background
// of the form: one page per form page, each the form page's size within
// ±1 mm (MediaBox, turned as displayed). A mismatch is EUNPROCESSABLE with
// one problem per page; a file that is not a readable PDF is
// EUNPROCESSABLE too, and so is one whose streams or page contents
// inflate to more than MaxBackgroundInflatedBytes (measured before
// anything is inflated into memory); one over MaxBackgroundBytes is
// ETOOLARGE. It returns the PDF rewritten in the plain form that Filled
// imports. Storing the result instead of the upload makes later Filled
// calls a little faster and the stored file smaller.
func NormalizeBackground(data []byte, form *inkform.Form) ([]byte, error) {
	ctx, err := checkBackground(data, form)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	ctx.Cmd = model.OPTIMIZE
	if err := api.WriteContext(ctx, &out); err != nil {
		return nil, unreadable(fmt.Sprintf("rewrite: %v", err))
	}
	return out.Bytes(), nil
}

// checkBackground measures data's streams, reads it with pdfcpu and
// matches it with the form.
func checkBackground(data []byte, form *inkform.Form) (ctx *model.Context, err error) {
	if form == nil {
		return nil, inkform.Errorf(inkform.EINVALID, "pdf: no form")
	}
	if len(data) > inkform.MaxBackgroundBytes {
		return nil, inkform.Errorf(inkform.ETOOLARGE, "background PDF is larger than %d MB", inkform.MaxBackgroundBytes>>20)
	}
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		return nil, inkform.Errorf(inkform.EUNPROCESSABLE, "background is not a PDF file")
	}
	// The checks use pdfcpu's parser, which is not free of panics on
	// hostile input.
	defer func() {
		if r := recover(); r != nil {
			ctx, err = nil, unreadable(r)
		}
	}()
	if err := checkStreams(data); err != nil {
		return nil, err
	}
	ctx, sizes, err := readBackground(data)
	if err != nil {
		return nil, err
	}
	if err := matchSizes(sizes, form); err != nil {
		return nil, err
	}
	if ctx.XRefTable.Encrypt != nil {
		return nil, inkform.Errorf(inkform.EUNPROCESSABLE, "background PDF is encrypted")
	}
	if err := checkContents(ctx); err != nil {
		return nil, err
	}
	return ctx, nil
}

// readBackground parses and validates data with pdfcpu and returns the
// page sizes in millimetres, turned as displayed.
func readBackground(data []byte) (ctx *model.Context, sizes []inkform.Size, err error) {
	// pdfcpu reports most faults as errors but is not free of panics on
	// hostile input either.
	defer func() {
		if r := recover(); r != nil {
			ctx, sizes, err = nil, nil, unreadable(r)
		}
	}()
	ctx, err = api.ReadContext(bytes.NewReader(data), pdfcpuConfig())
	if err != nil {
		return nil, nil, unreadable(err)
	}
	if err := api.ValidateContext(ctx); err != nil {
		return nil, nil, unreadable(err)
	}
	dims, err := ctx.XRefTable.PageDims()
	if err != nil {
		return nil, nil, unreadable(err)
	}
	for _, d := range dims {
		sizes = append(sizes, inkform.Size{W: d.Width / ptPerMM, H: d.Height / ptPerMM})
	}
	return ctx, sizes, nil
}
