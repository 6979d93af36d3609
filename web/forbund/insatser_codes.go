package forbund

import (
	"io"
	"net/http"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/assoctabs"
	"github.com/finsam/finsam/web/internal/participant"
	"github.com/finsam/finsam/web/internal/site"
)

type codeListView struct {
	Name, Title, Description, Source, Note string
	Complete, Own                          bool
	Codes                                  []association.Code
}

type codeListsData struct {
	Tabs   assoctabs.Nav
	Slug   string
	Lists  []codeListView
	Form   participant.Form
	Notice string
}

// maxCodeListBytes bounds an uploaded code list.
const maxCodeListBytes = 256 << 10

func (h *Handlers) renderCodeLists(w http.ResponseWriter, r *http.Request, a *site.Actor, ar assocRequest, status int, errs site.Problems, notice string) error {
	lang := site.Language(w, r)
	cl, own, err := store.AssociationCodeLists(r.Context(), h.Store, ar.Org.ID)
	if err != nil {
		return site.Unavailable("code lists", err)
	}
	d := codeListsData{Tabs: tabs(r, a, ar), Slug: ar.Org.Slug, Form: participant.NewForm(h.Messages, lang, "codes", nil, errs), Notice: notice}
	for _, name := range association.ListNames() {
		l := cl.List(name)
		// finsam's own lists are described in the page's language; an
		// association's list as its file describes it.
		about := l.Description
		if !own[name] {
			about = translate(lang, "assoc.ins.list."+name+".about")
		}
		d.Lists = append(d.Lists, codeListView{Name: name, Title: translate(lang, "assoc.ins.list."+name), Description: about,
			Source: l.Source, Note: l.Note, Complete: l.Complete, Own: own[name], Codes: l.Codes})
	}
	h.Render(w, r, status, "assoc_ins_codes", site.Page{Lang: lang, Title: translate(lang, "assoc.ins.codes.title"), Actor: a, Data: d})
	return nil
}

// CodeListsPage is GET /forbund/{slug}/kodlistor: each list the
// association uses, with its source and completeness.
func (h *Handlers) CodeListsPage(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, err := h.load(r, a, policy.ManageAssociation)
	if err != nil {
		return err
	}
	return h.renderCodeLists(w, r, a, ar, http.StatusOK, nil, "")
}

// CodeListsUpload is POST /forbund/{slug}/kodlistor: a multipart upload
// ("file") of one list in the format of association/codes/*.json, which
// replaces that list for this association.
func (h *Handlers) CodeListsUpload(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, err := h.load(r, a, policy.ManageAssociation)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxCodeListBytes+64<<10)
	if err := r.ParseMultipartForm(maxCodeListBytes); err != nil {
		return site.BadRequest()
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		return h.renderCodeLists(w, r, a, ar, http.StatusUnprocessableEntity, site.Problems{participant.Problem(association.CodeRequired, "file",
			"choose a file", "välj en fil")}, "")
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, maxCodeListBytes))
	if err != nil {
		return site.BadRequest()
	}
	var saved *association.CodeList
	err = h.Store.Tx(r.Context(), func(tx *store.Tx) error {
		var err error
		if saved, err = store.SaveAssociationCodeList(r.Context(), tx, ar.Org.ID, data); err != nil {
			return err
		}
		ev := a.Event(r, "replace_code_list", audit.OutcomeOK, "association", ar.Org.Slug)
		ev.Purpose = "list=" + saved.Name
		return store.AppendAudit(r.Context(), tx, h.Audit.Keys(), ev)
	})
	if es, isField := participant.Problems(err); isField {
		return h.renderCodeLists(w, r, a, ar, http.StatusUnprocessableEntity, es, "")
	}
	if err != nil {
		return site.Unavailable("save code list", err)
	}
	return h.renderCodeLists(w, r, a, ar, http.StatusOK, nil, translate(site.Language(w, r), "assoc.ins.codes.saved")+": "+translate(site.Language(w, r), "assoc.ins.list."+saved.Name))
}
