package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
	"github.com/finsam/finsam/web/internal/fixture"
)

// The malformed-input corpus: for every operation in the OpenAPI document,
// requests generated from the document itself that a careless or hostile
// client could send — wrong types, truncated and deeply nested JSON, invalid
// UTF-8, bodies over every limit, wrong content types, impossible dates,
// injection strings, non-numeric and other organisations' ids, bad tokens,
// cross-site posts — sent as the roles that may use the operation and as
// some that may not. No answer may be a 5xx, every answer's status must be
// one the operation documents, and every error must have the documented
// shape without a Go error, SQL or stack trace in it.

// corpusOp is one operation of the document, as much as the corpus needs.
type corpusOp struct {
	method, path string
	security     string // "" public, "session" or "bearer"
	params       []corpusParam
	bodies       map[string]any // content type → schema
	example      any            // a JSON request example, when the document gives one
	statuses     map[string]bool
}

type corpusParam struct {
	name, in string
	required bool
	schema   map[string]any
}

// corpusRequest is one generated request.
type corpusRequest struct {
	label       string
	method      string
	target      string
	contentType string // "" sends none
	body        []byte
	as          string // "" anonymous, a demo username, "token", "bad-token"
	header      http.Header
}

// Values a field, parameter or id is replaced with. They are chosen to
// reach the parsers' edges: types, ranges, dates that cannot exist, text
// that means something to SQL, HTML, templates, shells or log readers.
var (
	corpusInjections = []string{
		`' OR '1'='1' --`, `"; DROP TABLE cases; --`, `<script>alert(1)</script>`, `{{.}}`, `${jndi:ldap://x/a}`,
		`../../../../etc/passwd`, "line\r\nX-Injected: 1", "nul\x00byte", "\u202egnp.exe", `=cmd|'/c calc'!A1`,
		`%s%s%s%n`, `\u0000`,
	}
	corpusDates = []string{"2026-02-30", "2026-13-01", "0000-00-00", "2026-1-1", "99999-01-01", "-2026-01-01", "2026-11-23T25:00:00Z", "20261123", "1969-12-31"}
	corpusIDs   = []string{"abc", "0", "-1", "1.5", "1e3", "99999999999999999999999", "9223372036854775807", "0x10", " 1", "1%20", "%27%20OR%201%3D1--", "%3Cscript%3E", "%FF%FE", "%00", "..%2F..%2Fadmin", strings.Repeat("9", 300)}
)

// corpusOps reads the operations out of the served document.
func corpusOps(t *testing.T, doc []byte) ([]corpusOp, map[string]any) {
	t.Helper()
	var d map[string]any
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatal(err)
	}
	var ops []corpusOp
	for path, item := range d["paths"].(map[string]any) {
		item := item.(map[string]any)
		for method, raw := range item {
			o, ok := raw.(map[string]any)
			if !ok || o["responses"] == nil {
				continue
			}
			op := corpusOp{method: strings.ToUpper(method), path: path, bodies: map[string]any{}, statuses: map[string]bool{}}
			for code := range o["responses"].(map[string]any) {
				op.statuses[code] = true
			}
			if sec, ok := o["security"].([]any); ok && len(sec) > 0 {
				for name := range sec[0].(map[string]any) {
					op.security = name
				}
			}
			var params []any
			if p, ok := item["parameters"].([]any); ok {
				params = append(params, p...)
			}
			if p, ok := o["parameters"].([]any); ok {
				params = append(params, p...)
			}
			for _, p := range params {
				pm := resolveRef(d, p.(map[string]any))
				schema, _ := pm["schema"].(map[string]any)
				required, _ := pm["required"].(bool)
				op.params = append(op.params, corpusParam{name: pm["name"].(string), in: pm["in"].(string), required: required, schema: schema})
			}
			if rb, ok := o["requestBody"].(map[string]any); ok {
				for ct, c := range resolveRef(d, rb)["content"].(map[string]any) {
					c := c.(map[string]any)
					op.bodies[ct] = c["schema"]
					if ex, ok := c["examples"].(map[string]any); ok && ct == "application/json" {
						names := make([]string, 0, len(ex))
						for n := range ex {
							names = append(names, n)
						}
						sort.Strings(names)
						op.example = resolveRef(d, ex[names[0]].(map[string]any))["value"]
					}
				}
			}
			ops = append(ops, op)
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].path+ops[i].method < ops[j].path+ops[j].method })
	return ops, d
}

