package aof

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// upgradeFixture is a data directory holding an old-style AOF file and
// the AOF directory path Load is given.
func upgradeFixture(t *testing.T, content string) (dataDir, aofDir string) {
	t.Helper()
	dataDir = t.TempDir()
	writeTestFile(t, dataDir, "appendonly.aof", content)
	return dataDir, filepath.Join(dataDir, "appendonlydir")
}

func loadValues(t *testing.T, aofDir string) (string, error) {
	t.Helper()
	var seen []string
	_, err := Load(LoadOptions{Dir: aofDir, Prefix: "appendonly.aof", Apply: func(a [][]byte) error {
		seen = append(seen, string(a[len(a)-1]))
		return nil
	}})
	return strings.Join(seen, ","), err
}

// An old-style file beside the AOF directory becomes its base, under its
// own name, and is loaded.
func TestUpgradeOldStyleFile(t *testing.T) {
	dataDir, aofDir := upgradeFixture(t, rec("SET", "a", "1")+rec("SET", "b", "2"))
	got, err := loadValues(t, aofDir)
	if err != nil || got != "1,2" {
		t.Fatalf("load: %q, %v", got, err)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "appendonly.aof")); !os.IsNotExist(err) {
		t.Fatalf("old file still beside the directory: %v", err)
	}
	m, err := ReadManifest(aofDir, "appendonly.aof")
	if err != nil || string(m.Encode()) != "file appendonly.aof seq 1 type b\n" {
		t.Fatalf("manifest %q, %v", m.Encode(), err)
	}
	// Loading again reads the adopted file from the directory.
	if got, err := loadValues(t, aofDir); err != nil || got != "1,2" {
		t.Fatalf("second load: %q, %v", got, err)
	}
}

// A crash after the manifest was written and before the move: the next
// start finishes the move.
func TestUpgradeOldStyleResumes(t *testing.T) {
	_, aofDir := upgradeFixture(t, rec("SET", "a", "1"))
	if err := os.MkdirAll(aofDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteManifest(aofDir, "appendonly.aof", &Manifest{Base: &FileInfo{Name: "appendonly.aof", Seq: 1, Type: TypeBase}}); err != nil {
		t.Fatal(err)
	}
	if got, err := loadValues(t, aofDir); err != nil || got != "1" {
		t.Fatalf("load: %q, %v", got, err)
	}
	if _, err := os.Stat(filepath.Join(aofDir, "appendonly.aof")); err != nil {
		t.Fatalf("file not moved: %v", err)
	}
}

// An old-style file that starts with an RDB preamble (Redis 6 with
// aof-use-rdb-preamble yes) is adopted too: its RDB part, then the records
// after it, are loaded.
func TestUpgradeOldStyleRDBPreamble(t *testing.T) {
	preamble, err := os.ReadFile("../rdb/testdata/strings.rdb")
	if err != nil {
		t.Fatal(err)
	}
	dataDir, aofDir := upgradeFixture(t, string(preamble)+rec("SET", "after", "tail"))
	got, err := loadValues(t, aofDir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "hello") || !strings.HasSuffix(got, ",tail") {
		t.Fatalf("loaded %q", got)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "appendonly.aof")); !os.IsNotExist(err) {
		t.Fatalf("old file not moved: %v", err)
	}
}

// A directory with an AOF of its own wins; the old file is left alone.
func TestUpgradeOldStyleIgnoredBesideNewAOF(t *testing.T) {
	dataDir, aofDir := upgradeFixture(t, rec("SET", "a", "old"))
	if err := os.MkdirAll(aofDir, 0o755); err != nil {
		t.Fatal(err)
	}
	m := &Manifest{Base: &FileInfo{Name: BaseName("appendonly.aof", 1), Seq: 1, Type: TypeBase},
		Incrs: []FileInfo{{Name: IncrName("appendonly.aof", 1), Seq: 1, Type: TypeIncr}}}
	if err := WriteManifest(aofDir, "appendonly.aof", m); err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, aofDir, m.Base.Name, rec("SET", "a", "new"))
	writeTestFile(t, aofDir, m.Incrs[0].Name, "")
	if got, err := loadValues(t, aofDir); err != nil || got != "new" {
		t.Fatalf("load: %q, %v", got, err)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "appendonly.aof")); err != nil {
		t.Fatalf("old file touched: %v", err)
	}
}
