package main

import (
	"fmt"
	"math"
	"sync/atomic"
)

// rng is splitmix64: tiny, fast, and good enough to pick keys. Each
// connection owns one, so no locking.
type rng struct{ s uint64 }

func (r *rng) uint64() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// connSeed gives connection i of a run its own seed. The seeds are
// splitmix64 outputs, not seed+i*step: splitmix64's state advances by a
// constant step, so states that differ by a multiple of it replay one
// sequence shifted by a few draws, and 50 connections would send nearly
// the same keys (100,000 requests over -r 10000000 touched 2,453 keys).
func connSeed(seed uint64, i int) uint64 {
	r := rng{s: seed ^ uint64(i)*0xd1342543de82ef95}
	return r.uint64()
}

// float64 returns a number in [0, 1).
func (r *rng) float64() float64 { return float64(r.uint64()>>11) / (1 << 53) }

// below returns a number in [0, n) (n > 0); the modulo bias is far below
// what a benchmark can see.
func (r *rng) below(n uint64) uint64 { return r.uint64() % n }

// Key distributions accepted by --dist.
const (
	distUniform    = "uniform"
	distZipfian    = "zipfian"
	distSequential = "sequential"
)

// keyspace holds what the connections share for one distribution.
type keyspace struct {
	dist string
	n    uint64
	seq  atomic.Uint64 // next key for sequential
	zipf *zipfParams
}

func newKeyspace(dist string, n uint64) (*keyspace, error) {
	ks := &keyspace{dist: dist, n: n}
	switch dist {
	case distUniform, distSequential:
	case distZipfian:
		ks.zipf = newZipfParams(n, zipfTheta)
	default:
		return nil, fmt.Errorf("unknown --dist %q (want uniform, zipfian or sequential)", dist)
	}
	return ks, nil
}

// source returns a keySource for one connection.
func (ks *keyspace) source(seed uint64) keySource {
	r := rng{s: seed}
	switch ks.dist {
	case distSequential:
		return &seqKeys{ks: ks}
	case distZipfian:
		return &zipfKeys{p: ks.zipf, r: r}
	default:
		return &uniformKeys{n: ks.n, r: r}
	}
}

type uniformKeys struct {
	n uint64
	r rng
}

func (u *uniformKeys) next() uint64 { return u.r.below(u.n) }

// seqKeys hands out 0, 1, 2, ... across all connections, so N requests
// over a keyspace of N touch every key exactly once.
type seqKeys struct{ ks *keyspace }

func (s *seqKeys) next() uint64 { return (s.ks.seq.Add(1) - 1) % s.ks.n }

// zipfTheta is YCSB's default skew: a few keys take most requests.
const zipfTheta = 0.99

// zipfParams are the constants of the rejection-free zipfian generator of
// Gray et al. ("Quickly generating billion-record synthetic databases",
// SIGMOD 1994), which YCSB also uses. It allows theta < 1, which Go's
// math/rand Zipf does not.
type zipfParams struct {
	n               uint64
	theta           float64
	alpha, eta      float64
	zetaN, halfPowT float64
}

func newZipfParams(n uint64, theta float64) *zipfParams {
	zeta2 := zeta(2, theta)
	zn := zeta(n, theta)
	return &zipfParams{
		n:        n,
		theta:    theta,
		alpha:    1 / (1 - theta),
		eta:      (1 - math.Pow(2/float64(n), 1-theta)) / (1 - zeta2/zn),
		zetaN:    zn,
		halfPowT: math.Pow(0.5, theta),
	}
}

// zeta is the generalised harmonic number sum_{i=1..n} 1/i^theta.
func zeta(n uint64, theta float64) float64 {
	var s float64
	for i := uint64(1); i <= n; i++ {
		s += 1 / math.Pow(float64(i), theta)
	}
	return s
}

// rank draws a popularity rank: 0 is the most popular.
func (p *zipfParams) rank(u float64) uint64 {
	uz := u * p.zetaN
	if uz < 1 {
		return 0
	}
	if uz < 1+p.halfPowT {
		return 1
	}
	r := uint64(float64(p.n) * math.Pow(p.eta*u-p.eta+1, p.alpha))
	if r >= p.n {
		r = p.n - 1
	}
	return r
}

type zipfKeys struct {
	p *zipfParams
	r rng
}

// next scatters ranks over the keyspace (YCSB's "scrambled" zipfian), so
// the hot keys are not neighbours and do not all land in one shard of a
// server that shards by key.
func (z *zipfKeys) next() uint64 { return scramble(z.p.rank(z.r.float64())) % z.p.n }

// scramble is FNV-1a over the rank's eight bytes.
func scramble(x uint64) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < 8; i++ {
		h ^= x & 0xff
		h *= 1099511628211
		x >>= 8
	}
	return h
}

// Value sizes: a fixed -d, or a uniform range -d MIN-MAX.
type fixedSize int

func (f fixedSize) size() int { return int(f) }

type sizeRange struct {
	lo, span int
	r        rng
}

func (s *sizeRange) size() int { return s.lo + int(s.r.below(uint64(s.span))) }
