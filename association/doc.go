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
// Facts and their sources: ../shared/domain/finsam.md (§1 the law and the
// financing, §2.2 SUS, §2.3 Uppföljning Finsam).
package association
