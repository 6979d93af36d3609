// Package organisation holds the authorities and other bodies that use
// finsam: Försäkringskassan, Arbetsförmedlingen, regions, municipalities,
// coordination associations (samordningsförbund) and care providers.
package organisation

import (
	"regexp"
	"slices"
	"time"
)

// Type is the kind of organisation.
type Type string

// The organisation types.
const (
	FK           Type = "fk"            // Försäkringskassan
	AF           Type = "af"            // Arbetsförmedlingen
	Region       Type = "region"        // a region (health care)
	Municipality Type = "municipality"  // a kommun
	Association  Type = "association"   // a samordningsförbund
	CareProvider Type = "care_provider" // a vårdgivare that sends certificates
)

// Types lists every type in display order.
var Types = []Type{FK, AF, Region, Municipality, Association, CareProvider}

// Valid reports whether t is a known type.
func (t Type) Valid() bool {
	return slices.Contains(Types, t)
}

// SendsCertificates reports whether organisations of type t send medical
// certificates: care providers, and regions, which run health care. The
// API and the import both hold to it.
func (t Type) SendsCertificates() bool { return t == CareProvider || t == Region }

// Organisation is one body using finsam.
type Organisation struct {
	ID int64
	// Slug is the stable, URL-safe name used on the command line and in
	// URLs, e.g. "region-gotland".
	Slug string
	Name string
	Type Type
	// Code is the official code where there is one: SCB's län code for a
	// region, kommun code for a municipality, HSA-id for a care provider.
	Code string
	// OrgNumber is the Swedish organisationsnummer (10 digits), if known.
	OrgNumber string
	// ParentID links e.g. a care provider to its region.
	ParentID  int64
	CreatedAt time.Time
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// FieldError names a field that failed validation.
type FieldError struct {
	Field string
	Code  string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Code }

// Validate checks the fields a caller sets.
func (o *Organisation) Validate() error {
	switch {
	case !slugPattern.MatchString(o.Slug) || len(o.Slug) > 64:
		return &FieldError{Field: "slug", Code: "invalid_slug"}
	case o.Name == "" || len(o.Name) > 200:
		return &FieldError{Field: "name", Code: "invalid_name"}
	case !o.Type.Valid():
		return &FieldError{Field: "type", Code: "unknown_type"}
	}
	return nil
}
