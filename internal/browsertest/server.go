package browsertest

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/finsam/finsam/internal/loopback"
	"github.com/finsam/finsam/internal/modroot"
	"github.com/finsam/finsam/internal/syncbuf"
)

// Time limits of the server's life. They are generous because the machines
// that run the tests are often busy: the limits are there to turn a hang into
// a clear failure, not to measure speed.
const (
	// StartTimeout is how long StartServer waits for /healthz to answer
	// on a copy of the demo data folder.
	StartTimeout = 20 * time.Second
	// StopTimeout is how long the server may take to exit after SIGTERM
	// before it is killed and the test fails.
	StopTimeout = 10 * time.Second
	// TemplateTimeout is how long a server that loads the demo data itself
	// (into the shared template folder, or into a database of its own) may
	// take to answer /healthz.
	TemplateTimeout = 5 * time.Minute
)

// build is the finsam binary of this test process: built once, shared by
// every test, removed by Main.
var build struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// mainRan tells Binary that Main will remove the built binary.
var mainRan atomic.Bool

// Main runs the tests of a package that uses the harness and then removes the
// finsam binary it built. Call it from the package's TestMain:
//
//	func TestMain(m *testing.M) { browsertest.Main(m) }
//
// Binary refuses to build without it, so that no test run leaves a copy of
// the binary behind in the temporary folder.
func Main(m *testing.M) {
	mainRan.Store(true)
	// When TestMain returns, the testing package exits with the result of
	// m.Run.
	m.Run()
	if build.dir != "" {
		os.RemoveAll(build.dir)
	}
	if demoTemplate.dir != "" {
		os.RemoveAll(demoTemplate.dir)
	}
}

// Binary returns the path of a finsam binary built from this module's
// ./cmd/finsam. It builds once per test process; later calls reuse the
// binary. When FINSAM_BIN is set, it returns that path instead and builds
// nothing (CI can test the very binary it ships).
func Binary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("FINSAM_BIN"); p != "" {
		abs, err := filepath.Abs(p)
		if err != nil {
			t.Fatalf("FINSAM_BIN=%s: %v", p, err)
		}
		if _, err := os.Stat(abs); err != nil {
			t.Fatalf("FINSAM_BIN names no usable binary: %v", err)
		}
		return abs
	}
	if !mainRan.Load() {
		t.Fatal("browsertest: the package's TestMain must call browsertest.Main(m), which removes the built finsam binary after the tests")
	}
	build.once.Do(func() {
		root, err := modroot.Dir()
		if err != nil {
			build.err = err
			return
		}
		dir, err := os.MkdirTemp("", "finsam-browsertest-")
		if err != nil {
			build.err = err
			return
		}
		build.dir = dir
		out := filepath.Join(dir, "finsam")
		cmd := exec.Command("go", "build", "-o", out, "./cmd/finsam")
		cmd.Dir = root
		// The shipped binary is static (see the Makefile); test that one.
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if msg, err := cmd.CombinedOutput(); err != nil {
			os.RemoveAll(dir)
			build.dir = ""
			build.err = fmt.Errorf("go build ./cmd/finsam in %s: %v\n%s", root, err, msg)
			return
		}
		build.path = out
	})
	if build.err != nil {
		t.Fatalf("browsertest: %v", build.err)
	}
	return build.path
}

// Server is a running `finsam serve` of one test. It stops when the test
// ends.
type Server struct {
	// URL is the server's address, without a trailing slash:
	// http://127.0.0.1:PORT.
	URL string
	// DataDir is the server's data folder, a temporary folder of the test.
	DataDir string

	cmd    *exec.Cmd
	out    *syncbuf.Buffer
	exited chan struct{} // closed when the process has exited
	err    error         // the result of Wait, set before exited closes
}

// Log returns what the server wrote to stdout and stderr so far.
func (s *Server) Log() string { return s.out.String() }

// StartServer starts `finsam serve --demo` on a free port of 127.0.0.1 with
// a new data folder, waits until /healthz answers, and stops it with SIGTERM
// when the test ends; a server that does not exit cleanly fails the test.
// args are added to the command line after the harness's own flags, so they
// can override them. The server's log is shown when the test fails.
//
// The new data folder is a copy of a folder the demo data was loaded into
// once per test process (see demoFolder), unless args choose another
// database: loading the demo takes seconds of CPU, copying it milliseconds,
// and a package starts a server in nearly every test.
func StartServer(t testing.TB, args ...string) *Server {
	t.Helper()
	bin := Binary(t)
	dataDir := t.TempDir()
	// A server on a database of its own loads the demo data itself.
	wait := TemplateTimeout
	if !slices.Contains(args, "--database") {
		if err := copyDemoFolder(bin, dataDir); err != nil {
			t.Fatalf("browsertest: %v", err)
		}
		wait = StartTimeout
	}
	// The port is free when chosen but may be taken before finsam binds it;
	// finsam then exits at once, and another port is tried.
	const attempts = 3
	for i := 1; ; i++ {
		s, err := startServer(t, bin, dataDir, args, wait)
		if err == nil {
			return s
		}
		if errors.Is(err, errPortTaken) && i < attempts {
			continue
		}
		t.Fatalf("browsertest: %v", err)
	}
}

var errPortTaken = errors.New("port taken")

