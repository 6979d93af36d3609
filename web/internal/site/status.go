package site

import "net/http"

// StatusRecorder passes an answer through to the writer it wraps and keeps
// what the access log and the answer checks need of it: the status sent
// and the size of the body.
type StatusRecorder struct {
	http.ResponseWriter
	// Status is the status sent: 0 until the header or the body is
	// written, 200 when the body came without a header.
	Status int
	// Bytes is the size of the body written so far.
	Bytes int64
}

func (r *StatusRecorder) WriteHeader(code int) {
	if r.Status == 0 {
		r.Status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *StatusRecorder) Write(b []byte) (int, error) {
	if r.Status == 0 {
		r.Status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.Bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *StatusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
