package certificates

// InboxPerPage is how many certificates an inbox page lists, for the tests.
const InboxPerPage = inboxPerPage
