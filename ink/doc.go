// Package ink is a leaf library for pen ink: a compact binary encoding of
// strokes for storage, geometry (bounds, lengths, coverage, assignment of
// strokes to boxes) and rendering to PNG and SVG. It depends only on the
// domain types and, for rasterising, golang.org/x/image.
package ink
