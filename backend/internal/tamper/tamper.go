// Package tamper makes the one-byte edits that fuzz targets apply to a
// sealed value or a signed token to check that an edited copy is refused.
package tamper

// Edit returns s with byte b put in place of (op%3 == 0) or inserted before
// (op%3 == 1) the byte at pos modulo the length, or s cut off there
// (op%3 == 2). The result may equal s; s must not be empty.
func Edit(s string, pos uint, b byte, op uint8) string {
	i := int(pos % uint(len(s)))
	switch op % 3 {
	case 0:
		return s[:i] + string([]byte{b}) + s[i+1:]
	case 1:
		return s[:i] + string([]byte{b}) + s[i:]
	default:
		return s[:i]
	}
}
