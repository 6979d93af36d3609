package certificate

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
)

// The RegisterCertificate document, as far as finsam reads it. Tags name
// local names only, so encoding/xml matches them with any prefix; the
// namespace of RegisterCertificate itself is checked (nsV3, nsV2).
// Elements finsam does not use (addresses, befattning, underskrift …) are
// skipped.
type xmlRegister struct {
	Intyg *xmlIntyg `xml:"intyg"`
}

// The namespaces of RegisterCertificate that real senders use: contract v3
// (today's Webcert and journal systems) and v2 (Inera's first lisjp schema
// of 2016).
const (
	nsV3 = "urn:riv:clinicalprocess:healthcond:certificate:RegisterCertificateResponder:3"
	nsV2 = "urn:riv:clinicalprocess:healthcond:certificate:RegisterCertificateResponder:2"

	nsCoreV3 = "urn:riv:clinicalprocess:healthcond:certificate:3"
	nsCoreV2 = "urn:riv:clinicalprocess:healthcond:certificate:2"
)

type xmlII struct {
	Root      string `xml:"root"`
	Extension string `xml:"extension"`
}

// xmlLeaf is a value element: its text, and any element nested in it
// (which Inera refuses).
type xmlLeaf struct {
	Text  string    `xml:",chardata"`
	Inner []xmlNode `xml:",any"`
}

type xmlNode struct {
	XMLName xml.Name
}

type xmlCV struct {
	Code        xmlLeaf   `xml:"code"`
	CodeSystem  *xmlLeaf  `xml:"codeSystem"`
	DisplayName []xmlLeaf `xml:"displayName"`
}

type xmlIntyg struct {
	IntygsID   xmlII    `xml:"intygs-id"`
	Typ        *xmlCV   `xml:"typ"`
	Version    *xmlLeaf `xml:"version"`
	Signed     string   `xml:"signeringstidpunkt"`
	PersonID   xmlII    `xml:"patient>person-id"`
	PersonalID xmlII    `xml:"skapadAv>personal-id"`
	Namn       string   `xml:"skapadAv>fullstandigtNamn"`
	Enhet      struct {
		ID         xmlII  `xml:"enhets-id"`
		Namn       string `xml:"enhetsnamn"`
		Vardgivare struct {
			ID   xmlII  `xml:"vardgivare-id"`
			Namn string `xml:"vardgivarnamn"`
		} `xml:"vardgivare"`
	} `xml:"skapadAv>enhet"`
	Relation []struct {
		Typ      xmlCV `xml:"typ"`
		IntygsID xmlII `xml:"intygs-id"`
	} `xml:"relation"`
	Svar []xmlSvar `xml:"svar"`
}

type xmlSvar struct {
	ID      string       `xml:"id,attr"`
	Instans *xmlLeaf     `xml:"instans"`
	Delsvar []xmlDelsvar `xml:"delsvar"`
}

type xmlDelsvar struct {
	ID     string `xml:"id,attr"`
	Text   string `xml:",chardata"`
	CV     *xmlCV `xml:"cv"`
	Period *struct {
		Start xmlLeaf `xml:"start"`
		End   xmlLeaf `xml:"end"`
	} `xml:"datePeriod"`
	Inner []xmlNode `xml:",any"`
}