// resolveRef follows a local $ref.
func resolveRef(doc map[string]any, m map[string]any) map[string]any {
	for i := 0; i < 10; i++ {
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		var cur any = doc
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			cur = cur.(map[string]any)[part]
		}
		m = cur.(map[string]any)
	}
	return m
}

// sampleOf makes a plausible value of a schema: the fields a parser expects,
// with values of the right type, which the mutations then break one by one.
func sampleOf(doc map[string]any, schema any, depth int) any {
	s, ok := schema.(map[string]any)
	if !ok || depth > 6 {
		return nil
	}
	s = resolveRef(doc, s)
	if v, ok := s["example"]; ok {
		return v
	}
	if v, ok := s["const"]; ok {
		return v
	}
	if e, ok := s["enum"].([]any); ok && len(e) > 0 {
		return e[0]
	}
	for _, key := range []string{"allOf", "oneOf", "anyOf"} {
		if list, ok := s[key].([]any); ok && len(list) > 0 {
			if key != "allOf" {
				return sampleOf(doc, list[0], depth+1)
			}
			merged := map[string]any{}
			for _, part := range list {
				if m, ok := sampleOf(doc, part, depth+1).(map[string]any); ok {
					for k, v := range m {
						merged[k] = v
					}
				}
			}
			return merged
		}
	}
	typ, _ := s["type"].(string)
	if list, ok := s["type"].([]any); ok {
		for _, t := range list {
			if t != "null" {
				typ, _ = t.(string)
				break
			}
		}
	}
	if typ == "" && s["properties"] != nil {
		typ = "object"
	}
	switch typ {
	case "object":
		out := map[string]any{}
		props, _ := s["properties"].(map[string]any)
		for name, p := range props {
			if ro, _ := resolveRef(doc, asMap(p))["readOnly"].(bool); ro {
				continue
			}
			out[name] = sampleOf(doc, p, depth+1)
		}
		return out
	case "array":
		return []any{sampleOf(doc, s["items"], depth+1)}
	case "integer":
		if m, ok := s["minimum"].(float64); ok {
			return m
		}
		return 1
	case "number":
		return 1.5
	case "boolean":
		return true
	case "string":
		switch s["format"] {
		case "date":
			return "2026-11-23"
		case "date-time":
			return "2026-11-23T09:00:00Z"
		}
		return "x"
	}
	return nil
}

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }

// jsonPaths lists where in v a value can be replaced: every object field and
// the first element of every array, to a depth of four.
func jsonPaths(v any, prefix []any, depth int) [][]any {
	if depth > 4 {
		return nil
	}
	var out [][]any
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := append(append([]any(nil), prefix...), k)
			out = append(out, p)
			out = append(out, jsonPaths(x[k], p, depth+1)...)
		}
	case []any:
		if len(x) > 0 {
			p := append(append([]any(nil), prefix...), 0)
			out = append(out, p)
			out = append(out, jsonPaths(x[0], p, depth+1)...)
		}
	}
	return out
}

// withValue returns a deep copy of v with the value at path replaced.
func withValue(v any, path []any, value any) any {
	var cp any
	b, _ := json.Marshal(v)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	dec.Decode(&cp)
	if len(path) == 0 {
		return value
	}
	cur := cp
	for i, step := range path {
		last := i == len(path)-1
		switch k := step.(type) {
		case string:
			m := cur.(map[string]any)
			if last {
				m[k] = value
			} else {
				cur = m[k]
			}
		case int:
			a := cur.([]any)
			if last {
				a[k] = value
			} else {
				cur = a[k]
			}
		}
	}
	return cp
}

