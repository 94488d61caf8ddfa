package integration

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"cairn/internal/testutil"
)

// TestGoRedisSmoke drives every command family through go-redis v9, which
// parses replies into typed results, in RESP2 and in RESP3 (go-redis's
// default, negotiated with HELLO 3). A reply of the wrong shape for the
// protocol fails as a go-redis parse error.
func TestGoRedisSmoke(t *testing.T) {
	t.Parallel()
	p := testutil.StartCairn(t)
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("resp%d", proto), func(t *testing.T) {
			c := newClient(t, p, proto)
			ctx := testCtx(t, 30*time.Second)
			// Each protocol works in its own database so the runs don't meet.
			db := proto
			must(t, c.Do(ctx, "SELECT", db).Err())
			c = redis.NewClient(&redis.Options{Addr: p.Addr(), Protocol: proto, DB: db, PoolSize: 1})
			t.Cleanup(func() { c.Close() })
			smokeConnection(t, ctx, c, proto)
			smokeStrings(t, ctx, c)
			smokeKeys(t, ctx, c, db)
			smokeServer(t, ctx, c)
		})
	}
}

func eq[T any](t *testing.T, what string, got T, err error, want T) {
	t.Helper()
	if err != nil {
		t.Errorf("%s: error %v", what, err)
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

func wantErr(t *testing.T, what string, err error, prefix string) {
	t.Helper()
	if err == nil || !strings.HasPrefix(err.Error(), prefix) {
		t.Errorf("%s: error %v, want one starting %q", what, err, prefix)
	}
}

func smokeConnection(t *testing.T, ctx context.Context, c *redis.Client, proto int) {
	r, err := c.Ping(ctx).Result()
	eq(t, "PING", r, err, "PONG")
	r, err = c.Echo(ctx, "hi there").Result()
	eq(t, "ECHO", r, err, "hi there")

	hello, err := c.Do(ctx, "HELLO", proto).Result()
	if err != nil {
		t.Fatalf("HELLO %d: %v", proto, err)
	}
	var fields map[string]any
	switch h := hello.(type) {
	case map[any]any: // RESP3 map
		fields = map[string]any{}
		for k, v := range h {
			fields[k.(string)] = v
		}
	case []any: // RESP2 flat array
		fields = map[string]any{}
		for i := 0; i+1 < len(h); i += 2 {
			fields[h[i].(string)] = h[i+1]
		}
	default:
		t.Fatalf("HELLO reply of type %T", hello)
	}
	if fields["server"] != "redis" || fields["version"] != "7.0.15" || fields["proto"] != int64(proto) {
		t.Errorf("HELLO fields = %v", fields)
	}

	id, err := c.ClientID(ctx).Result()
	if err != nil || id <= 0 {
		t.Errorf("CLIENT ID = %d, %v", id, err)
	}
	must(t, c.Do(ctx, "CLIENT", "SETNAME", "smoke").Err())
	name, err := c.ClientGetName(ctx).Result()
	eq(t, "CLIENT GETNAME", name, err, "smoke")
	info, err := c.ClientInfo(ctx).Result() // go-redis parses every field
	if err != nil {
		t.Errorf("CLIENT INFO: %v", err)
	} else if info.ID != id || info.Name != "smoke" {
		t.Errorf("CLIENT INFO = %+v", info)
	}
	list, err := c.ClientList(ctx).Result()
	if err != nil || !strings.Contains(list, fmt.Sprintf("id=%d ", id)) || !strings.Contains(list, "name=smoke") {
		t.Errorf("CLIENT LIST = %q, %v", list, err)
	}
	wantErr(t, "SELECT 99", c.Do(ctx, "SELECT", 99).Err(), "ERR DB index is out of range")
	wantErr(t, "unknown command", c.Do(ctx, "NOSUCH", "a").Err(), "ERR unknown command 'NOSUCH', with args beginning with: 'a' ")
	wantErr(t, "arity", c.Do(ctx, "GET").Err(), "ERR wrong number of arguments for 'get' command")
}

func smokeStrings(t *testing.T, ctx context.Context, c *redis.Client) {
	s, err := c.Set(ctx, "s", "v1", 0).Result()
	eq(t, "SET", s, err, "OK")
	g, err := c.Get(ctx, "s").Result()
	eq(t, "GET", g, err, "v1")
	if err := c.Get(ctx, "missing").Err(); err != redis.Nil {
		t.Errorf("GET missing: %v, want redis.Nil", err)
	}
	ok, err := c.SetNX(ctx, "s", "x", 0).Result()
	eq(t, "SETNX existing", ok, err, false)
	ok, err = c.SetXX(ctx, "s", "v2", time.Minute).Result()
	eq(t, "SET XX EX", ok, err, true)
	old, err := c.SetArgs(ctx, "s", "v3", redis.SetArgs{Get: true, KeepTTL: true}).Result()
	eq(t, "SET GET KEEPTTL", old, err, "v2")
	ttl, err := c.TTL(ctx, "s").Result()
	if err != nil || ttl <= 50*time.Second || ttl > time.Minute {
		t.Errorf("TTL after KEEPTTL = %v, %v", ttl, err)
	}
	must(t, c.Do(ctx, "SETEX", "ex", 10, "1").Err()) // SETEX itself, not SET EX
	must(t, c.Do(ctx, "PSETEX", "px", 10000, "1").Err())
	pt, err := c.PTTL(ctx, "px").Result()
	if err != nil || pt <= 9*time.Second || pt > 10*time.Second {
		t.Errorf("PTTL after PSETEX = %v, %v", pt, err)
	}

	must(t, c.MSet(ctx, "m1", "a", "m2", "b").Err())
	mg, err := c.MGet(ctx, "m1", "nope", "m2").Result()
	eq(t, "MGET", mg, err, []any{"a", nil, "b"})
	ok, err = c.MSetNX(ctx, "m1", "z", "m3", "c").Result()
	eq(t, "MSETNX", ok, err, false)
	gs, err := c.Do(ctx, "GETSET", "m1", "a2").Text()
	eq(t, "GETSET", gs, err, "a")
	gd, err := c.GetDel(ctx, "m2").Result()
	eq(t, "GETDEL", gd, err, "b")
	ge, err := c.GetEx(ctx, "m1", 30*time.Second).Result()
	eq(t, "GETEX", ge, err, "a2")

	n, err := c.Append(ctx, "ap", "hello").Result()
	eq(t, "APPEND new", n, err, int64(5))
	n, err = c.Append(ctx, "ap", " world").Result()
	eq(t, "APPEND", n, err, int64(11))
	n, err = c.StrLen(ctx, "ap").Result()
	eq(t, "STRLEN", n, err, int64(11))
	gr, err := c.GetRange(ctx, "ap", 0, 4).Result()
	eq(t, "GETRANGE", gr, err, "hello")
	n, err = c.SetRange(ctx, "ap", 6, "WORLD").Result()
	eq(t, "SETRANGE", n, err, int64(11))
	sub, err := c.Do(ctx, "SUBSTR", "ap", -5, -1).Text()
	eq(t, "SUBSTR", sub, err, "WORLD")

	n, err = c.Incr(ctx, "n").Result()
	eq(t, "INCR", n, err, int64(1))
	n, err = c.IncrBy(ctx, "n", 41).Result()
	eq(t, "INCRBY", n, err, int64(42))
	n, err = c.Decr(ctx, "n").Result()
	eq(t, "DECR", n, err, int64(41))
	n, err = c.DecrBy(ctx, "n", 40).Result()
	eq(t, "DECRBY", n, err, int64(1))
	f, err := c.IncrByFloat(ctx, "n", 0.5).Result()
	eq(t, "INCRBYFLOAT", f, err, 1.5)
	wantErr(t, "INCR on float", c.Incr(ctx, "n").Err(), "ERR value is not an integer or out of range")
	must(t, c.Set(ctx, "big", "9223372036854775807", 0).Err())
	wantErr(t, "INCR overflow", c.Incr(ctx, "big").Err(), "ERR increment or decrement would overflow")

	must(t, c.MSet(ctx, "l1", "ohmytext", "l2", "mynewtext").Err())
	lcs, err := c.LCS(ctx, &redis.LCSQuery{Key1: "l1", Key2: "l2"}).Result()
	if err != nil || lcs.MatchString != "mytext" {
		t.Errorf("LCS = %+v, %v", lcs, err)
	}
	lcsLen, err := c.LCS(ctx, &redis.LCSQuery{Key1: "l1", Key2: "l2", Len: true}).Result()
	if err != nil || lcsLen.Len != 6 {
		t.Errorf("LCS LEN = %+v, %v", lcsLen, err)
	}
	idx, err := c.LCS(ctx, &redis.LCSQuery{Key1: "l1", Key2: "l2", Idx: true, WithMatchLen: true}).Result()
	if err != nil || idx.Len != 6 || len(idx.Matches) != 2 {
		t.Errorf("LCS IDX = %+v, %v", idx, err)
	}
}

func smokeKeys(t *testing.T, ctx context.Context, c *redis.Client, db int) {
	must(t, c.FlushDB(ctx).Err())
	must(t, c.MSet(ctx, "k1", "1", "k2", "2", "k3", "3", "other", "x").Err())
	n, err := c.Exists(ctx, "k1", "k2", "nope", "k1").Result()
	eq(t, "EXISTS", n, err, int64(3))
	n, err = c.Touch(ctx, "k1", "nope").Result()
	eq(t, "TOUCH", n, err, int64(1))
	ty, err := c.Type(ctx, "k1").Result()
	eq(t, "TYPE", ty, err, "string")
	ty, err = c.Type(ctx, "nope").Result()
	eq(t, "TYPE missing", ty, err, "none")

	keys, err := c.Keys(ctx, "k*").Result()
	sort.Strings(keys)
	eq(t, "KEYS", keys, err, []string{"k1", "k2", "k3"})
	var scanned []string
	var cursor uint64
	for {
		var batch []string
		batch, cursor, err = c.Scan(ctx, cursor, "k?", 2).Result()
		must(t, err)
		scanned = append(scanned, batch...)
		if cursor == 0 {
			break
		}
	}
	sort.Strings(scanned)
	eq(t, "SCAN MATCH", scanned, nil, []string{"k1", "k2", "k3"})
	tk, _, err := c.ScanType(ctx, 0, "*", 100, "string").Result()
	if err != nil || len(tk) != 4 {
		t.Errorf("SCAN TYPE string = %v, %v", tk, err)
	}
	rk, err := c.RandomKey(ctx).Result()
	if err != nil || !strings.Contains(" k1 k2 k3 other ", " "+rk+" ") {
		t.Errorf("RANDOMKEY = %q, %v", rk, err)
	}
	sz, err := c.DBSize(ctx).Result()
	eq(t, "DBSIZE", sz, err, int64(4))

	ok, err := c.Expire(ctx, "k1", time.Hour).Result()
	eq(t, "EXPIRE", ok, err, true)
	ok, err = c.ExpireNX(ctx, "k1", time.Minute).Result()
	eq(t, "EXPIRE NX", ok, err, false)
	ok, err = c.ExpireGT(ctx, "k1", 2*time.Hour).Result()
	eq(t, "EXPIRE GT", ok, err, true)
	ok, err = c.ExpireLT(ctx, "k1", 3*time.Hour).Result()
	eq(t, "EXPIRE LT", ok, err, false)
	ok, err = c.PExpire(ctx, "k2", 90*time.Second).Result()
	eq(t, "PEXPIRE", ok, err, true)
	at := time.Now().Add(time.Hour).Truncate(time.Second)
	ok, err = c.ExpireAt(ctx, "k3", at).Result()
	eq(t, "EXPIREAT", ok, err, true)
	et, err := c.ExpireTime(ctx, "k3").Result()
	eq(t, "EXPIRETIME", et, err, time.Duration(at.Unix())*time.Second)
	ok, err = c.PExpireAt(ctx, "k3", at.Add(500*time.Millisecond)).Result()
	eq(t, "PEXPIREAT", ok, err, true)
	pet, err := c.PExpireTime(ctx, "k3").Result()
	eq(t, "PEXPIRETIME", pet, err, time.Duration(at.UnixMilli()+500)*time.Millisecond)
	ok, err = c.Persist(ctx, "k3").Result()
	eq(t, "PERSIST", ok, err, true)
	ttl, err := c.TTL(ctx, "k3").Result()
	eq(t, "TTL persistent", ttl, err, time.Duration(-1))
	ttl, err = c.TTL(ctx, "nope").Result()
	eq(t, "TTL missing", ttl, err, time.Duration(-2))

	must(t, c.Rename(ctx, "k3", "k4").Err())
	ok, err = c.RenameNX(ctx, "k4", "k1").Result()
	eq(t, "RENAMENX", ok, err, false)
	wantErr(t, "RENAME missing", c.Rename(ctx, "nope", "x").Err(), "ERR no such key")
	n, err = c.Copy(ctx, "k4", "k5", db, false).Result()
	eq(t, "COPY", n, err, int64(1))
	n, err = c.Copy(ctx, "k4", "k5", db, false).Result()
	eq(t, "COPY existing", n, err, int64(0))
	ok, err = c.Move(ctx, "k5", 10+db).Result()
	eq(t, "MOVE", ok, err, true)

	must(t, c.Set(ctx, "enc-int", "12345", 0).Err())
	must(t, c.Set(ctx, "enc-emb", "short", 0).Err())
	must(t, c.Set(ctx, "enc-raw", strings.Repeat("x", 45), 0).Err())
	for key, want := range map[string]string{"enc-int": "int", "enc-emb": "embstr", "enc-raw": "raw"} {
		enc, err := c.ObjectEncoding(ctx, key).Result()
		eq(t, "OBJECT ENCODING "+key, enc, err, want)
	}
	rc, err := c.ObjectRefCount(ctx, "enc-emb").Result()
	eq(t, "OBJECT REFCOUNT", rc, err, int64(1))
	idle, err := c.ObjectIdleTime(ctx, "enc-emb").Result()
	if err != nil || idle > 2*time.Second {
		t.Errorf("OBJECT IDLETIME = %v, %v", idle, err)
	}

	n, err = c.Del(ctx, "k1", "nope").Result()
	eq(t, "DEL", n, err, int64(1))
	n, err = c.Unlink(ctx, "k2", "k4").Result()
	eq(t, "UNLINK", n, err, int64(2))
	must(t, c.FlushDB(ctx).Err())
	sz, err = c.DBSize(ctx).Result()
	eq(t, "DBSIZE after FLUSHDB", sz, err, int64(0))
}

func smokeServer(t *testing.T, ctx context.Context, c *redis.Client) {
	info, err := c.Info(ctx, "server", "keyspace").Result()
	if err != nil || !strings.Contains(info, "redis_version:7.0.15") || !strings.Contains(info, "cairn_version:") {
		t.Errorf("INFO server = %q, %v", info, err)
	}
	all, err := c.Info(ctx, "everything").Result()
	for _, sec := range []string{"# Server", "# Clients", "# Memory", "# Persistence", "# Stats", "# Replication", "# CPU", "# Commandstats", "# Errorstats", "# Keyspace"} {
		if err != nil || !strings.Contains(all, sec) {
			t.Errorf("INFO everything lacks %s (%v)", sec, err)
		}
	}
	cfg, err := c.ConfigGet(ctx, "databases").Result()
	eq(t, "CONFIG GET databases", cfg, err, map[string]string{"databases": "16"})
	must(t, c.ConfigSet(ctx, "slowlog-log-slower-than", "0").Err())
	must(t, c.ConfigSet(ctx, "hz", "10").Err())
	wantErr(t, "CONFIG SET bad", c.ConfigSet(ctx, "hz", "abc").Err(), "ERR CONFIG SET failed")
	must(t, c.ConfigResetStat(ctx).Err())

	cnt, err := c.Do(ctx, "COMMAND", "COUNT").Int64()
	if err != nil || cnt < 60 {
		t.Errorf("COMMAND COUNT = %d, %v", cnt, err)
	}
	cmds, err := c.Command(ctx).Result() // go-redis parses every entry
	if err != nil {
		t.Errorf("COMMAND: %v", err)
	} else if g := cmds["get"]; g == nil || g.Arity != 2 || g.FirstKeyPos != 1 || !g.ReadOnly {
		t.Errorf("COMMAND get = %+v", g)
	}
	keys, err := c.CommandGetKeys(ctx, "MSET", "a", "1", "b", "2").Result()
	eq(t, "COMMAND GETKEYS", keys, err, []string{"a", "b"})
	docs, err := c.Do(ctx, "COMMAND", "DOCS", "get").Result()
	if err != nil || docs == nil {
		t.Errorf("COMMAND DOCS get = %v, %v", docs, err)
	}

	tm, err := c.Time(ctx).Result()
	if err != nil || time.Since(tm).Abs() > 5*time.Second {
		t.Errorf("TIME = %v, %v", tm, err)
	}
	ls, err := c.LastSave(ctx).Result()
	if err != nil || ls <= 0 {
		t.Errorf("LASTSAVE = %d, %v", ls, err)
	}
	logs, err := c.SlowLogGet(ctx, 10).Result()
	if err != nil || len(logs) == 0 {
		t.Errorf("SLOWLOG GET with slower-than 0 = %v, %v", logs, err)
	}
	must(t, c.ConfigSet(ctx, "slowlog-log-slower-than", "10000").Err())
	must(t, c.Do(ctx, "SLOWLOG", "RESET").Err())
	must(t, c.Do(ctx, "LATENCY", "RESET").Err())
	must(t, c.Do(ctx, "SCRIPT", "FLUSH").Err())
	must(t, c.Do(ctx, "FUNCTION", "FLUSH").Err())
}
