package keyhash

import (
	"crypto/sha256"
	"encoding/binary"
	"testing"
)

func TestSumSeparatesParts(t *testing.T) {
	le := binary.LittleEndian
	seen := map[[sha256.Size]byte]string{}
	for name, sum := range map[string][sha256.Size]byte{
		"ab|c":     Sum(le, "", "ab", "c"),
		"a|bc":     Sum(le, "", "a", "bc"),
		"abc":      Sum(le, "", "abc"),
		"abc|":     Sum(le, "", "abc", ""),
		"none":     Sum(le, ""),
		"p:ab|c":   Sum(le, "p", "ab", "c"),
		"ab|c big": Sum(binary.BigEndian, "", "ab", "c"),
	} {
		if other, dup := seen[sum]; dup {
			t.Errorf("%s and %s hash alike", name, other)
		}
		seen[sum] = name
	}
	if Sum(le, "p", "x") != Sum(le, "p", "x") {
		t.Error("not stable")
	}
	// With no parts, the hash is that of the prefix alone.
	if Sum(le, "domain") != sha256.Sum256([]byte("domain")) {
		t.Error("prefix is not written as it is")
	}
}
