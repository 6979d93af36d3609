package coordination

import "github.com/finsam/finsam/civil"

// FeeRate is the most FK pays a doctor for taking part in an
// avstämningsmöte FK called: an amount for the first hour and one for every
// started half-hour after it. Preparation and follow-up work are not paid;
// VAT is added (the service is not exempt as health care).
type FeeRate struct {
	// From is the first meeting day the rate applies to.
	From        civil.Date
	FirstHourKr int64
	HalfHourKr  int64
	Source      string
	// Confirmed is false where the rate's source is not FK's own text or
	// the day it took effect could not be read.
	Confirmed bool
	Note      string
}

// FeeRates are the rates by the day they apply from, oldest first.
var FeeRates = []FeeRate{{
	From:        civil.MustParse("2024-01-01"),
	FirstHourKr: 750,
	HalfHourKr:  375,
	Source: "Vårdgivarguiden (Region Stockholm), \"Avstämningsmöte med Försäkringskassan\", updated 2024-01-01: " +
		"https://vardgivarguiden.se/administration/patientadministration/patientavgifter/avgiftshandboken/oppenvard/avstamningsmote-med-forsakringskassan/",
	Confirmed: false,
	// Searched in 2026-12 for FK's own rate (its pages for health care,
	// its news archive, FKFS föreskrifter): only the region's guide states
	// the amounts; FK's pages found state other fees (läkarutlåtande) and
	// no FKFS found sets this one.
	Note: "UNCONFIRMED: the amounts are read from a region's guide, not from FK's own page or föreskrifter; " +
		"the day they took effect is not stated there (2024-01-01 is the page's date).",
}}

// RateOn is the rate that applies to a meeting on day, and false before
// the first known rate.
func RateOn(day civil.Date) (FeeRate, bool) {
	var out FeeRate
	ok := false
	for _, r := range FeeRates {
		if !day.Before(r.From) {
			out, ok = r, true
		}
	}
	return out, ok
}

// DoctorFeeKr is the most a doctor may claim for taking part minutes in a
// meeting under rate r: the first hour's amount for any part of the first
// hour, then the half-hour amount for every started half-hour. Zero
// minutes claim nothing.
func DoctorFeeKr(r FeeRate, minutes int) int64 {
	if minutes <= 0 {
		return 0
	}
	fee := r.FirstHourKr
	if extra := minutes - 60; extra > 0 {
		fee += int64((extra+29)/30) * r.HalfHourKr
	}
	return fee
}
