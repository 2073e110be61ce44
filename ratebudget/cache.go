package ratebudget

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
	"github.com/redis/go-redis/v9"
)

// responseCache holds recent 200 answers for a short TTL. Entries are keyed
// by credential and URL (cacheKey): two callers with different credentials
// never share an entry, because what a token may see is the upstream's
// business, not ours.
type responseCache interface {
	get(ctx context.Context, key string) (*snapshot, bool, error)
	put(ctx context.Context, key string, s *snapshot) error
}

// cacheKey hashes the URL too: queries carry callers' search text, which has
// no business appearing in Redis key listings.
func cacheKey(cred credKey, url string) string {
	sum := sha256.Sum256([]byte(string(cred) + "\n" + url))
	return hex.EncodeToString(sum[:])
}

// memCache is an LRU bounded by bytes, not entries: one page of logs can be
// a few bytes or a few megabytes. Expired entries are dropped when met, and
// otherwise age out of the LRU under pressure.
type memCache struct {
	ttl      time.Duration
	maxBytes int
	now      func() time.Time

	mu    sync.Mutex
	lru   *simplelru.LRU[string, memEntry]
	bytes int
}

type memEntry struct {
	snap    *snapshot
	expires time.Time
	size    int
}

func newMemCache(ttl time.Duration, maxBytes int, now func() time.Time) *memCache {
	c := &memCache{ttl: ttl, maxBytes: maxBytes, now: now}
	// The entry count is not the bound (bytes are), so it is effectively
	// unlimited; the callback keeps the byte count right on every removal.
	c.lru, _ = simplelru.NewLRU(math.MaxInt32, func(_ string, e memEntry) { c.bytes -= e.size })
	return c
}

func (c *memCache) get(_ context.Context, key string) (*snapshot, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.lru.Get(key)
	if !ok {
		return nil, false, nil
	}
	if !c.now().Before(e.expires) {
		c.lru.Remove(key)
		return nil, false, nil
	}
	return e.snap, true, nil
}

func (c *memCache) put(_ context.Context, key string, s *snapshot) error {
	size := s.size() + len(key)
	if size > c.maxBytes {
		return nil // would evict everything else for one entry
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lru.Remove(key) // Add on an existing key would skip the callback
	c.lru.Add(key, memEntry{snap: s, expires: c.now().Add(c.ttl), size: size})
	c.bytes += size
	for c.bytes > c.maxBytes {
		if _, _, ok := c.lru.RemoveOldest(); !ok {
			break
		}
	}
	return nil
}

// redisCache stores entries as JSON under keys whose TTL is the cache TTL,
// so every replica sees them and Redis expires them by itself.
type redisCache struct {
	client    redis.UniversalClient
	prefix    string
	ttl       time.Duration
	maxBytes  int
	opTimeout time.Duration
}

func (c *redisCache) key(k string) string { return c.prefix + "cache:" + k }

func (c *redisCache) get(ctx context.Context, key string) (*snapshot, bool, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.opTimeout)
	defer cancel()
	data, err := c.client.Get(ctx, c.key(key)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	var s snapshot
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, false, nil // unreadable entry (another version?): a miss
	}
	return &s, true, nil
}

func (c *redisCache) put(ctx context.Context, key string, s *snapshot) error {
	if s.size() > c.maxBytes {
		return nil
	}
	data, err := json.Marshal(s)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.opTimeout)
	defer cancel()
	return c.client.Set(ctx, c.key(key), data, c.ttl).Err()
}
