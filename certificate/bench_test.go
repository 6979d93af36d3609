package certificate

import "testing"

// The benchmarks use the good and the poor example certificate; ns/op and
// allocs/op are per certificate.

var benchNames = []string{"depression-good", "lumbago-poor"}

func BenchmarkParseJSON(b *testing.B) {
	for _, name := range benchNames {
		data := readExample(b, name, "json")
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := ParseJSON(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParseXML(b *testing.B) {
	for _, name := range benchNames {
		data := readExample(b, name, "xml")
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := ParseXML(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkValidate(b *testing.B) {
	for _, name := range benchNames {
		c, err := ParseJSON(readExample(b, name, "json"))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if errs := Validate(c, today); errs != nil {
					b.Fatal(errs)
				}
			}
		})
	}
}

func BenchmarkAssess(b *testing.B) {
	fmb := DefaultFMB()
	for _, name := range benchNames {
		c, err := ParseJSON(readExample(b, name, "json"))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Assess(c, fmb, 20)
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
