package testutil

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// buildResult is the outcome of one `go build`, shared by every test of the
// process that asks for the same binary.
type buildResult struct {
	once sync.Once
	path string
	err  error
}

var (
	buildMu      sync.Mutex
	builds       = map[string]*buildResult{}
	sharedDirMu  sync.Mutex
	sharedDir    string
	moduleRootMu sync.Mutex
	moduleRoot   string
)

// binEnvOverrides lets a caller test a prebuilt binary instead of building
// one, e.g. CAIRN_SERVER_BIN=/usr/local/bin/cairn-server.
var binEnvOverrides = map[string]string{
	"cairn-server": "CAIRN_SERVER_BIN",
}

// BuildBinary compiles cairn/cmd/<name> into a directory shared by the
// whole test process and returns the binary's path. pkg may be a bare name
// ("cairn-server"), an import path ("cairn/cmd/cairn-server") or a relative
// path ("./cmd/cairn-server"); the binary is named after its last element.
// Each name is built at most once per process; a failed build fails every
// test that asks for it, with the compiler's output.
func BuildBinary(tb testing.TB, pkg string) string {
	tb.Helper()
	name := path.Base(filepath.ToSlash(pkg))
	if env, ok := binEnvOverrides[name]; ok {
		if p := os.Getenv(env); p != "" {
			return p
		}
	}
	importPath := pkg
	switch {
	case !strings.Contains(pkg, "/"):
		importPath = "cairn/cmd/" + pkg
	case strings.HasPrefix(pkg, "./"):
		importPath = "cairn/" + strings.TrimPrefix(pkg, "./")
	}

	buildMu.Lock()
	r, ok := builds[name]
	if !ok {
		r = &buildResult{}
		builds[name] = r
	}
	buildMu.Unlock()

	r.once.Do(func() { r.path, r.err = goBuild(name, importPath) })
	if r.err != nil {
		tb.Fatalf("testutil: build %s: %v", importPath, r.err)
	}
	return r.path
}

func goBuild(name, importPath string) (string, error) {
	root, err := ModuleRoot()
	if err != nil {
		return "", err
	}
	dir, err := sharedTempDir()
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, name)
	cmd := exec.Command(goTool(), "build", "-o", out, importPath)
	cmd.Dir = root
	var buf bytes.Buffer
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%w\n%s", err, buf.String())
	}
	return out, nil
}

// ModuleRoot returns the directory holding this module's go.mod, found via
// `go env GOMOD` so tests work from any package directory.
func ModuleRoot() (string, error) {
	moduleRootMu.Lock()
	defer moduleRootMu.Unlock()
	if moduleRoot != "" {
		return moduleRoot, nil
	}
	out, err := exec.Command(goTool(), "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("testutil: go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("testutil: not inside a module (go env GOMOD=%q)", gomod)
	}
	moduleRoot = filepath.Dir(gomod)
	return moduleRoot, nil
}

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	// `go test` puts its own toolchain first in PATH; this fallback only
	// serves test binaries run by hand with a bare PATH.
	if root := os.Getenv("GOROOT"); root != "" {
		return filepath.Join(root, "bin", "go")
	}
	return "/usr/local/go/bin/go"
}

func sharedTempDir() (string, error) {
	sharedDirMu.Lock()
	defer sharedDirMu.Unlock()
	if sharedDir != "" {
		return sharedDir, nil
	}
	d, err := os.MkdirTemp("", "cairn-testbin-")
	if err != nil {
		return "", fmt.Errorf("testutil: %w", err)
	}
	sharedDir = d
	return d, nil
}

// Cleanup removes the binaries BuildBinary produced. Call it from TestMain
// after m.Run; tests of packages without a TestMain leave one temp dir.
func Cleanup() {
	sharedDirMu.Lock()
	defer sharedDirMu.Unlock()
	if sharedDir != "" {
		os.RemoveAll(sharedDir)
		sharedDir = ""
	}
}
