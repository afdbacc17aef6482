package pickup

import (
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// DefaultPNGSize is the width and height of the PNG when PNG is given zero.
const DefaultPNGSize = 512

// PNG returns content as a QR code PNG image of size×size pixels (512 when
// size is zero) with the medium error-recovery level (about 15%). A size
// too small for the code gives the smallest image that holds it.
func PNG(content string, size int) ([]byte, error) {
	if size < 0 {
		return nil, fmt.Errorf("pickup: negative QR size %d", size)
	}
	if size == 0 {
		size = DefaultPNGSize
	}
	b, err := qrcode.Encode(content, qrcode.Medium, size)
	if err != nil {
		return nil, fmt.Errorf("pickup: QR code: %w", err)
	}
	return b, nil
}
