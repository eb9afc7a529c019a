package inkform_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

func TestCheckClusterSettings(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	recorded := []inkform.ClusterSetting{
		{Name: inkform.SettingBlobStore, Value: "id-a", Detail: "s3://bucket", Node: "api on host-a", At: at},
		{Name: inkform.SettingSchemaFloor, Value: "00005"},
		{Name: inkform.SettingSchemaVersion, Value: "00012", Node: "worker on host-c", At: at},
		{Name: inkform.SettingSecretKey, Value: "fp-a", Detail: "INKFORM_SECRET_KEY", Node: "api on host-a", At: at},
	}
	node := func(schema int64, blob, key string) inkform.ClusterNode {
		return inkform.ClusterNode{Name: "me", Schema: schema, Settings: []inkform.ClusterSetting{
			{Name: inkform.SettingBlobStore, Value: blob, Detail: "the folder /data/blobs", Hint: "Give every node the same --blob."},
			{Name: inkform.SettingSecretKey, Value: key, Detail: "the key file /data/secret.key"},
		}}
	}
	tests := []struct {
		name     string
		node     inkform.ClusterNode
		recorded []inkform.ClusterSetting
		want     []string
		says     []string
	}{
		{"same", node(11, "id-a", "fp-a"), recorded, nil, nil},
		{"older binary above the floor", node(5, "id-a", "fp-a"), recorded, nil, nil},
		{"another key", node(11, "id-a", "fp-b"), recorded, []string{inkform.SettingSecretKey},
			[]string{"secret_key: this node has fp-b (the key file /data/secret.key); the cluster has fp-a (INKFORM_SECRET_KEY, recorded by api on host-a at 2026-03-04T05:06:07Z)"}},
		{"another store", node(11, "id-b", "fp-a"), recorded, []string{inkform.SettingBlobStore},
			[]string{"blob_store: this node has id-b (the folder /data/blobs); the cluster has id-a (s3://bucket, ", "Give every node the same --blob."}},
		{"below the floor", node(4, "id-a", "fp-a"), recorded, []string{inkform.SettingSchemaVersion},
			[]string{"knows schema version 4", "version 5 or later: upgrade this node"}},
		{"everything", node(4, "id-b", "fp-b"), recorded,
			[]string{inkform.SettingBlobStore, inkform.SettingSecretKey, inkform.SettingSchemaVersion}, nil},
		{"nothing recorded", node(1, "id-b", "fp-b"), nil, nil, nil},
		{"a floor that is no version", node(11, "id-a", "fp-a"),
			[]inkform.ClusterSetting{{Name: inkform.SettingSchemaFloor, Value: "x"}}, []string{inkform.SettingSchemaFloor}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := inkform.CheckClusterSettings(tt.node, tt.recorded)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var m *inkform.ClusterMismatchError
			if !errors.As(err, &m) {
				t.Fatalf("err = %v; want a *ClusterMismatchError", err)
			}
			if !slices.Equal(m.Names(), tt.want) {
				t.Errorf("differs in %v; want %v", m.Names(), tt.want)
			}
			for _, s := range tt.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("the message lacks %q:\n%s", s, err)
				}
			}
			// What /readyz shows: a code and the names, no values.
			if inkform.ErrorCode(err) != inkform.EUNAVAILABLE {
				t.Errorf("code %q; want %q", inkform.ErrorCode(err), inkform.EUNAVAILABLE)
			}
			public := inkform.ErrorMessage(err)
			for _, name := range tt.want {
				if !strings.Contains(public, name) {
					t.Errorf("the public message %q does not name %s", public, name)
				}
			}
			for _, value := range []string{"fp-a", "fp-b", "id-a", "id-b", "/data"} {
				if strings.Contains(public, value) {
					t.Errorf("the public message %q shows %q", public, value)
				}
			}
		})
	}
}

func TestSecretKeyFingerprint(t *testing.T) {
	t.Parallel()
	a, b := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	fa := inkform.SecretKeyFingerprint(a)
	if raw, err := hex.DecodeString(fa); err != nil || len(raw) != 8 {
		t.Errorf("fingerprint %q is not 16 hex digits", fa)
	}
	if fa != inkform.SecretKeyFingerprint(bytes.Clone(a)) {
		t.Error("one key gives two fingerprints")
	}
	if fa == inkform.SecretKeyFingerprint(b) {
		t.Error("two keys give one fingerprint")
	}
	if strings.Contains(fa, hex.EncodeToString(a[:4])) {
		t.Errorf("the fingerprint %q shows the key", fa)
	}
}

func TestFormatSchemaVersion(t *testing.T) {
	t.Parallel()
	// Recorded versions are compared as strings by the database.
	versions := []int64{1, 9, 10, 11, 99, 100, 12345}
	for i := 1; i < len(versions); i++ {
		if a, b := inkform.FormatSchemaVersion(versions[i-1]), inkform.FormatSchemaVersion(versions[i]); a >= b {
			t.Errorf("%s sorts after %s", a, b)
		}
	}
	if got := inkform.FormatSchemaVersion(11); got != "00011" {
		t.Errorf("FormatSchemaVersion(11) = %q", got)
	}
}
