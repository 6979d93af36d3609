package rules

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
)

const sampleLine = `{"date":"2014-06-30","employment":"employee","annual_income":300000,"periods":[{"from":"2014-01-01","degree":100}]}`

func runBatch(t *testing.T, in string, opt Options) []string {
	t.Helper()
	var out bytes.Buffer
	if err := Batch(context.Background(), strings.NewReader(in), &out, testEngine(t), opt); err != nil {
		t.Fatal(err)
	}
	s := strings.TrimSuffix(out.String(), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func TestBatchWritesOneLinePerInputLineInOrder(t *testing.T) {
	lines := []string{
		sampleLine,
		`{"date":"2014-13-40"}`,
		``,
		strings.Replace(sampleLine, "2014-06-30", "2014-07-01", 1),
		`{"date":"2031-01-01","employment":"employee","annual_income":1,"periods":[]}`,
	}
	out := runBatch(t, strings.Join(lines, "\r\n")+"\n", Options{})
	if len(out) != len(lines) {
		t.Fatalf("%d output lines for %d input lines:\n%s", len(out), len(lines), strings.Join(out, "\n"))
	}
	wantCodes := []string{"", CodeInvalidDate, CodeInvalidJSON, "", CodeDateOutOfRange}
	for i, l := range out {
		var v map[string]json.RawMessage
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("line %d is not JSON: %s", i, l)
		}
		if wantCodes[i] == "" {
			var r Result
			if err := json.Unmarshal([]byte(l), &r); err != nil || v["error"] != nil {
				t.Errorf("line %d: want a result, got %s", i, l)
			}
			continue
		}
		var e struct {
			Error Error `json:"error"`
		}
		if err := json.Unmarshal([]byte(l), &e); err != nil || e.Error.Code != wantCodes[i] {
			t.Errorf("line %d: want error %s, got %s", i, wantCodes[i], l)
		}
	}
	// The evaluated dates come back in input order.
	if !strings.Contains(out[0], `"date":"2014-06-30"`) || !strings.Contains(out[3], `"date":"2014-07-01"`) {
		t.Errorf("order lost:\n%s\n%s", out[0], out[3])
	}
}

func TestBatchOutputEqualsEvaluateMarshalled(t *testing.T) {
	for _, opt := range []Options{{}, {Trace: true}} {
		out := runBatch(t, sampleLine, opt)
		in, err := ParseInput([]byte(sampleLine))
		if err != nil {
			t.Fatal(err)
		}
		r, err := testEngine(t).Evaluate(in, opt)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(r)
		if len(out) != 1 || out[0] != string(want) {
			t.Errorf("batch %s\nwant  %s", out, want)
		}
	}
}

func TestBatchWithoutTraceWritesAnEmptyTrace(t *testing.T) {
	out := runBatch(t, sampleLine+"\n", Options{})
	if !strings.HasSuffix(out[0], `"trace":[]}`) {
		t.Errorf("got %s", out[0])
	}
}

func TestBatchLastLineWithoutNewline(t *testing.T) {
	if out := runBatch(t, sampleLine+"\n"+sampleLine, Options{}); len(out) != 2 {
		t.Errorf("%d lines", len(out))
	}
	if out := runBatch(t, "", Options{}); len(out) != 0 {
		t.Errorf("empty input gave %d lines", len(out))
	}
}

func TestBatchReportsAnOverlongLineAndGoesOn(t *testing.T) {
	long := `{"date":"` + strings.Repeat("x", maxLineBytes+10) + `"}`
	out := runBatch(t, long+"\n"+sampleLine+"\n", Options{})
	if len(out) != 2 || !strings.Contains(out[0], CodeLineTooLong) || strings.Contains(out[1], `"error"`) {
		t.Errorf("got %d lines: %.200s", len(out), strings.Join(out, "\n"))
	}
}

func TestBatchStopsWhenTheContextIsCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Batch(ctx, strings.NewReader(sampleLine+"\n"), io.Discard, testEngine(t), Options{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestBatchReturnsWriteErrors(t *testing.T) {
	in := strings.Repeat(sampleLine+"\n", 2000)
	if err := Batch(context.Background(), strings.NewReader(in), failingWriter{}, testEngine(t), Options{}); err == nil {
		t.Error("no error from a failing writer")
	}
}

// generatedLines is an io.Reader of n input lines made from a few
// templates, so that a benchmark or test can stream millions of lines
// without holding them in memory.
type generatedLines struct {
	n, i int
	buf  []byte
	off  int
}

var lineTemplates = []string{
	sampleLine,
	`{"date":"2023-05-10","employment":"unemployed","annual_income":412000,"periods":[{"from":"2022-11-01","to":"2023-01-31","degree":50},{"from":"2023-03-15","degree":100}]}`,
	`{"date":"2011-03-01","employment":"employee","annual_income":280000,"periods":[{"from":"2009-01-01","degree":100}]}`,
	`{"date":"2019-02-20","employment":"self_employed","annual_income":250000,"periods":[{"from":"2019-02-01","to":"2019-03-31","degree":75}]}`,
}

func (g *generatedLines) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if g.off == len(g.buf) {
			if g.i == g.n {
				if n == 0 {
					return 0, io.EOF
				}
				return n, nil
			}
			g.buf = append(append(g.buf[:0], lineTemplates[g.i%len(lineTemplates)]...), '\n')
			g.off = 0
			g.i++
		}
		c := copy(p[n:], g.buf[g.off:])
		g.off += c
		n += c
	}
	return n, nil
}

func TestBatchStreamsManyLinesWithConstantMemory(t *testing.T) {
	n := 50_000
	if testing.Short() {
		n = 5_000
	}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- Batch(context.Background(), &generatedLines{n: n}, pw, testEngine(t), Options{})
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	count := 0
	for sc.Scan() {
		if bytes.Contains(sc.Bytes(), []byte(`"error"`)) {
			t.Fatalf("line %d: %s", count, sc.Bytes())
		}
		count++
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if count != n {
		t.Errorf("%d lines out, want %d", count, n)
	}
}
