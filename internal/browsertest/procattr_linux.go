package browsertest

import "syscall"

// sysProcAttr makes the kernel kill the server when the test process dies
// (a panic, a timeout, ^C), so that no finsam outlives its test and holds the
// port or the data folder.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
