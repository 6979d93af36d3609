package certificate

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// EnvCorpus names the folder with Inera's public FK 7804 test certificates:
// the originals, an ids-fixed/ copy of each whose personnummer and HSA-ids
// are valid test values (so that content rules are compared apart from
// identity), and MANIFEST.tsv with Inera's verdict on each.
const EnvCorpus = "FINSAM_FK7804_CORPUS"

type corpusEntry struct {
	file     string // path under the corpus folder
	pass     bool   // Inera's verdict
	realCert bool   // a certificate Inera's own systems signed or stored
}

// corpusDir returns the corpus folder, or skips the test when it is absent.
func corpusDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv(EnvCorpus)
	if dir == "" {
		// Beside the repository, two levels up from this package.
		dir = filepath.Join("..", "..", "shared", "interop", "fk7804-inera")
	}
	if _, err := os.Stat(filepath.Join(dir, "MANIFEST.tsv")); err != nil {
		t.Skipf("Inera's FK 7804 test certificates are not at %s (set %s): %v", dir, EnvCorpus, err)
	}
	return dir
}

func readManifest(t testing.TB, dir string) []corpusEntry {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, "file\t") || strings.TrimSpace(line) == "" {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 3 {
			t.Fatalf("MANIFEST.tsv: short line %q", line)
		}
		exp := cols[2]
		out = append(out, corpusEntry{
			file:     cols[0],
			pass:     strings.HasPrefix(exp, "pass"),
			realCert: strings.HasPrefix(exp, "pass: real certificate"),
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// corpusToday is the day the corpus is received on: after the last
// signing day in it (2026-11-30).
var corpusToday = MustDate("2027-01-15")

// corpusVerdict parses and validates one file as intake would and returns
// the problems, or nil when finsam accepts it.
func corpusVerdict(data []byte) []string {
	c, err := ParseXML(data)
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	for _, e := range Validate(c, corpusToday) {
		out = append(out, e.Field+": "+e.Code)
	}
	return out
}

func TestInerasCorpusGetsInerasVerdict(t *testing.T) {
	dir := corpusDir(t)
	entries := readManifest(t, dir)
	agree := 0
	for _, e := range entries {
		fixed := filepath.Join(dir, "ids-fixed", "hdrfix__"+filepath.Base(e.file))
		t.Run(filepath.Base(e.file), func(t *testing.T) {
			data, err := os.ReadFile(fixed)
			if err != nil {
				t.Fatal(err)
			}
			problems := corpusVerdict(data)
			if (problems == nil) != e.pass {
				t.Errorf("Inera says pass=%v; finsam: %v", e.pass, problems)
				return
			}
			agree++
		})
	}
	t.Logf("finsam agrees with Inera on %d of %d ids-fixed certificates", agree, len(entries))
}

func TestInerasRealCertificatesAreAcceptedAsSent(t *testing.T) {
	dir := corpusDir(t)
	n := 0
	for _, e := range readManifest(t, dir) {
		if !e.realCert {
			continue
		}
		n++
		t.Run(filepath.Base(e.file), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, e.file))
			if err != nil {
				t.Fatal(err)
			}
			if problems := corpusVerdict(data); problems != nil {
				t.Errorf("refused: %v", problems)
			}
		})
	}
	if n == 0 {
		t.Fatal("the manifest lists no real certificates")
	}
}

// BenchmarkParseRealCertificates parses the real certificates of Inera's
// test set as sent (XML) and the same certificates in finsam's JSON form
// (their canonical form), in one run; ns/op and allocs/op are per
// certificate.
func BenchmarkParseRealCertificates(b *testing.B) {
	dir := corpusDir(b)
	var xmls, jsons [][]byte
	for _, e := range readManifest(b, dir) {
		if !e.realCert {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.file))
		if err != nil {
			b.Fatal(err)
		}
		c, err := ParseXML(data)
		if err != nil {
			b.Fatal(err)
		}
		xmls, jsons = append(xmls, data), append(jsons, c.Canonical())
	}
	for _, form := range []struct {
		name  string
		docs  [][]byte
		parse func([]byte) (*Certificate, error)
	}{{"XML", xmls, ParseXML}, {"JSON", jsons, ParseJSON}} {
		b.Run(form.name, func(b *testing.B) {
			b.ReportAllocs()
			size := 0
			for _, d := range form.docs {
				size += len(d)
			}
			b.SetBytes(int64(size / len(form.docs)))
			i := 0
			for b.Loop() {
				if _, err := form.parse(form.docs[i%len(form.docs)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
