package signin

// The throttle's limits, for the tests.
const (
	PairFree        = pairFree
	AccountMaxWait  = accountMaxWait
	AddrMaxAccounts = addrMaxAccounts
	AddrWindow      = addrWindow
)
