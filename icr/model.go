package icr

import "github.com/inkform/inkform/icr/internal/charnet"

// Model is a trained recogniser: feature standardisation and an ensemble of
// networks with calibrated temperatures. The server only reads one
// (DecodeModel); package icrtrain, which the server does not link, trains
// it. Both share the implementation in internal/charnet.
type Model = charnet.Model

// CNN is the convolutional network of the cascade: ink maps, a few 3×3
// convolutions, dense layers, its calibration and the cascade's gate and
// mixing (see internal/charnet and docs/recognition.md).
type CNN = charnet.CNN

// DecodeCNN reads a network written by (*CNN).Encode and checks every
// size and value.
func DecodeCNN(data []byte) (*CNN, error) { return charnet.DecodeCNN(data) }

// MaxModelBytes is the largest model file DecodeModel accepts.
const MaxModelBytes = charnet.MaxModelBytes

// DecodeModel reads a model written by (*Model).Encode and checks every
// size against the engine's feature layout and limits; the format is
// described in internal/charnet and docs/recognition.md.
func DecodeModel(data []byte) (*Model, error) { return charnet.DecodeModel(data) }
