// Package inkml reads and writes ink in W3C InkML (the capture profile of
// docs/capture.md) and in inkform's JSON stroke format. Parsers enforce size
// limits and refuse DTDs and entities.
package inkml
