package ratebudget

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// tokenBucketScript is the shared bucket: refill by elapsed time, then take
// (n > 0) or give back (n < 0) tokens, in one atomic step so that replicas
// racing on the same credential can never both spend its last token.
//
// Time comes from the Redis server (TIME), not from the replicas, whose
// clocks may disagree. The hash expires once it would be full again: an
// absent key means a full bucket, so idle credentials cost nothing.
//
// KEYS[1] bucket hash {t = tokens, ts = ms of last refill}
// ARGV    rate (tokens per ms), burst, n, maxwait (ms)
// returns {granted 0|1, wait ms, tokens after (string: Redis would truncate a number)}
var tokenBucketScript = redis.NewScript(`
local tm = redis.call('TIME')
local now = tonumber(tm[1]) * 1000 + math.floor(tonumber(tm[2]) / 1000)
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local maxwait = tonumber(ARGV[4])
local st = redis.call('HMGET', KEYS[1], 't', 'ts')
local tokens = tonumber(st[1])
local ts = tonumber(st[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
end
if now > ts then
  tokens = math.min(burst, tokens + (now - ts) * rate)
  ts = now
end
local granted = 1
local wait = 0
if n > 0 then
  local after = tokens - n
  if after < 0 then
    wait = math.ceil(-after / rate)
  end
  if wait > maxwait then
    granted = 0
  else
    tokens = after
  end
else
  tokens = math.min(burst, tokens - n)
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'ts', tostring(ts))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate) + 1000)
return {granted, wait, tostring(tokens)}
`)

// redisBucket is the bucket shared by every replica pointing at one Redis.
type redisBucket struct {
	client    redis.UniversalClient
	prefix    string
	perMilli  float64 // tokens per millisecond
	burst     int
	opTimeout time.Duration
	// refundFailed reports a failed give-back (the token is then lost until
	// it refills: the safe direction).
	refundFailed func(error)
}

func (b *redisBucket) key(k credKey) string { return b.prefix + "bucket:" + string(k) }

func (b *redisBucket) reserve(ctx context.Context, key credKey, maxWait time.Duration) (grant, error) {
	granted, wait, remaining, err := b.run(ctx, key, 1, maxWait)
	if err != nil {
		return grant{}, err
	}
	g := grant{ok: granted, delay: wait, remaining: remaining}
	if granted {
		g.cancel = func() {
			if _, _, _, err := b.run(context.Background(), key, -1, 0); err != nil && b.refundFailed != nil {
				b.refundFailed(err)
			}
		}
	}
	return g, nil
}

// run executes the script with its own short timeout, detached from the
// caller's cancellation: a caller that leaves mid-command must not make Redis
// look broken, and a hung Redis must not hold the request for long.
func (b *redisBucket) run(ctx context.Context, key credKey, n int, maxWait time.Duration) (bool, time.Duration, float64, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), b.opTimeout)
	defer cancel()
	maxMs := max(maxWait.Milliseconds(), 0)
	res, err := tokenBucketScript.Run(ctx, b.client, []string{b.key(key)}, b.perMilli, b.burst, n, maxMs).Slice()
	if err != nil {
		return false, 0, 0, err
	}
	if len(res) != 3 {
		return false, 0, 0, fmt.Errorf("ratebudget: bucket script returned %d values", len(res))
	}
	granted, ok1 := res[0].(int64)
	waitMs, ok2 := res[1].(int64)
	rem, ok3 := res[2].(string)
	if !ok1 || !ok2 || !ok3 {
		return false, 0, 0, fmt.Errorf("ratebudget: bucket script returned %T, %T, %T", res[0], res[1], res[2])
	}
	remaining, err := strconv.ParseFloat(rem, 64)
	if err != nil {
		return false, 0, 0, fmt.Errorf("ratebudget: bucket script returned tokens %q", rem)
	}
	return granted == 1, time.Duration(waitMs) * time.Millisecond, remaining, nil
}