// ParseXML decodes a RegisterCertificate document of type LISJP (svar 1,
// 6, 17, 19, 20, 25–29, 32–35, 37, 39, 40, 44, and Försäkringskassan's
// additional questions 9001 and up) onto the same model as ParseJSON.
// Both namespaces real senders use are read: RegisterCertificate v3, and
// v2, Inera's first lisjp schema of 2016 (Schema2016, with svar 30); any
// other namespace is refused (ParseUnsupportedNamespace), and a document
// without one is read as v3. The RegisterCertificate element may be the
// root or inside a SOAP envelope; namespace prefixes do not matter. The
// version element decides the model (1.x or 2.x; others are refused with
// ParseUnsupportedVersion).
//
// Codes, dates and identifiers are trimmed (they are tokens in the
// schema, and Inera accepts codes with surrounding white space); free
// text is kept as it is. Dates may carry a time-zone suffix, which is
// ignored (xs:date).
//
// Svar 25 carries two fields that have no answer of their own, each on its
// own line with a fixed prefix; they are split back out into
// NotExaminedReason and EarlyStartReason, and the rest is Other. The
// transport joins them with a line break, so a reason is read as ending at
// the line break: a reason that itself spans lines cannot be told apart
// from Other after it (the not-examined reason runs on to the early-start
// prefix when both are there).
//
// The signing time (signeringstidpunkt) has no offset in practice and is
// read as Swedish local time; an explicit offset is honoured.
//
// Structural problems are *ParseError, refused as Inera's schematron
// refuses them: not XML, no RegisterCertificate/intyg, a type other than
// LISJP, a svar or delsvar id lisjp does not have, a single answer or a
// delsvar given twice, a svar without the delsvar it must have or a value
// left empty, an element nested in a value, a second displayName, a cv
// whose codeSystem is not its code list's, diagnoses in a code system
// other than ICD-10-SE and KSH97-P or written with a dot, a repeatable svar
// of v1 without its instans, malformed booleans, dates and numbers. Field
// names the JSON path of the value and Answer the svar and delsvar.
func ParseXML(data []byte) (*Certificate, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var reg xmlRegister
	found, schema2016 := false, false
	for !found {
		tok, err := d.Token()
		if err == io.EOF {
			return nil, &ParseError{Code: ParseNotACertificate, Message: "no RegisterCertificate element"}
		}
		if err != nil {
			return nil, xmlSyntax(err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "RegisterCertificate" {
			// A sender that drops the prefixes may leave RegisterCertificate
			// in the contract's core namespace, or in none.
			switch se.Name.Space {
			case nsV3, nsCoreV3, "":
			case nsV2, nsCoreV2:
				schema2016 = true
			default:
				return nil, &ParseError{Code: ParseUnsupportedNamespace, Message: "namespace " + strconv.Quote(se.Name.Space) +
					" is not RegisterCertificate v3 (" + nsV3 + ") or v2 (" + nsV2 + ")"}
			}
			if err := d.DecodeElement(&reg, &se); err != nil {
				return nil, xmlSyntax(err)
			}
			found = true
		}
	}
	// Anything after the element must still be well-formed XML; content
	// around it (the rest of a SOAP envelope) is allowed.
	for {
		_, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, xmlSyntax(err)
		}
	}
	if reg.Intyg == nil {
		return nil, &ParseError{Code: ParseNotACertificate, Message: "RegisterCertificate has no intyg element"}
	}
	return fromXML(reg.Intyg, schema2016)
}

func xmlSyntax(err error) *ParseError {
	msg := err.Error()
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		msg = "line " + strconv.Itoa(se.Line) + ": " + se.Msg
	}
	return &ParseError{Code: ParseInvalidXML, Message: msg}
}

// xmlMapper turns svar into certificate fields, remembering which
// single-instance answers it has seen.
type xmlMapper struct {
	c    *Certificate
	seen map[string]bool
}

// perr is a ParseError at a JSON path and an answer.
func perr(field, answer, code, msg string) *ParseError {
	return &ParseError{Field: field, Answer: answer, Code: code, Message: msg}
}

func answerID(svar, del string) string {
	if del == "" {
		return "svar[" + svar + "]"
	}
	return "svar[" + svar + "].delsvar[" + del + "]"
}

