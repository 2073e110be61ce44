package paging

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"hash"
	"sync"
)

// MinSecretLen is the shortest cursor secret NewSigner accepts, in bytes:
// the size of an HMAC-SHA256 key, so that the key cannot be found by trying
// candidates against a cursor offline.
const MinSecretLen = 32

// tagLen is how much of the HMAC-SHA256 a cursor carries: 128 bits leave
// forging a tag by chance out of reach while keeping cursors short.
const tagLen = 16

// Signer writes and checks cursors under one key. Servers that share the key
// (replicas with one -cursor-secret, or one server across restarts) accept
// each other's cursors; any other key refuses them. It is safe for
// concurrent use.
type Signer struct {
	// macs reuses keyed HMAC states: every edge of every page gets a cursor,
	// and a fresh hmac.New costs two SHA-256 key setups and allocations.
	macs sync.Pool
}

// NewSigner keys a Signer with a secret shared by the servers that must
// accept each other's cursors.
func NewSigner(secret []byte) (*Signer, error) {
	if len(secret) < MinSecretLen {
		return nil, fmt.Errorf("the cursor secret is %d bytes long; it must be at least %d bytes", len(secret), MinSecretLen)
	}
	return newSigner(secret), nil
}

// RandomSigner keys a Signer with fresh random bytes: its cursors are
// accepted by no other Signer, including the one a restarted server makes.
func RandomSigner() *Signer {
	key := make([]byte, MinSecretLen)
	_, _ = rand.Read(key) // crypto/rand.Read never fails
	return newSigner(key)
}

func newSigner(secret []byte) *Signer {
	key := append([]byte(nil), secret...) // the caller's slice may change
	s := &Signer{}
	s.macs.New = func() any { return hmac.New(sha256.New, key) }
	return s
}

// appendTag appends the tag of text to dst.
func (s *Signer) appendTag(dst, text []byte) []byte {
	h := s.macs.Get().(hash.Hash)
	h.Reset()
	h.Write(text)
	dst = h.Sum(dst)
	s.macs.Put(h)
	return dst[:len(dst)-sha256.Size+tagLen]
}
