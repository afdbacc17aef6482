package webtest

import (
	"bytes"
	"image"
	"image/png"
	"net/http"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// PickupToken fetches the applicant's pickup QR code and decodes it, as the
// scanner at the window would.
func PickupToken(t testing.TB, app *Client, no string) string {
	t.Helper()
	r := Want(t, app.Get("/api/v1/cases/"+no+"/pickup-qr.png"), http.StatusOK, "")
	img, err := png.Decode(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatalf("pickup-qr.png: %v", err)
	}
	text, err := DecodeQR(img)
	if err != nil {
		t.Fatalf("decode the pickup QR code: %v", err)
	}
	return text
}

// DecodeQR reads the QR code of an image the service drew (a clean code
// with its quiet zone). gozxing's finder-pattern search misses about one
// such code in 300, so the pure-barcode reading comes first, the searching
// one (try harder) after it.
func DecodeQR(img image.Image) (string, error) {
	var err error
	for _, hints := range []map[gozxing.DecodeHintType]any{
		{gozxing.DecodeHintType_PURE_BARCODE: true},
		{gozxing.DecodeHintType_TRY_HARDER: true},
	} {
		var bmp *gozxing.BinaryBitmap
		if bmp, err = gozxing.NewBinaryBitmapFromImage(img); err != nil {
			return "", err
		}
		var res *gozxing.Result
		if res, err = qrcode.NewQRCodeReader().Decode(bmp, hints); err == nil {
			return res.GetText(), nil
		}
	}
	return "", err
}
