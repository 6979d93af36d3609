package certificate

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
)

// The RegisterCertificate v3 document, as far as finsam reads it. Tags name
// local names only, so encoding/xml matches them in any namespace and with
// any prefix; elements finsam does not use (addresses, befattning,
// underskrift …) are skipped.
type xmlRegister struct {
	Intyg *xmlIntyg `xml:"intyg"`
}

type xmlII struct {
	Root      string `xml:"root"`
	Extension string `xml:"extension"`
}

type xmlCV struct {
	Code       string `xml:"code"`
	CodeSystem string `xml:"codeSystem"`
}

type xmlIntyg struct {
	IntygsID   xmlII  `xml:"intygs-id"`
	Typ        *xmlCV `xml:"typ"`
	Signed     string `xml:"signeringstidpunkt"`
	PersonID   xmlII  `xml:"patient>person-id"`
	PersonalID xmlII  `xml:"skapadAv>personal-id"`
	Namn       string `xml:"skapadAv>fullstandigtNamn"`
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
	Delsvar []xmlDelsvar `xml:"delsvar"`
}

type xmlDelsvar struct {
	ID     string `xml:"id,attr"`
	Text   string `xml:",chardata"`
	CV     *xmlCV `xml:"cv"`
	Period *struct {
		Start string `xml:"start"`
		End   string `xml:"end"`
	} `xml:"datePeriod"`
}

