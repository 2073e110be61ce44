package paging

import (
	"encoding/binary"
	"encoding/hex"
	"errors"

	"github.com/aigw/gqlfacade/internal/keyhash"
)

// QueryHash identifies a query's result set: the gateway, the filter, the
// order and the search — everything but the window. A cursor carries it so
// that a cursor from another query is refused instead of silently paging
// through the wrong list.
type QueryHash uint64

// HashQuery hashes the canonical parts of a query. Parts are length-prefixed
// so that no two different part lists hash the same input.
func HashQuery(parts ...string) QueryHash {
	sum := keyhash.Sum(binary.BigEndian, "", parts...)
	return QueryHash(binary.BigEndian.Uint64(sum[:8]))
}

func (q QueryHash) String() string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(q))
	return hex.EncodeToString(b[:])
}

// ParseQueryHash reads the 16-hex-digit form written by String.
func ParseQueryHash(s string) (QueryHash, error) {
	if len(s) != 16 {
		return 0, errors.New("query hash must be 16 hex digits")
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return 0, err
	}
	return QueryHash(binary.BigEndian.Uint64(b)), nil
}
