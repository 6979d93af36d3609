// Package association holds the domain of a coordination association
// (samordningsförbund) under lag (2003:1210) om finansiell samordning av
// rehabiliteringsinsatser: money in öre, the financing split between the
// members, the state's allocation model between associations, insatser,
// participants with consent or anonymous registration, their measurements
// at start and end, code lists with their sources, and the small-cell
// suppression of anything that leaves the association.
//
// The package is pure: no I/O, no clock. "Today" is a parameter. Storage is
// in package store, which imports this package (never the reverse).
//
// The facts come from the law (the financing split is its 5 §), from SUS,
// the follow-up system associations reported to until 2023, and from its
// successor, Försäkringskassan's Uppföljning Finsam (www.finsam.se); the
// code lists name their own sources.
package association
