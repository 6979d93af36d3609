//go:build !unix

package store

type fileLock struct{}

func lockFile(string, bool) (*fileLock, error) { return &fileLock{}, nil }

func (l *fileLock) release() {}
