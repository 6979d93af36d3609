package web

import (
	"context"
	"net/http"

	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/certintake"
	"github.com/finsam/finsam/web/internal/certview"
)

// The names the case work and the supplement requests, still in this
// package, use from the certificates (package web/certificates and the
// parts it shares in web/internal/certview), kept while they move into
// feature packages of their own.
type certRow = certview.Row

var (
	newCertRow       = certview.NewRow
	period           = certview.Period
	displayDiagnosis = certview.DisplayDiagnosis
)

// certificateIntake is the server's certificate intake (see
// certintake.Holder).
type certificateIntake struct{ *certintake.Holder }

// table is the FMB table in use and whether an administrator loaded it.
func (c certificateIntake) table() (*certificate.FMB, bool) { return c.Table() }

// fkOrganisation is the organisation certificates are addressed to (see
// certview.FK).
func (s *Server) fkOrganisation(ctx context.Context) (organisation.Organisation, bool, error) {
	return certview.FK(ctx, s.store)
}

// loadCertificate reads and authorizes the certificate of the path's {id}
// (see certview.Load); on false it has answered and the handler returns.
func (s *Server) loadCertificate(w http.ResponseWriter, r *http.Request, a *actor, act policy.Action) (store.CertificateRecord, organisation.Organisation, string, bool) {
	rec, fk, relation, err := certview.Load(s.site, r, a, act)
	if err != nil {
		s.site.Fail(w, r, err)
		return rec, fk, relation, false
	}
	return rec, fk, relation, true
}

// supplementPart is the supplement requests' part of a certificate's page
// (see certificates.Supplements).
func (s *Server) supplementPart(ctx context.Context, certificateID int64, lang string) (any, error) {
	return s.supplementView(ctx, certificateID, lang)
}
