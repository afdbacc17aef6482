package webtest

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// Photo is a JPEG that meets GA 461: 358×441 on a white background with a
// head and shoulders of the grey shade (distinct shades are distinct
// photos).
func Photo(t testing.TB, shade uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 358, 441))
	for y := range 441 {
		for x := range 358 {
			c := color.RGBA{255, 255, 255, 255}
			dx, dy := float64(x-179)/70, float64(y-200)/90
			if dx*dx+dy*dy < 1 || (y > 320 && x > 60 && x < 298) {
				c = color.RGBA{shade, shade, shade, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
