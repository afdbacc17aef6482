package session

import (
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
)

func TestCodecRoundTrip(t *testing.T) {
	deadline := time.Date(2026, 12, 2, 6, 30, 0, 123456789, time.UTC)
	in := map[string]any{"staff_id": int64(42), "idle_until": int64(-1 << 40), "flash": "已保存。", "empty": "", "long": strings.Repeat("长", 300)}
	b, err := codec{}.Encode(deadline, in)
	if err != nil {
		t.Fatal(err)
	}
	got, out, err := codec{}.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(deadline) || len(out) != len(in) {
		t.Fatalf("decoded %v %v, want %v %v", got, out, deadline, in)
	}
	for k, v := range in {
		if out[k] != v {
			t.Errorf("%s: %#v, want %#v", k, out[k], v)
		}
	}
}

// A session gob wrote before the codec changed still loads.
func TestCodecReadsGobSessions(t *testing.T) {
	deadline := time.Now().Add(time.Hour).Truncate(time.Second)
	b, err := scs.GobCodec{}.Encode(deadline, map[string]any{"applicant_id": int64(7)})
	if err != nil {
		t.Fatal(err)
	}
	got, out, err := codec{}.Decode(b)
	if err != nil || !got.Equal(deadline) || out["applicant_id"] != int64(7) {
		t.Fatalf("gob session: %v %v %v", got, out, err)
	}
}

func TestCodecRefusesWhatItCannotStore(t *testing.T) {
	if _, err := (codec{}).Encode(time.Now(), map[string]any{"n": 1.5}); err == nil {
		t.Fatal("a float64 was encoded")
	}
}

// Every truncation and a trailing byte of a valid session are refused,
// never read as another session.
func TestCodecRefusesMalformedData(t *testing.T) {
	b, err := codec{}.Encode(time.Now(), map[string]any{"staff_id": int64(42), "flash": "好"})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(b); i++ {
		if _, _, err := (codec{}).Decode(b[:i]); err == nil {
			t.Errorf("a session cut to %d of %d bytes decoded", i, len(b))
		}
	}
	if _, _, err := (codec{}).Decode(append(append([]byte(nil), b...), 0)); err == nil {
		t.Error("a session with a trailing byte decoded")
	}
}