func pathLabel(path []any) string {
	var b strings.Builder
	for _, p := range path {
		switch k := p.(type) {
		case string:
			b.WriteString("." + k)
		case int:
			fmt.Fprintf(&b, "[%d]", k)
		}
	}
	return b.String()
}

// rawJSON is a JSON value written as is (numbers out of range, say).
type rawJSON string

func (r rawJSON) MarshalJSON() ([]byte, error) { return []byte(r), nil }

// fieldMutations are the values each field of a JSON body is replaced with.
func fieldMutations(isDate bool) []any {
	out := []any{nil, true, rawJSON("-1"), rawJSON("1.5"), rawJSON("1e400"), rawJSON("99999999999999999999"), "", "x",
		[]any{}, map[string]any{}, strings.Repeat("å", 70000)}
	for _, s := range corpusInjections {
		out = append(out, s)
	}
	if isDate {
		for _, d := range corpusDates {
			out = append(out, d)
		}
	}
	return out
}

var dateField = regexp.MustCompile(`(^|_)(date|from|to|due|start|end|on|day)$|_on$|date`)

// jsonBodies generates the malformed JSON bodies for an operation from a
// plausible one.
func jsonBodies(base any) []corpusRequest {
	good, _ := json.Marshal(base)
	var out []corpusRequest
	raw := func(label string, body []byte) {
		out = append(out, corpusRequest{label: label, body: body, contentType: "application/json"})
	}
	for _, b := range []string{"", " ", "null", "[]", `"x"`, "1", "{}", "{", "}", "[{}]", `{"":1}`, `{"a":1,"a":2}`, "\ufeff{}", "{}{}", "{} x"} {
		raw(fmt.Sprintf("body %q", b), []byte(b))
	}
	raw("the body truncated to half", good[:len(good)/2])
	raw("the body without its last byte", good[:len(good)-1])
	raw("the body twice", append(append([]byte(nil), good...), good...))
	raw("the body with an unknown field", append([]byte(`{"unknown_field_xyz":1,`), good[1:]...))
	raw("arrays nested 100000 deep", []byte(strings.Repeat("[", 100000)+strings.Repeat("]", 100000)))
	raw("objects nested 50000 deep", []byte(strings.Repeat(`{"a":`, 50000)+"1"+strings.Repeat("}", 50000)))
	raw("invalid UTF-8 in a key", []byte("{\"\xff\xfe\":1}"))
	raw("a body of 4 MiB", append(append([]byte(nil), good[:len(good)-1]...), []byte(`,"pad":"`+strings.Repeat("a", 4<<20)+`"}`)...))
	raw("4 MiB of spaces after the body", append(append([]byte(nil), good...), bytes.Repeat([]byte(" "), 4<<20)...))
	raw("the body in UTF-16", utf16(good))
	for _, path := range jsonPaths(base, nil, 0) {
		key := fmt.Sprint(path[len(path)-1])
		for _, v := range fieldMutations(dateField.MatchString(key)) {
			b, err := json.Marshal(withValue(base, path, v))
			if err != nil {
				continue
			}
			label := fmt.Sprintf("%s = %.40q", pathLabel(path), fmt.Sprint(v))
			out = append(out, corpusRequest{label: label, body: b, contentType: "application/json"})
		}
		if s, ok := valueAt(base, path).(string); ok {
			b, _ := json.Marshal(withValue(base, path, "\uFFFDmark"+s))
			b = bytes.Replace(b, []byte("\uFFFDmark"), []byte("\xff\xfe\xc3"), 1)
			raw(pathLabel(path)+" with invalid UTF-8", b)
		}
	}
	return out
}