// ParseXML decodes a RegisterCertificate v3 document of type LISJP (svar
// 1, 6, 17, 19, 20, 25–29, 32–35, 37, 39, 40, 44) onto the same model as
// ParseJSON. The RegisterCertificate element may be the root or inside a
// SOAP envelope; namespace prefixes do not matter. Codes, dates and
// identifiers are trimmed (they are tokens in the schema, and Inera accepts
// codes with surrounding white space); free text is kept as it is.
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
// Structural problems are *ParseError: not XML, no RegisterCertificate/intyg,
// a type other than LISJP, a svar or delsvar id finsam does not know (such
// as FK's tilläggsfrågor, which the model cannot hold), a single answer
// given twice, malformed booleans, dates and numbers, and diagnoses in a
// code system other than ICD-10-SE. Field names the JSON path of the value.
func ParseXML(data []byte) (*Certificate, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var reg xmlRegister
	found := false
	for !found {
		tok, err := d.Token()
		if err == io.EOF {
			return nil, &ParseError{Code: ParseNotACertificate, Message: "no RegisterCertificate element"}
		}
		if err != nil {
			return nil, xmlSyntax(err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "RegisterCertificate" {
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
	return fromXML(reg.Intyg)
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

func fromXML(in *xmlIntyg) (*Certificate, error) {
	if in.Typ == nil || !strings.EqualFold(strings.TrimSpace(in.Typ.Code), typeCodeLISJP) {
		got := ""
		if in.Typ != nil {
			got = strings.TrimSpace(in.Typ.Code)
		}
		return nil, &ParseError{Code: ParseUnsupportedType,
			Message: "certificate type " + strconv.Quote(got) + " is not LISJP (FK 7804)"}
	}
	c := &Certificate{
		ID:      strings.TrimSpace(in.IntygsID.Extension),
		Patient: Patient{Personnummer: strings.TrimSpace(in.PersonID.Extension)},
		Issuer: Issuer{
			HSAID:             strings.TrimSpace(in.PersonalID.Extension),
			Name:              in.Namn,
			UnitHSAID:         strings.TrimSpace(in.Enhet.ID.Extension),
			UnitName:          in.Enhet.Namn,
			CareProviderHSAID: strings.TrimSpace(in.Enhet.Vardgivare.ID.Extension),
			CareProviderName:  in.Enhet.Vardgivare.Namn,
		},
	}
	if s := strings.TrimSpace(in.Signed); s != "" {
		t, err := parseXMLDateTime(s)
		if err != nil {
			return nil, &ParseError{Field: "signed_at", Code: ParseInvalidDateTime,
				Message: "signeringstidpunkt must be an xs:dateTime such as 2026-03-02T10:15:00"}
		}
		c.SignedAt = t
	}
	switch len(in.Relation) {
	case 0:
	case 1:
		c.Relation = &Relation{Type: strings.TrimSpace(in.Relation[0].Typ.Code),
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

// parseXMLDateTime reads an xs:dateTime; without an offset it is Swedish
// local time.
func parseXMLDateTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	t, err := time.Parse("2006-01-02T15:04:05.999999999", s)
	if err != nil {
		return time.Time{}, err
	}
	return fromStockholmWall(t), nil
}

// single marks a single-instance svar as seen, refusing a repeat.
func (m *xmlMapper) single(id, field string) *ParseError {
	if m.seen[id] {
		return &ParseError{Field: field, Code: ParseDuplicateAnswer, Message: "svar " + id + " appears more than once"}
	}
	m.seen[id] = true
	return nil
}

func unknownDelsvar(svar, del string) *ParseError {
	return &ParseError{Code: ParseUnknownAnswer, Message: "svar " + svar + " has no delsvar " + strconv.Quote(del) + " in LISJP"}
}

func (m *xmlMapper) svar(s *xmlSvar) *ParseError {
	c := m.c
	id := strings.TrimSpace(s.ID)
	// The field each svar fills, for error paths.
	switch id {
	case "1":
		if len(c.Basis) == maxListLen {
			return &ParseError{Field: "basis", Code: ParseTooManyElements, Message: "too many svar 1"}
		}
		at := indexed("basis", len(c.Basis))
		var b Basis
		for _, d := range s.Delsvar {
			var err *ParseError
			switch strings.TrimSpace(d.ID) {
			case "1.1":
				b.Type, err = cvCode(d, at+".type")
			case "1.2":
				b.Date, err = xmlDate(d.Text, at+".date")
			case "1.3":
				b.Description = d.Text
			default:
				return unknownDelsvar(id, d.ID)
			}
			if err != nil {
				return err
			}
		}
		c.Basis = append(c.Basis, b)
	case "27":
		return m.boolAnswer(s, "27.1", "smittskydd", &c.Smittskydd)
	case "28":
		if len(c.Occupation) == maxListLen {
			return &ParseError{Field: "occupation", Code: ParseTooManyElements, Message: "too many svar 28"}
		}
		for _, d := range s.Delsvar {
			if strings.TrimSpace(d.ID) != "28.1" {
				return unknownDelsvar(id, d.ID)
			}
			code, err := cvCode(d, indexed("occupation", len(c.Occupation)))
			if err != nil {
				return err
			}
			c.Occupation = append(c.Occupation, code)
		}
	case "29":
		return m.textAnswer(s, "29.1", "current_work", &c.CurrentWork)
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
		if len(c.SickLeave) == maxListLen {
			return &ParseError{Field: "sick_leave", Code: ParseTooManyElements, Message: "too many svar 32"}
		}
		at := indexed("sick_leave", len(c.SickLeave))
		var sl SickLeave
		for _, d := range s.Delsvar {
			var err *ParseError
			switch strings.TrimSpace(d.ID) {
			case "32.1":
				sl.Degree, err = cvCode(d, at+".degree")
			case "32.2":
				if d.Period == nil {
					return &ParseError{Field: at + ".from", Code: ParseInvalidType, Message: "delsvar 32.2 must hold a datePeriod"}
				}
				if sl.From, err = xmlDate(d.Period.Start, at+".from"); err == nil {
					sl.To, err = xmlDate(d.Period.End, at+".to")
				}
			default:
				return unknownDelsvar(id, d.ID)
			}
			if err != nil {
				return err
			}
		}
		c.SickLeave = append(c.SickLeave, sl)
	case "37":
		return m.textAnswer(s, "37.1", "fmb_motivation", &c.FMBMotivation)
	case "33":
		if err := m.single(id, "working_time_distribution"); err != nil {
			return err
		}
		for _, d := range s.Delsvar {
			switch strings.TrimSpace(d.ID) {
			case "33.1":
				v, err := xmlBool(d.Text, "working_time_distribution")
				if err != nil {
					return err
				}
				c.WorkingTimeDistribution = &v
			case "33.2":
				c.WorkingTimeMotivation = d.Text
			default:
				return unknownDelsvar(id, d.ID)
			}
		}
	case "34":
		return m.boolAnswer(s, "34.1", "travel_to_work", &c.TravelToWork)
	case "39":
		return m.prognosis(s)
	case "40":
		if len(c.WorkMeasures) == maxListLen {
			return &ParseError{Field: "work_measures", Code: ParseTooManyElements, Message: "too many svar 40"}
		}
		for _, d := range s.Delsvar {
			if strings.TrimSpace(d.ID) != "40.1" {
				return unknownDelsvar(id, d.ID)
			}
			code, err := cvCode(d, indexed("work_measures", len(c.WorkMeasures)))
			if err != nil {
				return err
			}
			c.WorkMeasures = append(c.WorkMeasures, code)
		}
	case "44":
		return m.textAnswer(s, "44.1", "work_measures_text", &c.WorkMeasuresText)
	case "25":
		var other string
		if err := m.textAnswer(s, "25.1", "other", &other); err != nil {
			return err
		}
		c.NotExaminedReason, c.EarlyStartReason, c.Other = splitOther(other)
	case "26":
		if err := m.single(id, "contact_fk"); err != nil {
			return err
		}
		for _, d := range s.Delsvar {
			switch strings.TrimSpace(d.ID) {
			case "26.1":
				v, err := xmlBool(d.Text, "contact_fk")
				if err != nil {
					return err
				}
				c.ContactFK = v
			case "26.2":
				c.ContactReason = d.Text
			default:
				return unknownDelsvar(id, d.ID)
			}
		}
	default:
		return &ParseError{Code: ParseUnknownAnswer, Message: "svar " + strconv.Quote(id) + " is not part of LISJP"}
	}
	return nil
}

// textAnswer reads a single-instance svar with one text delsvar.
func (m *xmlMapper) textAnswer(s *xmlSvar, delID, field string, dst *string) *ParseError {
	id := strings.TrimSpace(s.ID)
	if err := m.single(id, field); err != nil {
		return err
	}
	for _, d := range s.Delsvar {
		if strings.TrimSpace(d.ID) != delID {
			return unknownDelsvar(id, d.ID)
		}
		*dst = d.Text
	}
	return nil
}

func (m *xmlMapper) boolAnswer(s *xmlSvar, delID, field string, dst *bool) *ParseError {
	id := strings.TrimSpace(s.ID)
	if err := m.single(id, field); err != nil {
		return err
	}
	for _, d := range s.Delsvar {
		if strings.TrimSpace(d.ID) != delID {
			return unknownDelsvar(id, d.ID)
		}
		v, err := xmlBool(d.Text, field)
		if err != nil {
			return err
		}
		*dst = v
	}
	return nil
}

// diagnoses reads svar 6: pairs of text (6.1, 6.3, 6.5) and code (6.2, 6.4,
// 6.6), one pair per diagnosis.
func (m *xmlMapper) diagnoses(s *xmlSvar) *ParseError {
	if err := m.single("6", "diagnoses"); err != nil {
		return err
	}
	var ds [3]Diagnosis
	var set [3]bool
	for _, d := range s.Delsvar {
		did := strings.TrimSpace(d.ID)
		k := indexOf([]string{"6.1", "6.2", "6.3", "6.4", "6.5", "6.6"}, did)
		if k < 0 {
			return unknownDelsvar("6", d.ID)
		}
		n := k / 2
		set[n] = true
		if k%2 == 0 {
			ds[n].Text = d.Text
			continue
		}
		at := indexed("diagnoses", n) + ".code"
		code, err := cvCode(d, at)
		if err != nil {
			return err
		}
		if sys := strings.TrimSpace(d.CV.CodeSystem); sys != "" && sys != oidICD10SE {
			msg := "code system " + strconv.Quote(sys) + " is not ICD-10-SE"
			if sys == oidKSH97P {
				msg = "KSH97-P codes are not supported; use ICD-10-SE"
			}
			return &ParseError{Field: at, Code: ParseUnsupportedSystem, Message: msg}
		}
		ds[n].Code = code
	}
	for n := range ds {
		if set[n] {
			m.c.Diagnoses = append(m.c.Diagnoses, ds[n])
		}
	}
	return nil
}

func (m *xmlMapper) prognosis(s *xmlSvar) *ParseError {
	if err := m.single("39", "prognosis"); err != nil {
		return err
	}
	p := new(Prognosis)
	for _, d := range s.Delsvar {
		var err *ParseError
		switch strings.TrimSpace(d.ID) {
		case "39.1":
			p.Type, err = cvCode(d, "prognosis.type")
		case "39.2":
			// v2.0's basis of the assessment: the model has no field for it.
		case "39.3":
			var code string
			if code, err = cvCode(d, "prognosis.days"); err == nil {
				p.Days = -1
				for _, pd := range prognosisDays {
					if pd.code == code {
						p.Days = pd.days
					}
				}
				if p.Days < 0 {
					return &ParseError{Field: "prognosis.days", Code: ParseInvalidNumber,
						Message: strconv.Quote(code) + " is not a code of KV_FKMU_0007"}
				}
			}
		case "39.4":
			v, aerr := strconv.Atoi(strings.TrimSpace(d.Text))
			if aerr != nil || v < 0 || v > 1e6 {
				return &ParseError{Field: "prognosis.months", Code: ParseInvalidNumber, Message: "delsvar 39.4 must be a whole number"}
			}
			p.Months = v
		default:
			return unknownDelsvar("39", d.ID)
		}
		if err != nil {
			return err
		}
	}
	m.c.Prognosis = p
	return nil
}

func cvCode(d xmlDelsvar, field string) (string, *ParseError) {
	if d.CV == nil {
		return "", &ParseError{Field: field, Code: ParseInvalidType, Message: "delsvar " + d.ID + " must hold a cv"}
	}
	return strings.TrimSpace(d.CV.Code), nil
}

func xmlDate(s, field string) (Date, *ParseError) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	d, err := ParseDate(s)
	if err != nil {
		return Date{}, &ParseError{Field: field, Code: ParseInvalidDate, Message: err.Error()}
	}
	return d, nil
}

// xmlBool reads an xs:boolean.
func xmlBool(s, field string) (bool, *ParseError) {
	switch strings.TrimSpace(s) {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, &ParseError{Field: field, Code: ParseInvalidBoolean, Message: "expected true or false"}
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
