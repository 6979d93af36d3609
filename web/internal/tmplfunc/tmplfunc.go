// Package tmplfunc holds the template functions the feature packages'
// pages share.
package tmplfunc

import "fmt"

// Dict builds a map of name, value pairs: the one argument a template
// hands a partial that needs several values
// ({{template "x" (dict "Page" $ "Rows" .Rows)}}).
func Dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}
