// Package keyhash hashes lists of strings into keys that cannot collide by
// concatenation.
package keyhash

import (
	"crypto/sha256"
	"encoding/binary"
)

// Sum is the SHA-256 of prefix followed by every part, each part preceded by
// its length as 8 bytes in the given order. The lengths keep lists apart
// that would concatenate alike ("ab"+"c" and "a"+"bc"); prefix, a fixed
// domain string, is written as it is.
//
// The byte order is the caller's because the results outlive a process:
// cursors carry a query hash (big-endian) and Redis keys a credential hash
// (little-endian), and a new layout would turn away what earlier versions
// of the service handed out or stored.
func Sum(order binary.ByteOrder, prefix string, parts ...string) [sha256.Size]byte {
	h := sha256.New()
	h.Write([]byte(prefix))
	var n [8]byte
	for _, p := range parts {
		order.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write([]byte(p))
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}
