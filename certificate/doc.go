// Package certificate is the FK 7804 medical certificate (Inera type lisjp,
// "Läkarintyg för sjukpenning"): its model, its two wire forms, the rules
// the sending systems apply, a quality score, and the stable form finsam
// stores.
//
//   - ParseJSON reads finsam's JSON form strictly; ParseXML reads Inera's
//     RegisterCertificate (type LISJP) in both namespaces real senders use
//     (v3, and v2 of Inera's first schema). Both give the same Certificate,
//     and structural problems are *ParseError (HTTP 400), refused as
//     Inera's schematron refuses them.
//   - Validate checks every rule at once and returns FieldErrors with the
//     JSON path and a stable code (HTTP 422).
//   - Assess scores quality 0–100 with findings: what Försäkringskassan
//     would ask the doctor to supplement, by answer id.
//   - Canonical is the normalised JSON that is stored and compared for
//     idempotent intake; Periods gives the sick leave in percent for case
//     work.
//
// The package is pure: standard library and finsam's personnummer and civil only, no
// I/O besides the io.Reader LoadFMBCSV reads, no clock (Validate takes
// today), no mutable global state.
//
// # Sources
//
// The rules are Inera's, read from their public source code (the domain
// notes in finsam's shared documentation, certificates.md, give the commits
// and paths):
//
//   - fields, answer (svar) ids and code lists: sklintyg/common fk/lisjp v1
//     (UtlatandeToIntyg, RespConstants) and the transport examples;
//   - validation: InternalDraftValidatorImpl and ValidatorUtilFK (R1–R29,
//     limits of 4 occupations and 10 work measures, psychiatric codes of at
//     least 4 characters, the blank-text rule), the lisjp schematron (at
//     most 4 periods and 5 bases), InternalDate (dates from 1900);
//   - FK7804 v2.0 (sklintyg/certificate-service, CertificateModelFactoryFK7804):
//     the basis codes FYSISKUNDERSOKNING and DIGITALUNDERSOKNING, the
//     prognosis in months, work measures as text only, 4000 characters of
//     free text;
//   - personnummer and samordningsnummer: package personnummer, after
//     Inera's PersonnummerValidator; HSA-ids: HsaIdValidator and
//     SimpleHsaIdValidator (see hsaid.go for how both are accepted);
//   - svar 25: Webcert joins the not-examined reason and the early-start
//     reason into it with fixed prefixes (buildOvrigaUpplysningar);
//     ParseXML splits them back out;
//   - FMB: Socialstyrelsen's försäkringsmedicinska beslutsstöd, in
//     fmbdata/fmb.csv with the page of each value, converted to days as
//     Webcert does (wk = 7, mo = 31); the check itself follows Webcert's
//     (the largest maximum among the diagnoses against the contiguous sick
//     leave).
//
// # Decisions where the sources leave room
//
//   - null in JSON means "not given" for every field.
//   - Under smittskydd the requirements Inera drops are dropped, but what
//     is given must still be consistent.
//   - The model version (RegisterCertificate's version, "version" in
//     JSON, the newest when JSON names none) decides the code lists,
//     answers and limits: lisjp v1 and FK7804 v2 are validated each by its
//     own rules, and an answer the version does not have is refused.
//   - finsam's verdict is tested against Inera's public FK 7804 test
//     certificates (the corpus test, when they are at hand): the same
//     verdict on every one, and Webcert's own certificates accepted as sent.
//   - HSA-ids of Inera's test catalogue (TSTNMT…) are accepted; the
//     certificate is marked as signed in a test environment
//     (TestEnvironment), which keeps it out of statistics.
//   - XML codes, dates and ids are trimmed (Inera accepts codes with white
//     space around them); free text is kept as sent, apart from line
//     endings, which Canonical writes as "\n" in both forms.
//   - A signing time without an offset is Swedish local time, computed
//     from Sweden's summer-time rules without a zone database.
//   - Quality heuristics and weights are finsam's own and are documented
//     at Assess.
package certificate
