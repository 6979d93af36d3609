package tmplfunc

// List is its arguments as one slice: the one argument a template hands a
// partial that takes its values by position
// ({{template "table-head" (list $ "caption" "column")}}).
func List(v ...any) []any { return v }
