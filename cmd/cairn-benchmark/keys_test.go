package main

import (
	"fmt"
	"testing"
)

func sprint(v any) string { return fmt.Sprint(v) }

func TestZipfianIsSkewed(t *testing.T) {
	const n, draws = 10000, 200000
	ks, err := newKeyspace(distZipfian, n)
	if err != nil {
		t.Fatal(err)
	}
	src := ks.source(7)
	counts := map[uint64]int{}
	for i := 0; i < draws; i++ {
		k := src.next()
		if k >= n {
			t.Fatalf("key %d outside keyspace", k)
		}
		counts[k]++
	}
	top := 0
	for _, c := range counts {
		top = max(top, c)
	}
	// With theta 0.99 over 10,000 keys the hottest key takes about 10% of
	// the draws; uniform would give it about 0.01%.
	if top < draws/20 {
		t.Fatalf("hottest key drawn %d times of %d: not zipfian", top, draws)
	}
	if len(counts) < n/4 {
		t.Fatalf("only %d distinct keys: tail missing", len(counts))
	}
}

func TestUniformCoversKeyspace(t *testing.T) {
	ks, _ := newKeyspace(distUniform, 100)
	src := ks.source(1)
	seen := map[uint64]bool{}
	for i := 0; i < 5000; i++ {
		k := src.next()
		if k >= 100 {
			t.Fatalf("key %d outside keyspace", k)
		}
		seen[k] = true
	}
	if len(seen) != 100 {
		t.Fatalf("saw %d of 100 keys", len(seen))
	}
}

// Fifty connections drawing 2,000 uniform keys each from ten million
// must send about 100,000 different keys, as redis-benchmark's do, not
// one sequence shifted per connection.
func TestConnectionsDrawIndependentKeys(t *testing.T) {
	ks, _ := newKeyspace(distUniform, 10_000_000)
	seen := map[uint64]bool{}
	for i := range 50 {
		src := ks.source(connSeed(12345, i))
		for range 2000 {
			seen[src.next()] = true
		}
	}
	// Collisions among 100,000 draws from 10M: about 500.
	if len(seen) < 99_000 {
		t.Fatalf("50 connections x 2,000 draws gave %d distinct keys", len(seen))
	}
}

func TestSequentialSharedAcrossSources(t *testing.T) {
	ks, _ := newKeyspace(distSequential, 10)
	a, b := ks.source(1), ks.source(2)
	var got []uint64
	for i := 0; i < 6; i++ {
		got = append(got, a.next(), b.next())
	}
	if s := sprint(got); s != "[0 1 2 3 4 5 6 7 8 9 0 1]" {
		t.Fatalf("got %s", s)
	}
}

func TestBudgetGrantsExactTotal(t *testing.T) {
	b := &budget{total: 250}
	sum := 0
	for {
		k := b.take(100)
		if k == 0 {
			break
		}
		sum += k
	}
	if sum != 250 {
		t.Fatalf("granted %d, want 250", sum)
	}
}
