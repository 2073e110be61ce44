package cfsim

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// crockford is the ULID alphabet (Crockford base32: no I, L, O, U).
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// newULID returns a 26-character ULID: 48 bits of millisecond timestamp then
// 80 random bits, which is what AI Gateway log ids look like. Because the
// timestamp leads, ids of different milliseconds sort like created_at; ids
// within one millisecond order randomly, which is why the order tie-break on
// id matters.
func newULID(t time.Time, rng *rand.Rand) string {
	var b [26]byte
	ms := uint64(t.UnixMilli())
	for i := 9; i >= 0; i-- {
		b[i] = crockford[ms&31]
		ms >>= 5
	}
	hi, lo := rng.Uint64()&0xFFFF, rng.Uint64() // 16 + 64 = 80 bits
	for i := 25; i >= 10; i-- {
		b[i] = crockford[lo&31]
		lo = lo>>5 | (hi&31)<<59
		hi >>= 5
	}
	return string(b[:])
}

// newUUID returns a random (version 4 layout) lower-case UUID.
func newUUID(rng *rand.Rand) string {
	a, b := rng.Uint64(), rng.Uint64()
	a = a&^0xF000 | 0x4000           // version 4
	b = b&^(0xC000<<48) | 0x8000<<48 // RFC 4122 variant
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x",
		a>>32, a>>16&0xFFFF, a&0xFFFF, b>>48, b&0xFFFFFFFFFFFF)
}
