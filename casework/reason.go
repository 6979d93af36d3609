package casework

import "strconv"

// Reason says in plain language why the warning was raised, quoting its
// Args: lang "en" gives English, anything else Swedish. A warning of an
// unknown kind gives its Rule. Missing Args read as 0, so that a stored
// warning from an older version still renders.
func (w Warning) Reason(lang string) string {
	en := lang == "en"
	a := func(i int) int {
		if i < len(w.Args) {
			return w.Args[i]
		}
		return 0
	}
	switch w.Kind {
	case WarningNoPlanDay90:
		if en {
			return "The sickness case is on day " + itoa(a(0)) + " and is expected to pass day 90 in " + days(a(1), en) +
				" with no return-to-work plan and no planned actions."
		}
		return "Sjukfallet är på dag " + itoa(a(0)) + " och väntas passera dag 90 om " + days(a(1), en) +
			" utan plan för återgång i arbete eller planerade åtgärder."
	case WarningFMBExceeded:
		if en {
			return "The sick leave is certified for " + days(a(0), en) + ", longer than the " + days(a(1), en) +
				" FMB recommends for the diagnosis, and the certificate does not justify the longer sick leave."
		}
		return "Sjukskrivningen är intygad för " + days(a(0), en) + ", längre än de " + days(a(1), en) +
			" som FMB rekommenderar för diagnosen, och intyget motiverar inte den längre sjukskrivningen."
	case WarningRepeatedCases:
		if en {
			return "The person has had " + itoa(a(0)) + plural(a(0), " sickness case", " sickness cases") +
				" in the last " + plural(a(1), "month", itoa(a(1))+" months") + "."
		}
		return "Personen har haft " + itoa(a(0)) + " sjukfall under " +
			plural(a(1), "den senaste månaden", "de senaste "+itoa(a(1))+" månaderna") + "."
	case WarningCertificateQual:
		return qualityReason(a(0), a(1), a(2), en)
	case WarningNoContact:
		if en {
			return "No contact with the insured person has been recorded for " + days(a(0), en) + "."
		}
		return "Ingen kontakt med den försäkrade har registrerats på " + days(a(0), en) + "."
	case WarningTimeLimitNearing:
		if en {
			return "The time limit (bortre tidsgräns) is reached in " + days(a(0), en) + "."
		}
		return "Den bortre tidsgränsen nås om " + days(a(0), en) + "."
	}
	return w.Rule
}

// qualityReason names what is wrong: a score below the threshold (a
// negative score means no certificate), unanswered supplement requests,
// or both.
func qualityReason(score, threshold, unanswered int, en bool) string {
	var s string
	if score >= 0 && score < threshold {
		if en {
			s = "The latest medical certificate scores " + itoa(score) + ", below the threshold of " + itoa(threshold) + "."
		} else {
			s = "Det senaste läkarintyget har kvalitetspoäng " + itoa(score) + ", under gränsen " + itoa(threshold) + "."
		}
	}
	if unanswered > 0 {
		if s != "" {
			s += " "
		}
		if en {
			s += itoa(unanswered) + plural(unanswered, " request for supplementary information is", " requests for supplementary information are") + " unanswered."
		} else {
			s += itoa(unanswered) + plural(unanswered, " begäran om komplettering är obesvarad.", " begäranden om komplettering är obesvarade.")
		}
	}
	return s
}

// DeadlineLabel is the short title of a deadline kind: lang "en" gives
// English, anything else Swedish; an unknown kind gives the kind itself.
func DeadlineLabel(kind, lang string) string { return label(deadlineLabels, kind, lang) }

// WarningLabel is the short title of a warning kind, as DeadlineLabel.
func WarningLabel(kind, lang string) string { return label(warningLabels, kind, lang) }

// label is kind's label in labels, in English for lang "en" and Swedish
// otherwise; an unknown kind is its own label.
func label(labels map[string][2]string, kind, lang string) string {
	l, ok := labels[kind]
	if !ok {
		return kind
	}
	if lang == "en" {
		return l[1]
	}
	return l[0]
}

// Labels in Swedish and English.
var deadlineLabels = map[string][2]string{
	DeadlineReturnPlan:     {"Plan för återgång i arbete", "Return-to-work plan"},
	DeadlineAssessDay91:    {"Bedömning inför dag 91", "Assessment before day 91"},
	DeadlineAssessDay181:   {"Bedömning inför dag 181", "Assessment before day 181"},
	DeadlineAssessDay366:   {"Bedömning inför dag 366", "Assessment before day 366"},
	DeadlineTimeLimit:      {"Bortre tidsgräns", "Time limit"},
	DeadlineCertificateEnd: {"Läkarintyget går ut", "Certificate ends"},
	DeadlineSupplement:     {"Komplettering av läkarintyg", "Certificate supplement"},
}

var warningLabels = map[string][2]string{
	WarningNoPlanDay90:      {"Ingen plan inför dag 90", "No plan before day 90"},
	WarningFMBExceeded:      {"Längre än FMB rekommenderar", "Longer than FMB recommends"},
	WarningRepeatedCases:    {"Upprepade sjukfall", "Repeated sickness cases"},
	WarningCertificateQual:  {"Brister i läkarintyget", "Certificate quality"},
	WarningNoContact:        {"Ingen kontakt", "No contact"},
	WarningTimeLimitNearing: {"Bortre tidsgränsen närmar sig", "Time limit nearing"},
}

func itoa(n int) string { return strconv.Itoa(n) }

// days is "1 dag" / "n dagar" ("1 day" / "n days").
func days(n int, en bool) string {
	if en {
		return itoa(n) + plural(n, " day", " days")
	}
	return itoa(n) + plural(n, " dag", " dagar")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
