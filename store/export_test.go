package store

// OneTermHitsQuery is oneTermHitsQuery, for the test of its plan.
var OneTermHitsQuery = oneTermHitsQuery
