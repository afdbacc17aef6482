package webtest

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"math/rand/v2"
	"testing"

	"github.com/gzga/idcard/backend/internal/pickup"
)

// TestDecodeQREveryToken: the tests' scanner reads every pickup QR the
// service draws — gozxing's searching reader alone misses about one in 300,
// which made pickup tests fail now and then.
func TestDecodeQREveryToken(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 400 {
		b := make([]byte, 60)
		for j := range b {
			b[j] = byte(r.IntN(256))
		}
		tok := base64.RawURLEncoding.EncodeToString(b)
		raw, err := pickup.PNG(tok, 512)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := DecodeQR(img); err != nil || got != tok {
			t.Fatalf("token %d: decoded %q, %v", i, got, err)
		}
	}
}
