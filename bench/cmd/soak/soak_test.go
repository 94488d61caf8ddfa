package main

import (
	"os"
	"testing"
	"time"
)

func TestPeakSince(t *testing.T) {
	s := []rssSample{{1 * time.Second, 50}, {2 * time.Second, 90}, {3 * time.Second, 70}, {4 * time.Second, 60}}
	if got := peakSince(s, 3*time.Second); got != 70 {
		t.Errorf("peak since 3s = %d, want 70", got)
	}
	if got := peakSince(s, 0); got != 90 {
		t.Errorf("peak since 0 = %d, want 90", got)
	}
}

func TestRSSBytesOfSelf(t *testing.T) {
	n, err := rssBytes(os.Getpid())
	if err != nil || n < 1<<20 {
		t.Fatalf("rssBytes(self) = %d, %v", n, err)
	}
	if _, err := rssBytes(-1); err == nil {
		t.Error("rssBytes(-1) succeeded")
	}
}

func TestRSSLimit(t *testing.T) {
	if got := rssLimit(100 << 20); got != 157<<20 {
		t.Errorf("rssLimit(100 MiB) = %d MiB, want 157", got>>20)
	}
}
