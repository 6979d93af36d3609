package web

import "context"

// oidcButtons lists the organisations that sign in through their own
// identity provider, for the sign-in page.
func (s *Server) oidcButtons(ctx context.Context) []oidcButton {
	rows, err := s.store.Query(ctx, `SELECT o.slug, p.display_name FROM oidc_providers p
		JOIN organisations o ON o.id = p.org_id ORDER BY p.display_name`)
	if err != nil {
		s.log.ErrorContext(ctx, "list identity providers", "err", err)
		return nil
	}
	defer rows.Close()
	var out []oidcButton
	for rows.Next() {
		var b oidcButton
		if rows.Scan(&b.Slug, &b.Name) == nil {
			out = append(out, b)
		}
	}
	return out
}
