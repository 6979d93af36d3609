//go:build unix

package store

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// fileLock is an advisory lock beside the SQLite file. Every process that
// opens the database holds it shared; Restore needs it exclusively, so a
// restore can never replace the file under a running server.
type fileLock struct{ f *os.File }

func lockFile(dbPath string, exclusive bool) (*fileLock, error) {
	f, err := os.OpenFile(dbPath+".lock", os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, err
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	if err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s is in use by another finsam process (stop finsam serve first)", dbPath)
		}
		return nil, err
	}
	return &fileLock{f: f}, nil
}

func (l *fileLock) release() {
	if l != nil && l.f != nil {
		l.f.Close() // closing the descriptor releases the lock
	}
}
