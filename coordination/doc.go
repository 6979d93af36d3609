// Package coordination holds the rules of coordinating one person's return
// to work across Försäkringskassan, Arbetsförmedlingen, the region and the
// municipality: the person's consents to share data between them (what a
// valid one must say), the meetings (avstämningsmöte, gemensam kartläggning,
// SIP) and who must take part, the one plan of actions each organisation
// owns its part of, and the doctor's fee for an avstämningsmöte.
//
// It is pure: no I/O and no clock ("today" and "now" are parameters). The
// access decisions themselves are package policy's; Consent.Policy turns a
// recorded consent into what policy reads. The sources are cited where each
// rule is; ADR 20 explains the consent and secrecy model.
package coordination
