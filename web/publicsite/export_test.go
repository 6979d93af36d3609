package publicsite

// KeepResults turns the keeping of search results on and off, for the
// load test's measure of an uncached search.
func KeepResults(on bool) { keepResults = on }
