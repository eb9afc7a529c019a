// Package charnet is the character model that package icr serves and
// package icrtrain trains: the feature extraction, the ensemble of
// multilayer perceptrons, its scoring and calibrated probabilities, and the
// model file format. It lives apart from both so that the server links no
// training code and the trainer needs no back door into the engine.
package charnet
