package certificate

import (
	"bytes"
	"testing"
)

// FuzzLoadFMBCSV: the FMB table a system administrator uploads. Every
// accepted entry can be looked up by its code.
func FuzzLoadFMBCSV(f *testing.F) {
	for _, s := range []string{
		"code,max,unit,source,note\nM54.4,28,d,Socialstyrelsen,\n",
		"code,max,unit,source,note\nF32,12,wk,FMB,\"a, b\"\n# comment\nF43.8A,3,mo,FMB,\n",
		"code,max,unit,source,note\nM54.4,0,d,x,\nM54.4,1000,yr,,\n",
		"code,max\n\"M54\n", "",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fmb, err := LoadFMBCSV(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, e := range fmb.Entries() {
			if _, ok := fmb.Lookup(e.Code); !ok {
				t.Fatalf("entry %+v cannot be looked up", e)
			}
		}
	})
}