func startServer(t testing.TB, bin, dataDir string, args []string, wait time.Duration) (*Server, error) {
	s, err := launch(bin, dataDir, args, wait)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() {
		select {
		case <-s.exited:
			t.Errorf("finsam serve exited during the test: %v", s.err)
		default:
			if err := s.stop(); err != nil {
				t.Errorf("finsam serve did not stop cleanly on SIGTERM: %v", err)
			}
		}
		if t.Failed() {
			t.Logf("finsam serve log:\n%s", s.Log())
		}
	})
	return s, nil
}

// launch starts `finsam serve --demo` on a free port with the data folder
// dataDir and waits up to wait for /healthz; it stops the server again when
// it does not become healthy.
func launch(bin, dataDir string, args []string, wait time.Duration) (*Server, error) {
	addr, err := loopback.FreeAddr()
	if err != nil {
		return nil, err
	}
	s := &Server{
		URL:     "http://" + addr,
		DataDir: dataDir,
		out:     &syncbuf.Buffer{},
		exited:  make(chan struct{}),
	}
	cmdArgs := append([]string{"serve",
		"--addr", addr,
		"--data", dataDir,
		"--demo",
		"--log-format", "text",
		"--shutdown-timeout", "5s",
	}, args...)
	s.cmd = exec.Command(bin, cmdArgs...)
	s.cmd.Env = serverEnv()
	s.cmd.Stdout = s.out
	s.cmd.Stderr = s.out
	s.cmd.SysProcAttr = sysProcAttr()
	// Wait must not hang on the output pipes if a child process of the
	// server kept them open.
	s.cmd.WaitDelay = time.Second
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	go func() {
		s.err = s.cmd.Wait()
		close(s.exited)
	}()

	if err := s.waitHealthy(wait); err != nil {
		s.stop()
		if strings.Contains(s.Log(), "already in use") {
			return nil, fmt.Errorf("%w: %v", errPortTaken, err)
		}
		return nil, fmt.Errorf("%v\nfinsam %s\n%s", err, strings.Join(cmdArgs, " "), s.Log())
	}
	return s, nil
}

// waitHealthy polls /healthz until it answers 200, the process exits or
// wait passes.
func (s *Server) waitHealthy(wait time.Duration) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(wait)
	for {
		select {
		case <-s.exited:
			return fmt.Errorf("finsam serve exited before it was ready: %v", s.err)
		default:
		}
		resp, err := client.Get(s.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("finsam serve did not answer %s/healthz within %s (last: %v)", s.URL, wait, healthResult(resp, err))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func healthResult(resp *http.Response, err error) string {
	if err != nil {
		return err.Error()
	}
	return resp.Status
}

// stop sends SIGTERM and waits for the exit; after StopTimeout it kills the
// process. It returns why the stop was not clean, or nil.
func (s *Server) stop() error {
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		s.cmd.Process.Kill()
	}
	select {
	case <-s.exited:
		return s.err
	case <-time.After(StopTimeout):
		s.cmd.Process.Kill()
		<-s.exited
		return fmt.Errorf("still running %s after SIGTERM; killed", StopTimeout)
	}
}

// serverEnv is the test process's environment without finsam's own
// variables: a developer's FINSAM_DATABASE_URL must never point a test
// server, which loads demo data, at a real database.
func serverEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "FINSAM_") {
			env = append(env, kv)
		}
	}
	return env
}

// demoTemplate is a data folder with the demo data loaded, made once per test
// process by demoFolder and removed by Main.
var demoTemplate struct {
	once sync.Once
	dir  string
	err  error
}

// demoFolder returns the template data folder: the first call starts
// `finsam serve --demo` on an empty folder, waits until the demo data is
// loaded and the server answers, and stops it again, so that the database is
// checkpointed and closed.
func demoFolder(bin string) (string, error) {
	demoTemplate.once.Do(func() {
		dir, err := os.MkdirTemp("", "finsam-demo-template-")
		if err != nil {
			demoTemplate.err = err
			return
		}
		demoTemplate.dir = dir
		for attempt := 1; ; attempt++ {
			s, err := launch(bin, dir, nil, TemplateTimeout)
			if errors.Is(err, errPortTaken) && attempt < 3 {
				continue
			}
			if err != nil {
				demoTemplate.err = fmt.Errorf("load the demo data into a template folder: %w", err)
				return
			}
			if err := s.stop(); err != nil {
				demoTemplate.err = fmt.Errorf("the server that loaded the demo data did not stop cleanly: %w\n%s", err, s.Log())
			}
			return
		}
	})
	return demoTemplate.dir, demoTemplate.err
}

// copyDemoFolder copies the template data folder's files into dataDir: the
// database, the audit keys and the audit anchor. The lock file and an empty
// write-ahead log stay behind; the server makes its own.
func copyDemoFolder(bin, dataDir string) error {
	src, err := demoFolder(bin)
	if err != nil {
		return err
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || strings.HasSuffix(name, ".lock") || strings.HasSuffix(name, "-shm") {
			continue
		}
		if err := copyFile(filepath.Join(src, name), filepath.Join(dataDir, name)); err != nil {
			return fmt.Errorf("copy the demo data folder: %w", err)
		}
	}
	return nil
}

// copyFile copies one regular file with its permission bits.
func copyFile(from, to string) error {
	info, err := os.Stat(from)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, info.Mode().Perm())
}
