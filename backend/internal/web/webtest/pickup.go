package webtest

import (
	"bytes"
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
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("decode the pickup QR code: %v", err)
	}
	return res.GetText()
}
