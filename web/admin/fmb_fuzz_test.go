package admin

import "testing"

// FuzzFMBUpload: the FMB table as the upload form checks it, every problem
// at once. Each problem has a message, and a line that is not negative.
func FuzzFMBUpload(f *testing.F) {
	for _, s := range []string{
		"code,max,unit,source,note\nM54.4,28,d,Socialstyrelsen,\n",
		"code,max,unit,source,note\nM54.4,28,d,x,\nM54.4,3,wk,y,\nF99,0,yr,,\n\"x\n",
		"# only a comment\n", "", "\xff\xfe",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, lang := range []string{"sv", "en"} {
			for _, e := range checkFMBCSV(lang, data) {
				if e.Line < 0 || e.Message == "" {
					t.Fatalf("problem %+v in %q", e, data)
				}
			}
		}
	})
}
