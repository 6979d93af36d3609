package dashboards

// SetListPage makes a figure's list n cases a page until restore is
// called: the national reconciliation reads lists of 200,000 cases whole.
// Tests that call it must not run in parallel with others of the package.
func SetListPage(n int) (restore func()) {
	old := listPage
	listPage = n
	return func() { listPage = old }
}
