package rules

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"
)

// maxLineBytes bounds one input line in Batch; a longer line gets an
// error object instead of an unbounded buffer.
const maxLineBytes = 1 << 20

// Batch evaluates JSON Lines: one input object per line in, one result (or
// {"error":{…}}) per line out, in the same order. Memory stays constant
// whatever the number of lines; a bad line does not stop the run. Batch
// returns when r is exhausted, ctx is cancelled, or reading or writing
// fails.
//
// A nil Engine means the one built from the embedded parameters.
func Batch(ctx context.Context, r io.Reader, w io.Writer, e *Engine, opt Options) error {
	if e == nil {
		var err error
		if e, err = defaultEngine(); err != nil {
			return err
		}
	}
	br := bufio.NewReaderSize(r, 64<<10)
	bw := bufio.NewWriterSize(w, 64<<10)
	out := make([]byte, 0, 4096)
	for n := 0; ; n++ {
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		line, tooLong, err := readLine(br)
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		if line == nil && !tooLong && errors.Is(err, io.EOF) {
			break
		}
		out = out[:0]
		if tooLong {
			out = appendError(out, newError(CodeLineTooLong, "",
				"line longer than "+strconv.Itoa(maxLineBytes)+" bytes", "raden är längre än "+strconv.Itoa(maxLineBytes)+" byte"))
		} else if in, perr := ParseInput(line); perr != nil {
			out = appendError(out, perr.(*Error))
		} else if res, eerr := e.Evaluate(in, opt); eerr != nil {
			out = appendError(out, eerr.(*Error))
		} else {
			out = appendResult(out, &res)
		}
		out = append(out, '\n')
		if _, werr := bw.Write(out); werr != nil {
			return werr
		}
		if errors.Is(err, io.EOF) {
			break
		}
	}
	return bw.Flush()
}

// readLine returns the next line without its line ending, or nil at the
// end of input. A line longer than maxLineBytes is consumed and reported
// as tooLong. The returned slice is only valid until the next call.
func readLine(br *bufio.Reader) (line []byte, tooLong bool, err error) {
	line, err = br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		// Long lines are rare: collect up to the limit, then discard.
		buf := append([]byte(nil), line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			line, err = br.ReadSlice('\n')
			if len(buf)+len(line) > maxLineBytes {
				tooLong = true
				buf = buf[:0]
			}
			if !tooLong {
				buf = append(buf, line...)
			}
		}
		if tooLong {
			return nil, true, err
		}
		line = buf
	}
	if len(line) == 0 && err != nil {
		return nil, false, err
	}
	line = bytes.TrimSuffix(line, []byte{'\n'})
	line = bytes.TrimSuffix(line, []byte{'\r'})
	return line, false, err
}

// appendError writes {"error":{"code":…,"message":…,"field":…}}.
func appendError(b []byte, e *Error) []byte {
	b = append(b, `{"error":{"code":`...)
	b = appendString(b, e.Code)
	b = append(b, `,"message":`...)
	b = appendString(b, e.Message)
	b = append(b, `,"field":`...)
	b = appendString(b, e.Field)
	return append(b, "}}"...)
}

// appendResult writes r exactly as encoding/json would marshal it (a test
// holds the two together), without reflection or allocation.
func appendResult(b []byte, r *Result) []byte {
	b = append(b, `{"date":`...)
	b = appendDate(b, r.Date)
	b = append(b, `,"sick":`...)
	b = strconv.AppendBool(b, r.Sick)
	b = append(b, `,"chain_day":`...)
	b = strconv.AppendInt(b, int64(r.ChainDay), 10)
	b = append(b, `,"chain_phase":`...)
	b = appendString(b, r.ChainPhase)
	b = append(b, `,"payer":`...)
	b = appendString(b, r.Payer)
	b = append(b, `,"level":`...)
	b = appendString(b, r.Level)
	b = append(b, `,"time_limit_reached":`...)
	b = strconv.AppendBool(b, r.TimeLimitReached)
	b = append(b, `,"frame_days":`...)
	b = strconv.AppendInt(b, int64(r.FrameDays), 10)
	b = append(b, `,"sgi":`...)
	b = strconv.AppendInt(b, r.SGI, 10)
	b = append(b, `,"full_daily_amount":{"normal":`...)
	b = strconv.AppendInt(b, r.FullDailyAmount.Normal, 10)
	b = append(b, `,"continuation":`...)
	b = strconv.AppendInt(b, r.FullDailyAmount.Continuation, 10)
	b = append(b, `},"daily_amount":`...)
	b = strconv.AppendInt(b, r.DailyAmount, 10)
	b = append(b, `,"karens_compensation":`...)
	b = strconv.AppendInt(b, r.KarensCompensation, 10)
	b = append(b, `,"age_limit_reached":`...)
	b = strconv.AppendBool(b, r.AgeLimitReached)
	m := &r.Milestones
	b = append(b, `,"milestones":{"day_91":`...)
	b = appendDate(b, m.Day91)
	b = append(b, `,"day_181":`...)
	b = appendDate(b, m.Day181)
	b = append(b, `,"day_366":`...)
	b = appendDate(b, m.Day366)
	b = append(b, `,"continuation_level":`...)
	b = appendDate(b, m.ContinuationLevel)
	b = append(b, `,"time_limit":`...)
	b = appendDate(b, m.TimeLimit)
	b = append(b, `},"provisional":`...)
	if r.Provisional == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, name := range r.Provisional {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, name)
		}
		b = append(b, ']')
	}
	b = append(b, `,"trace":`...)
	if r.Trace == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, t := range r.Trace {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"step":`...)
			b = appendString(b, t.Step)
			b = append(b, `,"ref":`...)
			b = appendString(b, t.Ref)
			b = append(b, `,"value":`...)
			b = appendAny(b, t.Value)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func appendDate(b []byte, d Date) []byte {
	if d.IsZero() {
		return append(b, "null"...)
	}
	b = append(b, '"')
	b = d.AppendTo(b)
	return append(b, '"')
}

func appendAny(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, x)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case string:
		return appendString(b, x)
	case Date:
		return appendDate(b, x)
	}
	// Trace values are only the types above; anything else is a bug that
	// must not produce invalid JSON.
	return append(b, "null"...)
}

const hexDigits = "0123456789abcdef"

// appendString quotes s the way encoding/json does by default, including
// its HTML-safe escapes, so that batch output and json.Marshal agree byte
// for byte.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