func valueAt(v any, path []any) any {
	for _, step := range path {
		switch k := step.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			a, _ := v.([]any)
			if k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

func utf16(b []byte) []byte {
	out := []byte{0xff, 0xfe}
	for _, c := range string(b) {
		out = append(out, byte(c), byte(c>>8))
	}
	return out
}

// xmlBodies are malformed certificate messages (RegisterCertificate).
func xmlBodies(t *testing.T) []corpusRequest {
	good, err := os.ReadFile("../certificate/testdata/depression-good.xml")
	if err != nil {
		t.Fatal(err)
	}
	var out []corpusRequest
	add := func(label string, body []byte) {
		out = append(out, corpusRequest{label: "XML " + label, body: body, contentType: "application/xml"})
	}
	add("empty", nil)
	add("not XML", []byte("certificate"))
	add("JSON sent as XML", []byte(`{"id":"x"}`))
	add("truncated to half", good[:len(good)/2])
	add("without its last byte", good[:len(good)-1])
	add("twice", append(append([]byte(nil), good...), good...))
	add("entity expansion", []byte(`<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;&c;&c;</l>`))
	add("external entity", []byte(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>`))
	add("nested 100000 deep", []byte(strings.Repeat("<a>", 100000)+strings.Repeat("</a>", 100000)))
	add("invalid UTF-8", bytes.Replace(good, []byte("<"), []byte("\xff<"), 40))
	add("4 MiB", append(append([]byte(nil), good...), bytes.Repeat([]byte("<!-- pad -->"), 400000)...))
	for i, inj := range append(append([]string(nil), corpusInjections...), corpusDates...) {
		// Replace the text of every element whose text is a date, one value
		// at a time.
		re := regexp.MustCompile(`>\d{4}-\d{2}-\d{2}<`)
		if i%2 == 0 {
			re = regexp.MustCompile(`>[A-Za-zåäöÅÄÖ ]{3,}<`)
		}
		var esc bytes.Buffer
		for _, r := range inj {
			switch r {
			case '<':
				esc.WriteString("&lt;")
			case '&':
				esc.WriteString("&amp;")
			default:
				esc.WriteRune(r)
			}
		}
		add(fmt.Sprintf("texts = %q", inj), re.ReplaceAll(good, []byte(">"+esc.String()+"<")))
	}
	return out
}

// csvBodies are malformed allocation tables.
func csvBodies() []corpusRequest {
	var out []corpusRequest
	add := func(label, body string) {
		out = append(out, corpusRequest{label: "CSV " + label, body: []byte(body), contentType: "text/csv"})
	}
	header := "namn;organisationsnummer;försörjningsmått;befolkning_16_64\n"
	add("empty", "")
	add("header only", header)
	add("no header", "Samordningsförbundet Gotland;222000-1768;1 234,5;38 000\n")
	add("a bare quote", header+"Samordnings\"förbundet;222000-1768;1;1\n")
	add("an unterminated quote", header+"\"Samordningsförbundet;222000-1768;1;1\n")
	add("commas", strings.ReplaceAll(allocationTable, ";", ","))
	add("too few columns", header+"Samordningsförbundet Gotland;222000-1768\n")
	add("10000 columns", header+strings.Repeat("x;", 10000)+"\n")
	add("invalid UTF-8", header+"Samordnings\xff\xfeförbundet;222000-1768;1;1\n")
	add("UTF-16", string(utf16([]byte(allocationTable))))
	add("a formula", header+"=cmd|'/c calc'!A1;222000-1768;1;1\n")
	add("a field of 900 KiB", header+strings.Repeat("a", 900<<10)+";222000-1768;1;1\n")
	add("4 MiB", allocationTable+strings.Repeat("x;222000-1768;1;1\n", 4<<20/18))
	add("20000 rows", header+strings.Repeat("Förbund;222000-1768;1;1\n", 20000))
	for _, v := range []string{"-1", "0", "1e400", "NaN", "Inf", "99999999999999999999999", "1,2,3", "abc", ""} {
		add("measures = "+v, header+"Samordningsförbundet Gotland;222000-1768;"+v+";"+v+"\n")
	}
	for _, v := range append([]string{"", "abc", "0000000000", "222000-17689", "12345"}, corpusInjections...) {
		add(fmt.Sprintf("organisation number = %q", v), header+"Samordningsförbundet Gotland;"+v+";1;1\n")
	}
	return out
}

// corpusFor generates every request for one operation. valid maps a path or
// query parameter to a value that works; foreign to an id of something the
// caller may not see.
func corpusFor(t *testing.T, op corpusOp, doc map[string]any, as string, valid, foreign map[string]string) []corpusRequest {
	fill := func(over map[string]string) string {
		p := op.path
		q := url.Values{}
		for _, prm := range op.params {
			v, ok := over[prm.name]
			if !ok {
				v = valid[prm.name]
			}
			switch prm.in {
			case "path":
				if _, raw := over[prm.name]; raw {
					p = strings.Replace(p, "{"+prm.name+"}", v, 1) // already escaped, or meant not to be
				} else {
					p = strings.Replace(p, "{"+prm.name+"}", url.PathEscape(v), 1)
				}
			case "query":
				if v != "" {
					q.Set(prm.name, v)
				}
			}
		}
		if len(q) > 0 {
			p += "?" + q.Encode()
		}
		return p
	}
	var goodCT string
	var goodBody []byte
	switch {
	case op.path == "/api/v1/certificates":
		goodCT, goodBody = "application/json", sampleCertificates(1)[0]
	case op.bodies["application/json"] != nil:
		base := op.example
		if base == nil {
			base = sampleOf(doc, op.bodies["application/json"], 0)
		}
		goodCT = "application/json"
		goodBody, _ = json.Marshal(base)
	case op.bodies["text/csv"] != nil:
		goodCT, goodBody = "text/csv", []byte(allocationTable)
	case len(op.bodies) > 0:
		t.Fatalf("%s %s: the corpus has no plausible body for %v", op.method, op.path, op.bodies)
	}
	var out []corpusRequest
	req := func(r corpusRequest) {
		r.label = strings.TrimSpace(r.label)
		r.method = op.method
		if r.target == "" {
			r.target = fill(nil)
		}
		if r.as == "" && !strings.HasPrefix(r.label, "as ") {
			r.as = as
		}
		out = append(out, r)
	}
	withBody := func(r corpusRequest) corpusRequest {
		if r.body == nil && goodCT != "" {
			r.body, r.contentType = goodBody, goodCT
		}
		return r
	}
	// First the request as it should be: the corpus must reach the parsers
	// (it is checked that this one is not refused).
	req(withBody(corpusRequest{label: "baseline"}))
	// Who asks.
	for _, who := range append([]string{"", "bad-token"}, corpusRoles...) {
		if who == as {
			continue
		}
		r := withBody(corpusRequest{label: "as " + who, as: who})
		if who == "" {
			r.label = "as anonymous"
			r.as = "anonymous"
		}
		req(r)
	}
	for _, h := range []string{"Bearer", "Bearer ", "Bearer " + strings.Repeat("x", 10000), "Basic YWRtaW46ZGVtbw==", "Bearer fsk_' OR 1=1--", "bearer\x00x"} {
		req(withBody(corpusRequest{label: fmt.Sprintf("Authorization %.30q", h), header: http.Header{"Authorization": {h}}}))
	}
	if op.method != http.MethodGet {
		req(withBody(corpusRequest{label: "cross-site", header: http.Header{"Origin": {"http://evil.example"}, "Sec-Fetch-Site": {"cross-site"}}}))
	}
	// Parameters.
	for _, prm := range op.params {
		var values []string
		switch prm.in {
		case "path":
			values = append(values, corpusIDs...)
			if f, ok := foreign[prm.name]; ok {
				values = append(values, f)
			}
		case "query":
			values = append([]string{"", "abc", "-1", "0", "99999999999", "1.5", "2026-02-30", strings.Repeat("9", 5000)}, corpusInjections...)
		}
		for _, v := range values {
			target := fill(map[string]string{prm.name: v})
			if prm.in == "query" {
				target = fill(nil)
				sep := "?"
				if strings.Contains(target, "?") {
					sep = "&"
				}
				target += sep + url.QueryEscape(prm.name) + "=" + url.QueryEscape(v)
			}
			req(withBody(corpusRequest{label: fmt.Sprintf("%s %s = %.40q", prm.in, prm.name, v), target: target}))
		}
	}
	if goodCT == "" {
		return out
	}
	// Content types.
	for _, ct := range []string{"", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "application/json", "text/csv",
		"application/json; charset=utf-16", "application/json;;", "*/*", "application/" + strings.Repeat("x", 5000)} {
		if _, documented := op.bodies[ct]; documented {
			continue
		}
		req(corpusRequest{label: fmt.Sprintf("Content-Type %.40q", ct), contentType: ct, body: goodBody})
	}
	// Bodies.
	var bodies []corpusRequest
	if _, ok := op.bodies["application/json"]; ok {
		var base any
		json.Unmarshal(goodBody, &base)
		bodies = append(bodies, jsonBodies(base)...)
	}
	if _, ok := op.bodies["application/xml"]; ok {
		bodies = append(bodies, xmlBodies(t)...)
	}
	if _, ok := op.bodies["text/csv"]; ok {
		bodies = append(bodies, csvBodies()...)
	}
	for _, b := range bodies {
		req(b)
	}
	return out
}

// leaks are what an error answer must never show.
var leaks = regexp.MustCompile(`(?i)goroutine \d|runtime error|panic:|sqlstate|sql: |pq: |pgx|sqlite|syntax error at|\.go:\d+`)

// otherOfficeCase makes a case of FK's Roma office, which the demo case
// worker of Visby may not see.
func otherOfficeCase(t *testing.T, st *store.Store) int64 {
	return fixture.OfficeCase(t, st, "lk-roma", string(demo.Persons(99, 1)[0].Personnummer), "Roma Romsson", "malformed")
}

// corpusRoles are who the corpus is sent as: demo users of the roles that
// use the API, and a certificate system's token.
var corpusRoles = []string{"token", "handlaggare", "forbund", "chef", "styrelse", "samordnare-af", "admin"}

// TestMalformedRequestsToEveryOperation sends the corpus to every operation
// of the OpenAPI document, on both databases.
func TestMalformedRequestsToEveryOperation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s, f := matrixSetup(t, st)
		ops, doc := corpusOps(t, s.openapi)
		if len(ops) < 25 {
			t.Fatalf("only %d operations in the document", len(ops))
		}
		romaCase := otherOfficeCase(t, st)
		valid := map[string]string{
			"slug": "finsam-gotland", "id": itoa(f.caseID), "deadlineID": itoa(f.deadlineID),
			"insatsID": itoa(f.assoc["insatsID"]), "participantID": itoa(f.assoc["participantID"]),
			"year": "2025", "total": "10000000", "purpose": "colleague",
			"coordinationID": itoa(f.coord["coordinationID"]), "consentID": itoa(f.coord["consentID"]),
			"meetingID": itoa(f.coord["meetingID"]), "actionID": itoa(f.coord["actionID"]),
		}
		foreign := map[string]string{
			"slug": "fk", "id": itoa(romaCase), "deadlineID": itoa(f.actionID),
			"insatsID": itoa(f.caseID), "participantID": itoa(f.caseID),
			"coordinationID": itoa(idorMissing), "consentID": itoa(idorMissing),
			"meetingID": itoa(idorMissing), "actionID": itoa(idorMissing),
		}
		sessions := map[string]*browser{}
		for _, u := range corpusRoles {
			if u == "token" {
				continue
			}
			b := newBrowser(t, s)
			if rec := b.Login(u, "demo"); rec.Code != http.StatusSeeOther {
				t.Fatalf("sign in as %s: %d", u, rec.Code)
			}
			sessions[u] = b
		}
		var sent, failed int
		send := func(r corpusRequest) *httptest.ResponseRecorder {
			req := httptest.NewRequest(r.method, "/", bytes.NewReader(r.body))
			// The target as written: some are not what a client library
			// would send, which is the point.
			req.RequestURI = r.target
			if u, err := url.ParseRequestURI(r.target); err == nil {
				req.URL = u
			} else {
				req.URL = &url.URL{Path: r.target}
			}
			req.RemoteAddr = "192.0.2.77:4000"
			if r.contentType != "" {
				req.Header.Set("Content-Type", r.contentType)
			}
			for k, v := range r.header {
				req.Header[k] = v
			}
			switch r.as {
			case "token":
				req.Header.Set("Authorization", "Bearer "+f.token)
			case "bad-token":
				req.Header.Set("Authorization", "Bearer fsk_notavalidtokenatall")
			case "anonymous", "":
			default:
				for _, c := range sessions[r.as].Cookies() {
					req.AddCookie(c)
				}
			}
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, req)
			return rec
		}
		for _, op := range ops {
			// The corpus is sent as a role that may use the operation: the
			// first whose request as it should be is not refused.
			as := "anonymous"
			if op.security != "" {
				as = ""
				for _, who := range corpusRoles {
					if rec := send(corpusFor(t, op, doc, who, valid, foreign)[0]); rec.Code != 401 && rec.Code != 403 && rec.Code != 404 {
						as = who
						break
					}
				}
				if as == "" {
					t.Errorf("%s %s: none of the roles %v may use it; give the corpus one that may", op.method, op.path, corpusRoles)
					continue
				}
			}
			perOp := 0
			for _, r := range corpusFor(t, op, doc, as, valid, foreign) {
				rec := send(r)
				sent++
				var problem string
				body := rec.Body.Bytes()
				switch {
				case rec.Code >= 500:
					problem = fmt.Sprintf("answered %d: %.300s", rec.Code, body)
				case !statusDocumented(op.statuses, rec.Code):
					problem = fmt.Sprintf("answered %d, which the operation does not document: %.300s", rec.Code, body)
				case rec.Code >= 400:
					if p := problemShapeError(rec.Header(), body); p != "" {
						problem = fmt.Sprintf("answered %d not in the documented shape: %s", rec.Code, p)
					} else if m := leaks.Find(body); m != nil {
						problem = fmt.Sprintf("answered %d with %q in the body: %.300s", rec.Code, m, body)
					}
				}
				if r.label == "baseline" && (rec.Code == 401 || rec.Code == 403 || rec.Code == 404 || rec.Code == 415) {
					problem = fmt.Sprintf("the request as it should be is refused (%d): the corpus does not reach the parsers: %.300s", rec.Code, body)
				}
				if problem != "" {
					failed++
					if perOp++; perOp <= 5 {
						t.Errorf("%s %s, %s (as %s, %s): %s", op.method, op.path, r.label, r.as, r.target[:min(len(r.target), 120)], problem)
					}
				}
			}
			if perOp > 5 {
				t.Errorf("%s %s: %d more bad answers", op.method, op.path, perOp-5)
			}
		}
		t.Logf("%d requests to %d operations, %d bad answers", sent, len(ops), failed)
	})
}

// TestMalformedImageUploads sends the site editing's image routes (page
// forms, not in the OpenAPI document) what a careless or hostile client
// could: no or the wrong content type, a broken or truncated multipart
// body, repeated fields, invalid UTF-8 and injection strings, bodies over
// the limit, ids that are no ids. No answer is a 5xx or shows developer
// text, and nothing is stored.
func TestMalformedImageUploads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s, f := matrixSetup(t, st)
		b := newBrowser(t, s)
		if rec := b.Login("forbund", "demo"); rec.Code != http.StatusSeeOther {
			t.Fatalf("sign in: %d", rec.Code)
		}
		images := func() int {
			var n int
			if err := st.QueryRow(context.Background(), "SELECT count(*) FROM site_images").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		var png bytes.Buffer
		if err := pngEncode(&png); err != nil {
			t.Fatal(err)
		}
		before := images()
		upload := fmt.Sprintf("/forbund/finsam-gotland/webb/sidor/%d/bilder", f.assoc["pageID"])
		part := func(name, value string) string {
			return "--b\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n"
		}
		filePart := func(data string) string {
			return "--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"x.png\"\r\nContent-Type: image/png\r\n\r\n" + data + "\r\n"
		}
		const mp = "multipart/form-data; boundary=b"
		type req struct {
			label, target, body, contentType string
		}
		reqs := []req{
			{"no content type", upload, "image=x", ""},
			{"urlencoded", upload, "image=x&alt=y", "application/x-www-form-urlencoded"},
			{"json", upload, `{"image":"x"}`, "application/json"},
			{"multipart without boundary", upload, part("alt", "x") + "--b--\r\n", "multipart/form-data"},
			{"wrong boundary", upload, part("alt", "x") + "--b--\r\n", "multipart/form-data; boundary=zz"},
			{"truncated", upload, filePart("\x89PNG\r\n\x1a\n")[:40], mp},
			{"no closing boundary", upload, part("alt", "x") + filePart("abc"), mp},
			{"repeated file", upload, filePart("a") + filePart("b") + "--b--\r\n", mp},
			{"empty", upload, "--b--\r\n", mp},
			{"invalid utf-8 alt", upload, part("alt", "\xff\xfe") + filePart(png.String()) + "--b--\r\n", mp},
			{"nul in alt", upload, part("alt", "a\x00b") + filePart(png.String()) + "--b--\r\n", mp},
			{"over the limit", upload, strings.Repeat("x", 33<<20), mp},
		}
		for _, inj := range corpusInjections {
			reqs = append(reqs, req{"injection alt " + inj, upload, part("alt", inj) + filePart(inj) + "--b--\r\n", mp})
		}
		for _, id := range corpusIDs {
			reqs = append(reqs, req{"page id " + id, "/forbund/finsam-gotland/webb/sidor/" + id + "/bilder", part("alt", "x") + "--b--\r\n", mp},
				req{"image id " + id, fmt.Sprintf("/forbund/finsam-gotland/webb/sidor/%d/bilder/%s/ta-bort", f.assoc["pageID"], id), "", "application/x-www-form-urlencoded"},
				req{"file " + id, "/f/finsam-gotland/bilder/" + id, "", ""})
		}
		for _, r := range reqs {
			method := http.MethodPost
			if strings.HasPrefix(r.target, "/f/") {
				method = http.MethodGet
			}
			req := httptest.NewRequest(method, "/", strings.NewReader(r.body))
			req.RequestURI = r.target
			if u, err := url.ParseRequestURI(r.target); err == nil {
				req.URL = u
			} else {
				req.URL = &url.URL{Path: r.target}
			}
			if r.contentType != "" {
				req.Header.Set("Content-Type", r.contentType)
			}
			for _, c := range b.Cookies() {
				req.AddCookie(c)
			}
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Errorf("%s: %d", r.label, rec.Code)
			}
			if leaks.MatchString(rec.Body.String()) {
				t.Errorf("%s: the answer shows developer text", r.label)
			}
		}
		if got := images(); got != before {
			t.Errorf("%d images stored by malformed uploads", got-before)
		}
	})
}

// pngEncode writes a small synthetic PNG.
func pngEncode(w io.Writer) error {
	return png.Encode(w, image.NewGray(image.Rect(0, 0, 8, 8)))
}
