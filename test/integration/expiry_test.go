package integration

import (
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"cairn/internal/testutil"
)

// TestActiveExpiryReclaimsWithoutAccess: 10,000 keys set with PX 100 are
// removed by the background cycle alone: DBSIZE (which counts keys not
// yet reclaimed and touches none) drops to 0 within about 2s, and INFO's
// expired_keys counts them.
func TestActiveExpiryReclaimsWithoutAccess(t *testing.T) {
	t.Parallel()
	p := testutil.StartCairn(t)
	c := newClient(t, p, 2)
	ctx := testCtx(t, 30*time.Second)
	before, _ := strconv.Atoi(infoField(t, c, "stats", "expired_keys"))
	const n = 10000
	pipe := c.Pipeline()
	for i := 0; i < n; i++ {
		pipe.Set(ctx, "vol:"+strconv.Itoa(i), "x", 100*time.Millisecond)
	}
	pipe.Set(ctx, "keeper", "stays", 0)
	_, err := pipe.Exec(ctx)
	must(t, err)
	setAt := time.Now()
	if sz := c.DBSize(ctx).Val(); sz < n/2 {
		t.Fatalf("DBSIZE right after the SETs = %d; keys expired too early?", sz)
	}
	var sz int64
	ok := waitFor(2500*time.Millisecond, func() bool {
		sz = c.DBSize(ctx).Val()
		return sz == 1
	})
	if !ok {
		t.Fatalf("DBSIZE still %d %v after the keys expired (want 1: only the key without TTL)", sz, time.Since(setAt))
	}
	t.Logf("active expiry reclaimed %d keys within %v of setting them", n, time.Since(setAt))
	after, _ := strconv.Atoi(infoField(t, c, "stats", "expired_keys"))
	if after-before != n {
		t.Errorf("expired_keys grew by %d, want %d", after-before, n)
	}
	if v := c.Get(ctx, "keeper").Val(); v != "stays" {
		t.Errorf("key without TTL: %q", v)
	}
}

// TestLazyExpiryOnAccess: with the active cycle nearly off (hz 1), an
// access to an expired key removes it on the spot.
func TestLazyExpiryOnAccess(t *testing.T) {
	t.Parallel()
	p := testutil.StartCairn(t, "--hz", "1")
	c := newClient(t, p, 3)
	ctx := testCtx(t, 30*time.Second)
	before, _ := strconv.Atoi(infoField(t, c, "stats", "expired_keys"))
	for _, cmd := range []string{"GET", "EXISTS", "TTL", "STRLEN", "TYPE", "APPEND"} {
		key := "lazy:" + cmd
		must(t, c.Set(ctx, key, "v", 30*time.Millisecond).Err())
		time.Sleep(60 * time.Millisecond)
		args := []any{cmd, key}
		if cmd == "APPEND" {
			args = append(args, "x")
		}
		res, err := c.Do(ctx, args...).Result()
		if cmd == "APPEND" { // APPEND on an expired key starts a new one
			if res != int64(1) {
				t.Errorf("APPEND on expired key = %v, %v; want 1", res, err)
			}
			continue
		}
		if err == redis.Nil {
			res, err = nil, nil
		}
		want := map[string]any{"GET": nil, "EXISTS": int64(0), "TTL": int64(-2), "STRLEN": int64(0), "TYPE": "none"}[cmd]
		if err != nil || res != want {
			t.Errorf("%s on expired key = %#v, %v; want %#v", cmd, res, err, want)
		}
	}
	// Every access above removed its key: only APPEND's fresh key is left,
	// without waiting for the active cycle.
	if sz := c.DBSize(ctx).Val(); sz != 1 {
		t.Errorf("DBSIZE after lazy expiry = %d, want 1", sz)
	}
	after, _ := strconv.Atoi(infoField(t, c, "stats", "expired_keys"))
	if after-before < 6 {
		t.Errorf("expired_keys grew by %d, want >= 6", after-before)
	}
}

// TestExpiryMillisecondPrecision: a key answers until its expiry time and
// never after it, to the millisecond. Every GET is timed on the client: a
// GET whose reply arrived before the expiry time must see the key, one sent
// after it must not, whatever the scheduling delays.
func TestExpiryMillisecondPrecision(t *testing.T) {
	t.Parallel()
	p := testutil.StartCairn(t)
	c := newClient(t, p, 2)
	ctx := testCtx(t, 30*time.Second)
	for round := 0; round < 5; round++ {
		key := "ms:" + strconv.Itoa(round)
		must(t, c.Set(ctx, key, "v", time.Duration(150+round*7)*time.Millisecond).Err())
		pexp, err := c.PExpireTime(ctx, key).Result()
		must(t, err)
		expireAt := time.UnixMilli(int64(pexp / time.Millisecond))
		sawPresent, sawGone := false, false
		for time.Now().Before(expireAt.Add(50 * time.Millisecond)) {
			sent := time.Now()
			v, err := c.Get(ctx, key).Result()
			got := time.Now()
			present := err == nil && v == "v"
			if err != nil && err != redis.Nil {
				t.Fatal(err)
			}
			if !present && got.Before(expireAt) {
				t.Fatalf("round %d: key gone at %v, %v before its expiry", round, got, expireAt.Sub(got))
			}
			if present && sent.UnixMilli() > expireAt.UnixMilli() {
				t.Fatalf("round %d: key answered a GET sent %v after its expiry", round, sent.Sub(expireAt))
			}
			sawPresent = sawPresent || present
			sawGone = sawGone || !present
			time.Sleep(2 * time.Millisecond)
		}
		if !sawPresent || !sawGone {
			t.Fatalf("round %d: present=%v gone=%v; the polling missed a side", round, sawPresent, sawGone)
		}
	}
	// Absolute times are kept to the millisecond.
	at := time.Now().Add(time.Hour).UnixMilli() + 123
	must(t, c.Do(ctx, "SET", "abs", "v", "PXAT", at).Err())
	if got := c.PExpireTime(ctx, "abs").Val(); got != time.Duration(at)*time.Millisecond {
		t.Errorf("PEXPIRETIME after PXAT %d = %d", at, got/time.Millisecond)
	}
	if pttl := c.PTTL(ctx, "abs").Val(); pttl <= 59*time.Minute || pttl > time.Hour+123*time.Millisecond {
		t.Errorf("PTTL = %v", pttl)
	}
}
