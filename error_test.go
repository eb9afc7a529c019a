package inkform_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

func TestUnavailable(t *testing.T) {
	t.Parallel()
	cause := errors.New("write /data/inkform.db: no space left on device")
	err := fmt.Errorf("capture: %w", inkform.Unavailable(cause, "cannot write now", 5*time.Second))
	if inkform.ErrorCode(err) != inkform.EUNAVAILABLE || inkform.ErrorMessage(err) != "cannot write now" ||
		inkform.ErrorRetryAfter(err) != 5*time.Second || !errors.Is(err, cause) {
		t.Errorf("Unavailable: code %q message %q retry %v, cause kept %v",
			inkform.ErrorCode(err), inkform.ErrorMessage(err), inkform.ErrorRetryAfter(err), errors.Is(err, cause))
	}
	coded := inkform.Errorf(inkform.ENOTFOUND, "no such form")
	if got := inkform.Unavailable(coded, "x", time.Second); got != error(coded) {
		t.Errorf("an error with a code is wrapped again: %v", got)
	}
	if inkform.Unavailable(nil, "x", time.Second) != nil {
		t.Error("nil is not nil")
	}
}
