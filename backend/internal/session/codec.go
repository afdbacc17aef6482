package session

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/alexedwards/scs/v2"
)

// codec encodes a session in a small binary form. scs's default, gob,
// compiles a decoder for the types of every session it reads: a tenth of
// the CPU of a request that does one query. Sessions hold only account
// ids, the idle deadline (int64) and short texts (string), so the form is
// a version byte, the deadline, then each key with a type byte and its
// value. A session written by gob before (it never starts with the
// version byte) is still read, by gob.
type codec struct{ legacy scs.GobCodec }

// codecVersion starts every session codec writes.
const codecVersion = 0xC1

const (
	tagInt64  = 'i'
	tagString = 's'
)

// Encode implements scs.Codec.
func (c codec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	b := make([]byte, 0, 64)
	b = append(b, codecVersion)
	b = binary.AppendVarint(b, deadline.UnixNano())
	b = binary.AppendUvarint(b, uint64(len(values)))
	for k, v := range values {
		b = appendString(b, k)
		switch v := v.(type) {
		case int64:
			b = append(b, tagInt64)
			b = binary.AppendVarint(b, v)
		case string:
			b = append(b, tagString)
			b = appendString(b, v)
		default:
			return nil, fmt.Errorf("session: cannot store %q of type %T (only int64 and string)", k, v)
		}
	}
	return b, nil
}

// Decode implements scs.Codec.
func (c codec) Decode(b []byte) (time.Time, map[string]any, error) {
	if len(b) == 0 || b[0] != codecVersion {
		return c.legacy.Decode(b)
	}
	r := reader{b: b[1:]}
	deadline := time.Unix(0, r.varint())
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		return time.Time{}, nil, errBadSession
	}
	values := make(map[string]any, n)
	for range n {
		k := r.string()
		switch r.byte() {
		case tagInt64:
			values[k] = r.varint()
		case tagString:
			values[k] = r.string()
		default:
			return time.Time{}, nil, errBadSession
		}
		if r.err != nil {
			return time.Time{}, nil, errBadSession
		}
	}
	if r.err != nil || len(r.b) != 0 {
		return time.Time{}, nil, errBadSession
	}
	return deadline, values, nil
}

var errBadSession = errors.New("session: malformed session data")

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// reader reads codec's form; the first fault sticks in err.
type reader struct {
	b   []byte
	err error
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errBadSession
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errBadSession
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) byte() byte {
	if len(r.b) == 0 {
		r.err = errBadSession
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) string() string {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errBadSession
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}
