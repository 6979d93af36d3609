package forbund

// Names the external tests check the package's answers against.
var Quarters = quarters

const MaxAllocationBytes = maxAllocationBytes

// APIYearlyReport is the yearly report as the API answers it.
type APIYearlyReport = apiYearlyReport
