//go:build !linux

package browsertest

import "syscall"

// sysProcAttr has nothing to add where the kernel cannot tie the server's
// life to the test process; the test's cleanup stops it.
func sysProcAttr() *syscall.SysProcAttr { return nil }