func fromXML(in *xmlIntyg, schema2016 bool) (*Certificate, error) {
	if in.Typ == nil || !strings.EqualFold(strings.TrimSpace(in.Typ.Code.Text), typeCodeLISJP) {
		got := ""
		if in.Typ != nil {
			got = strings.TrimSpace(in.Typ.Code.Text)
		}
		return nil, &ParseError{Code: ParseUnsupportedType,
			Message: "certificate type " + strconv.Quote(got) + " is not LISJP (FK 7804)"}
	}
	c := &Certificate{
		ID:         strings.TrimSpace(in.IntygsID.Extension),
		Schema2016: schema2016,
		Patient:    Patient{Personnummer: strings.TrimSpace(in.PersonID.Extension)},
		Issuer: Issuer{
			HSAID:             strings.TrimSpace(in.PersonalID.Extension),
			Name:              in.Namn,
			UnitHSAID:         strings.TrimSpace(in.Enhet.ID.Extension),
			UnitName:          in.Enhet.Namn,
			CareProviderHSAID: strings.TrimSpace(in.Enhet.Vardgivare.ID.Extension),
			CareProviderName:  in.Enhet.Vardgivare.Namn,
		},
	}
	if err := c.xmlVersion(in.Version); err != nil {
		return nil, err
	}
	if s := strings.TrimSpace(in.Signed); s != "" {
		t, err := parseDateTime(s)
		if err != nil {
			return nil, &ParseError{Field: "signed_at", Code: ParseInvalidDateTime,
				Message: "signeringstidpunkt must be an xs:dateTime such as 2026-03-02T10:15:00"}
		}
		c.SignedAt = t
	}
	switch len(in.Relation) {
	case 0:
	case 1:
		c.Relation = &Relation{Type: strings.TrimSpace(in.Relation[0].Typ.Code.Text),
			CertificateID: strings.TrimSpace(in.Relation[0].IntygsID.Extension)}
	default:
		return nil, &ParseError{Field: "relation", Code: ParseDuplicateAnswer,
			Message: "more than one relation; finsam's model holds one"}
	}
	m := xmlMapper{c: c, seen: map[string]bool{}}
	if len(in.Svar) > 4*maxListLen {
		return nil, &ParseError{Code: ParseTooManyElements, Message: "too many svar elements"}
	}
	for i := range in.Svar {
		if err := m.svar(&in.Svar[i]); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// xmlVersion reads the version element: lisjp v1 in either namespace, v2
// only in RegisterCertificate v3.
func (c *Certificate) xmlVersion(v *xmlLeaf) *ParseError {
	if v == nil || strings.TrimSpace(v.Text) == "" {
		return &ParseError{Field: "version", Code: ParseUnsupportedVersion, Message: "the version element is missing"}
	}
	if len(v.Inner) > 0 {
		return nested("version", "")
	}
	var ok bool
	c.Version, ok = NormalizeVersion(v.Text)
	if !ok || (c.Schema2016 && c.Major() != 1) {
		return &ParseError{Field: "version", Code: ParseUnsupportedVersion, Message: "version " +
			strconv.Quote(strings.TrimSpace(v.Text)) + " is not supported: finsam reads 1.x (lisjp v1) and 2.x (FK7804 v2)"}
	}
	return nil
}

func nested(field, answer string) *ParseError {
	return perr(field, answer, ParseNestedElement, "a value must not hold elements")
}

// single marks a single-instance svar as seen, refusing a repeat.
func (m *xmlMapper) single(id, field string) *ParseError {
	if m.seen[id] {
		return perr(field, answerID(id, ""), ParseDuplicateAnswer, "svar "+id+" appears more than once")
	}
	m.seen[id] = true
	return nil
}

func unknownDelsvar(svar, del string) *ParseError {
	return perr("", answerID(svar, strings.TrimSpace(del)), ParseUnknownAnswer,
		"svar "+svar+" has no delsvar "+strconv.Quote(del)+" in LISJP")
}

// checkDelsvar refuses a svar without delsvar, a delsvar id given twice,
// a delsvar the svar does not have, and a missing required one. ids are
// the svar's delsvar ids; required are those it must have.
func checkDelsvar(s *xmlSvar, id, field string, ids []string, required ...string) *ParseError {
	if len(s.Delsvar) == 0 {
		return perr(field, answerID(id, ""), ParseEmptyAnswer, "svar "+id+" has no delsvar")
	}
	var seen [8]bool
	for _, d := range s.Delsvar {
		k := indexOf(ids, strings.TrimSpace(d.ID))
		if k < 0 {
			return unknownDelsvar(id, d.ID)
		}
		if seen[k] {
			return perr(field, answerID(id, ids[k]), ParseDuplicateDelsvar, "delsvar "+ids[k]+" appears more than once")
		}
		seen[k] = true
	}
	for _, r := range required {
		if !seen[indexOf(ids, r)] {
			return perr(field, answerID(id, r), ParseEmptyAnswer, "svar "+id+" must have delsvar "+r)
		}
	}
	return nil
}

// instance checks the instans of a repeatable svar: lisjp v1 requires
// one, and where given it must be a positive number.
func (m *xmlMapper) instance(s *xmlSvar, id, field string) *ParseError {
	if s.Instans == nil {
		if m.c.Major() == 1 {
			return perr(field, answerID(id, ""), ParseMissingInstance, "svar "+id+" must have an instans")
		}
		return nil
	}
	if len(s.Instans.Inner) > 0 {
		return nested(field, answerID(id, ""))
	}
	n, err := strconv.Atoi(strings.TrimSpace(s.Instans.Text))
	if err != nil || n < 1 {
		return perr(field, answerID(id, ""), ParseMissingInstance, "the instans of svar "+id+" must be a number from 1")
	}
	return nil
}

// text returns a text delsvar's value: no elements in it, not empty.
func text(d *xmlDelsvar, svar, field string) (string, *ParseError) {
	ans := answerID(svar, strings.TrimSpace(d.ID))
	if d.CV != nil || d.Period != nil || len(d.Inner) > 0 {
		return "", nested(field, ans)
	}
	if d.Text == "" {
		return "", perr(field, ans, ParseEmptyAnswer, "delsvar "+strings.TrimSpace(d.ID)+" is empty")
	}
	return d.Text, nil
}

// nextInstance begins one more instance of a repeatable svar whose
// answers go to field, a list that holds n: it refuses more than
// maxListLen, checks the instans and returns the new element's path.
func (m *xmlMapper) nextInstance(s *xmlSvar, id, field string, n int) (string, *ParseError) {
	if n == maxListLen {
		return "", &ParseError{Field: field, Code: ParseTooManyElements, Message: "too many svar " + id}
	}
	at := indexed(field, n)
	return at, m.instance(s, id, at)
}

// nextDelsvar begins one more instance of repeatable svar id (as
// nextInstance), checks that its delsvar are among ids with the required
// ones there, and reads each with read, given the instance's path and the
// delsvar's id; it stops at the first error.
func (m *xmlMapper) nextDelsvar(s *xmlSvar, id, field string, n int, ids, required []string,
	read func(at, did string, d *xmlDelsvar) *ParseError) *ParseError {
	at, err := m.nextInstance(s, id, field, n)
	if err != nil {
		return err
	}
	if err := checkDelsvar(s, id, at, ids, required...); err != nil {
		return err
	}
	for i := range s.Delsvar {
		if err := read(at, strings.TrimSpace(s.Delsvar[i].ID), &s.Delsvar[i]); err != nil {
			return err
		}
	}
	return nil
}

// codeAnswer appends to list the code of one instance of a repeatable svar
// whose one delsvar, delID, is a cv (28 occupation, 40 work measures).
func (m *xmlMapper) codeAnswer(s *xmlSvar, id, delID, field string, list *[]string) *ParseError {
	at, err := m.nextInstance(s, id, field, len(*list))
	if err != nil {
		return err
	}
	code, err := onlyDelsvar(s, id, delID, at, cvCode)
	if err != nil {
		return err
	}
	*list = append(*list, code)
	return nil
}

func (m *xmlMapper) svar(s *xmlSvar) *ParseError {
	c := m.c
	id := strings.TrimSpace(s.ID)
	switch id {
	case "1":
		var b Basis
		err := m.nextDelsvar(s, id, "basis", len(c.Basis), []string{"1.1", "1.2", "1.3"}, []string{"1.1", "1.2"},
			func(at, did string, d *xmlDelsvar) (err *ParseError) {
				switch did {
				case "1.1":
					b.Type, err = cvCode(d, id, at+".type")
				case "1.2":
					b.Date, err = xmlDate(d, id, at+".date")
				case "1.3":
					b.Description, err = text(d, id, at+".description")
				}
				return err
			})
		if err != nil {
			return err
		}
		c.Basis = append(c.Basis, b)
	case "27":
		return m.boolAnswer(s, "27.1", "smittskydd", &c.Smittskydd)
	case "28":
		return m.codeAnswer(s, id, "28.1", "occupation", &c.Occupation)
	case "29":
		return m.textAnswer(s, "29.1", "current_work", &c.CurrentWork)
	case "30":
		if !c.Schema2016 {
			return perr("", answerID(id, ""), ParseUnknownAnswer, `svar "30" is not part of LISJP in RegisterCertificate v3`)
		}
		return m.textAnswer(s, "30.1", "labour_market_programme", &c.LabourMarketProgramme)
	case "6":
		return m.diagnoses(s)
	case "35":
		return m.textAnswer(s, "35.1", "functional_impairment", &c.FunctionalImpairment)
	case "17":
		return m.textAnswer(s, "17.1", "activity_limitation", &c.ActivityLimitation)
	case "19":
		return m.textAnswer(s, "19.1", "ongoing_treatment", &c.OngoingTreatment)
	case "20":
		return m.textAnswer(s, "20.1", "planned_treatment", &c.PlannedTreatment)
	case "32":
		var sl SickLeave
		err := m.nextDelsvar(s, id, "sick_leave", len(c.SickLeave), []string{"32.1", "32.2"}, []string{"32.1", "32.2"},
			func(at, did string, d *xmlDelsvar) (err *ParseError) {
				switch did {
				case "32.1":
					sl.Degree, err = cvCode(d, id, at+".degree")
				case "32.2":
					ans := answerID(id, "32.2")
					if d.Period == nil {
						return perr(at+".from", ans, ParseInvalidType, "delsvar 32.2 must hold a datePeriod")
					}
					if sl.From, err = leafDate(d.Period.Start, ans, at+".from"); err == nil {
						sl.To, err = leafDate(d.Period.End, ans, at+".to")
					}
				}
				return err
			})
		if err != nil {
			return err
		}
		c.SickLeave = append(c.SickLeave, sl)
	case "37":
		return m.textAnswer(s, "37.1", "fmb_motivation", &c.FMBMotivation)
	case "33":
		v, t, err := m.boolAndText(s, id, "working_time_distribution", "working_time_motivation")
		if err != nil {
			return err
		}
		c.WorkingTimeDistribution, c.WorkingTimeMotivation = &v, t
	case "34":
		return m.boolAnswer(s, "34.1", "travel_to_work", &c.TravelToWork)
	case "39":
		return m.prognosis(s)
	case "40":
		return m.codeAnswer(s, id, "40.1", "work_measures", &c.WorkMeasures)
	case "44":
		return m.textAnswer(s, "44.1", "work_measures_text", &c.WorkMeasuresText)
	case "25":
		var other string
		if err := m.textAnswer(s, "25.1", "other", &other); err != nil {
			return err
		}
		c.NotExaminedReason, c.EarlyStartReason, c.Other = splitOther(other)
	case "26":
		v, t, err := m.boolAndText(s, id, "contact_fk", "contact_reason")
		if err != nil {
			return err
		}
		c.ContactFK, c.ContactReason = v, t
	default:
		if n, err := strconv.Atoi(id); err == nil && n >= 9001 && strconv.Itoa(n) == id {
			return m.additional(s, id)
		}
		return perr("", answerID(id, ""), ParseUnknownAnswer, "svar "+strconv.Quote(id)+" is not part of LISJP")
	}
	return nil
}

// additional reads one of Försäkringskassan's additional questions: one
// delsvar, the svar id + ".1", with text (Inera's q9000 rules).
func (m *xmlMapper) additional(s *xmlSvar, id string) *ParseError {
	at := indexed("additional", len(m.c.Additional))
	if len(m.c.Additional) == maxListLen {
		return &ParseError{Field: "additional", Code: ParseTooManyElements, Message: "too many additional questions"}
	}
	if err := m.single(id, at); err != nil {
		return err
	}
	if err := checkDelsvar(s, id, at+".text", []string{id + ".1"}, id+".1"); err != nil {
		return err
	}
	t, err := text(&s.Delsvar[0], id, at+".text")
	if err != nil {
		return err
	}
	m.c.Additional = append(m.c.Additional, AdditionalAnswer{ID: id, Text: t})
	return nil
}

// textAnswer reads a single-instance svar with one text delsvar.
func (m *xmlMapper) textAnswer(s *xmlSvar, delID, field string, dst *string) *ParseError {
	return singleAnswer(m, s, delID, field, dst, text)
}

// boolAnswer reads a single-instance svar with one boolean delsvar.
func (m *xmlMapper) boolAnswer(s *xmlSvar, delID, field string, dst *bool) *ParseError {
	return singleAnswer(m, s, delID, field, dst, xmlBool)
}

// boolAndText reads single-instance svar id of a boolean delsvar, id.1,
// and an optional text delsvar, id.2 (arbetstidsförläggning with its
// motivation, kontakt med FK with its reason).
func (m *xmlMapper) boolAndText(s *xmlSvar, id, boolField, textField string) (v bool, t string, err *ParseError) {
	if err := m.single(id, boolField); err != nil {
		return false, "", err
	}
	boolID, textID := id+".1", id+".2"
	if err := checkDelsvar(s, id, boolField, []string{boolID, textID}, boolID); err != nil {
		return false, "", err
	}
	for i := range s.Delsvar {
		d := &s.Delsvar[i]
		switch strings.TrimSpace(d.ID) {
		case boolID:
			v, err = xmlBool(d, id, boolField)
		case textID:
			t, err = text(d, id, textField)
		}
		if err != nil {
			return false, "", err
		}
	}
	return v, t, nil
}

// singleAnswer reads a single-instance svar whose one delsvar, delID, read
// reads into dst.
func singleAnswer[T any](m *xmlMapper, s *xmlSvar, delID, field string, dst *T, read func(*xmlDelsvar, string, string) (T, *ParseError)) *ParseError {
	id := strings.TrimSpace(s.ID)
	if err := m.single(id, field); err != nil {
		return err
	}
	v, err := onlyDelsvar(s, id, delID, field, read)
	if err != nil {
		return err
	}
	*dst = v
	return nil
}

// onlyDelsvar checks that svar id holds delsvar delID and nothing else, and
// reads it with read.
func onlyDelsvar[T any](s *xmlSvar, id, delID, field string, read func(*xmlDelsvar, string, string) (T, *ParseError)) (T, *ParseError) {
	if err := checkDelsvar(s, id, field, []string{delID}, delID); err != nil {
		var zero T
		return zero, err
	}
	return read(&s.Delsvar[0], id, field)
}

var diagnosisDelsvar = []string{"6.1", "6.2", "6.3", "6.4", "6.5", "6.6"}

// diagnoses reads svar 6: pairs of text (6.1, 6.3, 6.5) and code (6.2, 6.4,
// 6.6), one pair per diagnosis, each pair complete and a later one only
// after the earlier ones; all in one code system, ICD-10-SE or KSH97-P.
func (m *xmlMapper) diagnoses(s *xmlSvar) *ParseError {
	if err := m.single("6", "diagnoses"); err != nil {
		return err
	}
	if err := checkDelsvar(s, "6", "diagnoses", diagnosisDelsvar, "6.1", "6.2"); err != nil {
		return err
	}
	var ds [3]Diagnosis
	var set [6]bool
	for i := range s.Delsvar {
		d := &s.Delsvar[i]
		did := strings.TrimSpace(d.ID)
		k := indexOf(diagnosisDelsvar, did)
		n := k / 2
		set[k] = true
		if k%2 == 0 {
			t, err := text(d, "6", indexed("diagnoses", n)+".text")
			if err != nil {
				return err
			}
			ds[n].Text = t
			continue
		}
		at := indexed("diagnoses", n) + ".code"
		ans := answerID("6", did)
		if d.CV == nil {
			return perr(at, ans, ParseInvalidType, "delsvar "+did+" must hold a cv")
		}
		if err := checkCV(d.CV, at, ans); err != nil {
			return err
		}
		if d.CV.CodeSystem == nil {
			return perr(at, ans, ParseInvalidCodeSystem, "a diagnosis needs its codeSystem (ICD-10-SE or KSH97-P)")
		}
		switch sys := strings.TrimSpace(d.CV.CodeSystem.Text); sys {
		case oidICD10SE:
		case oidKSH97P:
			ds[n].System = SystemKSH97P
		default:
			return perr(at, ans, ParseUnsupportedSystem, "code system "+strconv.Quote(sys)+" is neither ICD-10-SE nor KSH97-P")
		}
		code := strings.TrimSpace(d.CV.Code.Text)
		if strings.Contains(code, ".") {
			return perr(at, ans, CodeInvalidDiagnosis, "a diagnosis code is sent without the dot, such as F321")
		}
		ds[n].Code = code
	}
	for n := range ds {
		if set[2*n] != set[2*n+1] {
			missing := diagnosisDelsvar[2*n]
			if !set[2*n+1] {
				missing = diagnosisDelsvar[2*n+1]
			}
			return perr(indexed("diagnoses", n), answerID("6", missing), ParseEmptyAnswer,
				"a diagnosis needs both its text and its code")
		}
		if n > 0 && set[2*n] && !set[2*n-2] {
			return perr(indexed("diagnoses", n-1), answerID("6", diagnosisDelsvar[2*n-2]), ParseEmptyAnswer,
				"a third diagnosis needs the second")
		}
		if set[2*n] {
			m.c.Diagnoses = append(m.c.Diagnoses, ds[n])
		}
	}
	return nil
}

func (m *xmlMapper) prognosis(s *xmlSvar) *ParseError {
	if err := m.single("39", "prognosis"); err != nil {
		return err
	}
	if err := checkDelsvar(s, "39", "prognosis", []string{"39.1", "39.2", "39.3", "39.4"}, "39.1"); err != nil {
		return err
	}
	p := new(Prognosis)
	for i := range s.Delsvar {
		d := &s.Delsvar[i]
		var err *ParseError
		switch strings.TrimSpace(d.ID) {
		case "39.1":
			p.Type, err = cvCode(d, "39", "prognosis.type")
		case "39.2":
			p.Description, err = text(d, "39", "prognosis.description")
		case "39.3":
			var code string
			if code, err = cvCode(d, "39", "prognosis.days"); err == nil {
				p.Days = -1
				for _, pd := range prognosisDays {
					if pd.code == code {
						p.Days = pd.days
					}
				}
				if p.Days < 0 {
					return perr("prognosis.days", answerID("39", "39.3"), ParseInvalidNumber,
						strconv.Quote(code)+" is not a code of KV_FKMU_0007")
				}
			}
		case "39.4":
			if len(d.Inner) > 0 || d.CV != nil || d.Period != nil {
				return nested("prognosis.months", answerID("39", "39.4"))
			}
			v, aerr := strconv.Atoi(strings.TrimSpace(d.Text))
			if aerr != nil || v < 0 || v > 1e6 {
				return perr("prognosis.months", answerID("39", "39.4"), ParseInvalidNumber, "delsvar 39.4 must be a whole number")
			}
			p.Months = v
		}
		if err != nil {
			return err
		}
	}
	m.c.Prognosis = p
	return nil
}

// checkCV refuses elements nested in code or codeSystem and a second
// displayName.
func checkCV(cv *xmlCV, field, ans string) *ParseError {
	if len(cv.Code.Inner) > 0 || (cv.CodeSystem != nil && len(cv.CodeSystem.Inner) > 0) {
		return nested(field, ans)
	}
	if len(cv.DisplayName) > 1 {
		return perr(field, ans, ParseRepeatedDisplayName, "a cv has at most one displayName")
	}
	return nil
}

// cvCode reads the code of a coded delsvar of one of Försäkringskassan's
// code lists, whose codeSystem must name that list.
func cvCode(d *xmlDelsvar, svar, field string) (string, *ParseError) {
	did := strings.TrimSpace(d.ID)
	ans := answerID(svar, did)
	if d.CV == nil {
		return "", perr(field, ans, ParseInvalidType, "delsvar "+did+" must hold a cv")
	}
	if err := checkCV(d.CV, field, ans); err != nil {
		return "", err
	}
	want := cvSystems[did]
	if d.CV.CodeSystem == nil || strings.TrimSpace(d.CV.CodeSystem.Text) != want {
		return "", perr(field, ans, ParseInvalidCodeSystem, "the codeSystem of delsvar "+did+" must be "+want)
	}
	code := strings.TrimSpace(d.CV.Code.Text)
	if code == "" {
		return "", perr(field, ans, ParseEmptyAnswer, "delsvar "+did+" has no code")
	}
	return code, nil
}

func xmlDate(d *xmlDelsvar, svar, field string) (Date, *ParseError) {
	ans := answerID(svar, strings.TrimSpace(d.ID))
	if d.CV != nil || d.Period != nil || len(d.Inner) > 0 {
		return Date{}, nested(field, ans)
	}
	return leafDate(xmlLeaf{Text: d.Text}, ans, field)
}

// leafDate reads an xs:date: YYYY-MM-DD, optionally with a time-zone
// suffix ("Z", "+01:00"), which a calendar day does not need.
func leafDate(l xmlLeaf, ans, field string) (Date, *ParseError) {
	if len(l.Inner) > 0 {
		return Date{}, nested(field, ans)
	}
	s := strings.TrimSpace(l.Text)
	if s == "" {
		return Date{}, perr(field, ans, ParseEmptyAnswer, "the date is empty")
	}
	if len(s) > 10 && validZone(s[10:]) {
		s = s[:10]
	}
	d, err := ParseDate(s)
	if err != nil {
		return Date{}, perr(field, ans, ParseInvalidDate, err.Error())
	}
	return d, nil
}

// validZone reports whether z is an xs:date time zone: Z or ±hh:mm.
func validZone(z string) bool {
	if z == "Z" {
		return true
	}
	if len(z) != 6 || (z[0] != '+' && z[0] != '-') || z[3] != ':' {
		return false
	}
	for _, i := range []int{1, 2, 4, 5} {
		if z[i] < '0' || z[i] > '9' {
			return false
		}
	}
	return true
}

// xmlBool reads an xs:boolean.
func xmlBool(d *xmlDelsvar, svar, field string) (bool, *ParseError) {
	ans := answerID(svar, strings.TrimSpace(d.ID))
	if d.CV != nil || d.Period != nil || len(d.Inner) > 0 {
		return false, nested(field, ans)
	}
	switch strings.TrimSpace(d.Text) {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, perr(field, ans, ParseInvalidBoolean, "expected true or false")
}

// splitOther takes svar 25 apart into the not-examined reason, the
// early-start reason and the rest (UtlatandeToIntyg.buildOvrigaUpplysningar
// joins them in this order with "\n").
func splitOther(s string) (notExamined, earlyStart, other string) {
	rest := s
	if r, ok := strings.CutPrefix(rest, prefixNotExamined); ok {
		if i := strings.Index(r, "\n"+prefixEarlyStart); i >= 0 {
			notExamined, rest = r[:i], r[i+1:]
		} else if i := strings.IndexByte(r, '\n'); i >= 0 {
			notExamined, rest = r[:i], r[i+1:]
		} else {
			notExamined, rest = r, ""
		}
	}
	if r, ok := strings.CutPrefix(rest, prefixEarlyStart); ok {
		if i := strings.IndexByte(r, '\n'); i >= 0 {
			earlyStart, rest = r[:i], r[i+1:]
		} else {
			earlyStart, rest = r, ""
		}
	}
	return notExamined, earlyStart, rest
}

// JoinOther builds svar 25 from the three fields, as Webcert does: the
// inverse of the split ParseXML makes, for writing RegisterCertificate.
func JoinOther(notExamined, earlyStart, other string) string {
	var parts []string
	if !isBlank(notExamined) {
		parts = append(parts, prefixNotExamined+notExamined)
	}
	if !isBlank(earlyStart) {
		parts = append(parts, prefixEarlyStart+earlyStart)
	}
	if !isBlank(other) {
		parts = append(parts, other)
	}
	return strings.Join(parts, "\n")
}
