package web

import (
	"io"
	"net/http"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
)

type codeListView struct {
	Name, Title, Description, Source, Note string
	Complete, Own                          bool
	Codes                                  []association.Code
}

type codeListsData struct {
	Slug   string
	Lists  []codeListView
	Form   insForm
	Notice string
}

// maxCodeListBytes bounds an uploaded code list.
const maxCodeListBytes = 256 << 10

func (s *Server) renderCodeLists(w http.ResponseWriter, r *http.Request, a *actor, ar assocRequest, status int, errs association.Errors, notice string) {
	lang := language(w, r)
	cl, own, err := store.AssociationCodeLists(r.Context(), s.store, ar.Org.ID)
	if err != nil {
		s.unavailable(w, r, "code lists", err)
		return
	}
	d := codeListsData{Slug: ar.Org.Slug, Form: newInsForm(lang, "codes", nil, errs), Notice: notice}
	for _, name := range association.ListNames() {
		l := cl.List(name)
		d.Lists = append(d.Lists, codeListView{Name: name, Title: translate(lang, "assoc.ins.list."+name), Description: l.Description,
			Source: l.Source, Note: l.Note, Complete: l.Complete, Own: own[name], Codes: l.Codes})
	}
	s.render(w, r, status, "assoc_ins_codes", page{Lang: lang, Title: translate(lang, "assoc.ins.codes.title"), Actor: a, Data: d})
}

// codeListsPage is GET /forbund/{slug}/kodlistor: each list the
// association uses, with its source and completeness.
func (s *Server) codeListsPage(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, ok := s.loadAssociation(w, r, a, policy.ManageAssociation)
	if !ok {
		return
	}
	s.renderCodeLists(w, r, a, ar, http.StatusOK, nil, "")
}

// codeListsUpload is POST /forbund/{slug}/kodlistor: a multipart upload
// ("file") of one list in the format of association/codes/*.json, which
// replaces that list for this association.
func (s *Server) codeListsUpload(w http.ResponseWriter, r *http.Request, a *actor) {
	ar, ok := s.loadAssociation(w, r, a, policy.ManageAssociation)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxCodeListBytes+64<<10)
	if err := r.ParseMultipartForm(maxCodeListBytes); err != nil {
		s.fail(w, r, http.StatusBadRequest, "bad_request", "")
		return
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		s.renderCodeLists(w, r, a, ar, http.StatusUnprocessableEntity, association.Errors{assocFieldError(association.CodeRequired, "file",
			"choose a file", "välj en fil")}, "")
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, maxCodeListBytes))
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, "bad_request", "")
		return
	}
	var saved *association.CodeList
	err = s.store.Tx(r.Context(), func(tx *store.Tx) error {
		var err error
		if saved, err = store.SaveAssociationCodeList(r.Context(), tx, ar.Org.ID, data); err != nil {
			return err
		}
		ev := a.Event(r, "replace_code_list", audit.OutcomeOK, "association", ar.Org.Slug)
		ev.Purpose = "list=" + saved.Name
		return store.AppendAudit(r.Context(), tx, s.audit.Keys(), ev)
	})
	if es, isField := fieldErrors(err); isField {
		s.renderCodeLists(w, r, a, ar, http.StatusUnprocessableEntity, es, "")
		return
	}
	if err != nil {
		s.unavailable(w, r, "save code list", err)
		return
	}
	s.renderCodeLists(w, r, a, ar, http.StatusOK, nil, translate(language(w, r), "assoc.ins.codes.saved")+": "+translate(language(w, r), "assoc.ins.list."+saved.Name))
}
