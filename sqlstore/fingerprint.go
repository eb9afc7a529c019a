package sqlstore

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math"
	"slices"

	"github.com/inkform/inkform"
)

// A fingerprint is the SHA-256 (hex) of what a submission says, stored with
// its submission ID so that a replay can be told from a different
// submission that reuses the ID (which is ECONFLICT, see replay). It covers
// the decoded content, not the bytes of the request, so that what cannot
// change what is stored cannot make a replay a conflict either: InkML
// whitespace, JSON key order, a gzip body, the same ink sent as InkML once
// and as JSON strokes the next time. Each kind starts with its own tag, so
// an ink submission and a digital one never share a fingerprint.

// inkFingerprint covers the pen ID and the ink in its storage encoding
// (ink.Encode: every page's address, strokes and points, at the precision
// they are stored with), which CaptureInk has made already. Points that
// differ only below the storage grid (0.01 mm) would be stored alike, so
// they are the same submission. A change of the codec's version changes
// every fingerprint: a retry that spans such an upgrade is a conflict.
func inkFingerprint(penID string, encoded []byte) string {
	h := sha256.New()
	h.Write(appendString([]byte("inkform ink submission\x00"), penID))
	h.Write(encoded)
	return hex.EncodeToString(h.Sum(nil))
}

// digitalFingerprint covers the form ID, the values and the ink of a
// digital submission. Values are encoded as JSON (which sorts map keys);
// ink is encoded per field in name order with every point's exact numbers.
// A value of nil and a field with no strokes are left out: the store
// treats them as absent.
func digitalFingerprint(sub *inkform.DigitalSubmission) (string, error) {
	values := make(map[string]any, len(sub.Values))
	for name, v := range sub.Values {
		if v != nil {
			values[name] = v
		}
	}
	valuesJSON, err := json.Marshal(values)
	if err != nil {
		return "", inkform.Errorf(inkform.EINVALID, "the submission's values cannot be encoded: %v", err)
	}
	buf := appendString([]byte("inkform digital submission\x00"), sub.FormID)
	buf = appendString(buf, string(valuesJSON))
	names := make([]string, 0, len(sub.Ink))
	for name, strokes := range sub.Ink {
		if len(strokes) > 0 {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		buf = appendString(buf, name)
		buf = binary.AppendUvarint(buf, uint64(len(sub.Ink[name])))
		for _, s := range sub.Ink[name] {
			buf = binary.AppendUvarint(buf, uint64(len(s.Points)))
			for _, p := range s.Points {
				buf = binary.BigEndian.AppendUint64(buf, math.Float64bits(p.X))
				buf = binary.BigEndian.AppendUint64(buf, math.Float64bits(p.Y))
				buf = binary.BigEndian.AppendUint64(buf, uint64(p.T))
				buf = binary.BigEndian.AppendUint64(buf, math.Float64bits(p.F))
			}
		}
	}
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:]), nil
}

// appendString appends s with its length first, so that no two sequences
// of strings encode alike.
func appendString(buf []byte, s string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}
