package store

import "math/rand/v2"

// LFU: an 8-bit counter per key that grows roughly with the logarithm of
// its accesses and decays with time, as in Redis.
//
// An access increments the counter with probability 1/((c-lfuInit)*f+1),
// where f is lfu-log-factor: the higher the counter, the rarer the next
// step, so 255 stands for about a million accesses with f = 10. Before
// that, the counter loses one for every lfu-decay-time minutes since it
// last decayed (ldt holds Unix minutes modulo 2^16, as Redis keeps them).
// New keys start at lfuInit so that they are not evicted before they had
// a chance to be read.

const (
	lfuInit = 5 // the counter of a new key
	lfuMax  = 255
)

// SetLFU turns LFU counting on access on or off and sets its parameters
// (lfu-log-factor, lfu-decay-time in minutes). Counters are kept in the
// entries whether or not counting is on.
func (s *Store) SetLFU(on bool, logFactor, decayMinutes int) {
	s.lfuLogFactor.Store(int64(logFactor))
	s.lfuDecay.Store(int64(decayMinutes))
	s.lfuOn.Store(on)
}

// lfuMinutes is the LFU clock: Unix minutes modulo 2^16.
func lfuMinutes(now int64) uint16 { return uint16(now / 60000) }

func lfuStart(e *Entry, now int64) {
	e.lfu = lfuInit
	e.ldt = lfuMinutes(now)
}

// lfuElapsed is the number of minutes since the LFU clock read ldt,
// allowing for one wrap of the 16-bit clock.
func lfuElapsed(ldt uint16, now int64) int64 {
	m := lfuMinutes(now)
	if m >= ldt {
		return int64(m - ldt)
	}
	return int64(65535-ldt) + int64(m)
}

// lfuDecayed returns e's counter after the decay due by now, without
// changing e.
func (s *Store) lfuDecayed(e *Entry, now int64) uint8 {
	period := s.lfuDecay.Load()
	if period <= 0 {
		return e.lfu
	}
	n := lfuElapsed(e.ldt, now) / period
	if n >= int64(e.lfu) {
		return 0
	}
	return e.lfu - uint8(n)
}

// lfuTouch decays e's counter and counts one access.
func (s *Store) lfuTouch(e *Entry, now int64) {
	c := s.lfuDecayed(e, now)
	if c < lfuMax {
		base := float64(int(c) - lfuInit)
		if base < 0 {
			base = 0
		}
		if rand.Float64() < 1/(base*float64(s.lfuLogFactor.Load())+1) {
			c++
		}
	}
	e.lfu = c
	e.ldt = lfuMinutes(now)
}

// Freq returns e's access frequency counter as OBJECT FREQ reports it:
// decayed to now, without counting an access.
func (s *Store) Freq(e *Entry, now int64) int { return int(s.lfuDecayed(e, now)) }

// SetFreq sets e's LFU counter, as RESTORE ... FREQ does.
func (s *Store) SetFreq(e *Entry, freq uint8, now int64) {
	e.lfu = freq
	e.ldt = lfuMinutes(now)
}
