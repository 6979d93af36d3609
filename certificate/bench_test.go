package certificate

import "testing"

// The benchmarks use the good and the poor example certificate; ns/op and
// allocs/op are per certificate.

var benchNames = []string{"depression-good", "lumbago-poor"}

func BenchmarkParseJSON(b *testing.B) { benchParse(b, "json", ParseJSON) }

func BenchmarkParseXML(b *testing.B) { benchParse(b, "xml", ParseXML) }

// benchParse times parse on each example in its format ext.
func benchParse(b *testing.B, ext string, parse func([]byte) (*Certificate, error)) {
	for _, name := range benchNames {
		data := readExample(b, name, ext)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := parse(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkValidate(b *testing.B) {
	benchParsed(b, func(b *testing.B, c *Certificate) {
		if errs := Validate(c, today); errs != nil {
			b.Fatal(errs)
		}
	})
}

func BenchmarkAssess(b *testing.B) {
	fmb := DefaultFMB()
	benchParsed(b, func(b *testing.B, c *Certificate) { Assess(c, fmb, 20) })
}

// benchParsed times op on each example, parsed from JSON beforehand.
func benchParsed(b *testing.B, op func(b *testing.B, c *Certificate)) {
	for _, name := range benchNames {
		c, err := ParseJSON(readExample(b, name, "json"))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				op(b, c)
			}
		})
	}
}

func BenchmarkCanonical(b *testing.B) {
	c, err := ParseJSON(readExample(b, "depression-good", "json"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		c.Canonical()
	}
}
