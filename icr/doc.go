// Package icr is inkform's built-in handwriting recognition engine for
// online ink: strokes with their order, not images. It reads single
// characters of the sets digits, upper and alnum with a small ensemble of
// multilayer perceptrons over resampled-trajectory and direction-map
// features, segments free text into characters, and offers Remote, a
// Recognizer that calls another engine over HTTP and falls back to this one.
//
// The model is trained by cmd/icrtrain (package icr/icrtrain, which the
// server does not link) from the UNIPEN corpus and embedded in the binary;
// docs/recognition.md describes the method and its measured accuracy on
// writers that training never saw.
package icr
