package site

import (
	"errors"
	"net/http"

	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
)

// PathAssociation is the association whose slug the request's path gives
// as {name}: 404 for no organisation of that slug or one that is not an
// association, 503 when it cannot be read.
func (s *Site) PathAssociation(r *http.Request, name string) (organisation.Organisation, error) {
	org, err := store.OrganisationBySlug(r.Context(), s.Store, r.PathValue(name))
	if errors.Is(err, store.ErrNotFound) || err == nil && org.Type != organisation.Association {
		return organisation.Organisation{}, NotFound()
	}
	if err != nil {
		return organisation.Organisation{}, Unavailable("find association", err)
	}
	return org, nil
}
