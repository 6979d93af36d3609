package coordination

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/coordination"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// loaded is a coordination as one actor may use it: the coordination, its
// case and the person's consents, with the policy resource built from them
// and the consent the actor's access goes through (0 for the organisation
// that leads it).
type loaded struct {
	K        store.Coordination
	Case     store.Case
	Consents []coordination.Consent
	res      policy.Resource
	// Via is the consent the actor's access goes through, 0 for the lead.
	Via int64
	key string // the person's audit key
	// entry and back are, on a case's way into coordination, its path
	// and the page it is reached from (backText the link's message).
	entry, back, backText string
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// pathID reads a positive id from the path, or answers 404.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, site.NotFound()
	}
	return id, nil
}

// resource is what the policy is asked about an item owned by owner of
// the person, for part.
func (l *loaded) resource(owner int64, part policy.Part) policy.Resource {
	r := l.res
	r.OrgID, r.Part = owner, part
	if owner != l.K.LeadOrgID {
		r.OfficeID = 0
	}
	return r
}

// may reports whether a may do act on part of the coordination's data.
func (l *loaded) may(a *site.Actor, act policy.Action, part policy.Part) bool {
	d, _ := policy.Decide(&a.Actor, act, l.resource(l.K.LeadOrgID, part))
	return d == policy.Allow
}

// resourceFor builds the policy resource of a case's data for the
// person's consents on the Swedish date of now.
func (h *Handlers) resourceFor(c store.Case, leadOrg int64, consents []coordination.Consent) policy.Resource {
	return policy.Resource{OrgID: leadOrg, OfficeID: c.OfficeID, Now: site.SwedishDate(h.Now()), Consents: coordination.PolicyAll(consents)}
}

// loadPath is load of the coordination whose id is the path's param.
func (h *Handlers) loadPath(r *http.Request, a *site.Actor, param string, act policy.Action, part policy.Part) (int64, *loaded, error) {
	id, err := pathID(r, param)
	if err != nil {
		return 0, nil, err
	}
	l, err := h.load(r, a, id, act, part)
	return id, l, err
}

// load reads coordination id for a and checks act on it: an organisation
// that is not invited, or whose consent does not cover it (withdrawn,
// ended, not yet valid), is refused as if the coordination did not exist,
// and the refusal is audited with the consents that name the organisation.
func (h *Handlers) load(r *http.Request, a *site.Actor, id int64, act policy.Action, part policy.Part) (*loaded, error) {
	ctx := r.Context()
	k, err := store.CoordinationByID(ctx, h.Store, id)
	if err != nil {
		return nil, err
	}
	l, err := h.loadFor(ctx, k)
	if err != nil {
		return nil, err
	}
	if !k.HasParty(a.OrgID) {
		return nil, h.refuse(r, a, act, policy.Hidden, l, "coordination", itoa(id))
	}
	d, via := policy.Decide(&a.Actor, act, l.resource(k.LeadOrgID, part))
	if d != policy.Allow {
		return nil, h.refuse(r, a, act, d, l, "coordination", itoa(id))
	}
	l.Via = via
	return l, nil
}

func (h *Handlers) loadFor(ctx context.Context, k store.Coordination) (*loaded, error) {
	c, err := store.CaseByID(ctx, h.Store, k.CaseID)
	if err != nil {
		return nil, site.Unavailable("coordination case", err)
	}
	consents, err := store.PersonConsents(ctx, h.Store, k.PersonID)
	if err != nil {
		return nil, site.Unavailable("coordination consents", err)
	}
	return &loaded{K: k, Case: c, Consents: consents, res: h.resourceFor(c, k.LeadOrgID, consents),
		key: h.Audit.Keys().PersonKey(personnummer.Number(c.Personnummer))}, nil
}

// consentsNaming lists the ids of the consents that name org, with their
// state, for the audit log of a refusal ("12:withdrawn 15:ended").
func consentsNaming(cs []coordination.Consent, org int64, day policy.Resource) string {
	var out []string
	for i := range cs {
		c := &cs[i]
		if _, ok := c.PartyOf(org); !ok {
			continue
		}
		state := "current"
		today := civilOf(day)
		switch {
		case c.Withdrawn():
			state = "withdrawn"
		case today.After(c.ValidUntil):
			state = "ended"
		case today.Before(c.ValidFrom):
			state = "not_yet_valid"
		}
		out = append(out, itoa(c.ID)+":"+state)
	}
	if len(out) == 0 {
		return "consents=none"
	}
	return "consents=" + strings.Join(out, ",")
}

// refuse audits a refusal and returns the error that answers it: 404 when
// the actor may not know the resource exists, 403 otherwise.
func (h *Handlers) refuse(r *http.Request, a *site.Actor, act policy.Action, d policy.Decision, l *loaded, resourceType, resourceID string) error {
	e := a.Event(r, act.String(), audit.OutcomeDenied, resourceType, resourceID)
	if l != nil {
		e.PersonKey = l.key
		e.Purpose = consentsNaming(l.Consents, a.OrgID, l.res)
	}
	if err := h.Audit.Record(r.Context(), e); err != nil {
		h.Log.ErrorContext(r.Context(), "audit denied access", "err", err)
	}
	if d == policy.Hidden {
		return site.NotFound()
	}
	return forbidden()
}

func forbidden() error { return &site.Error{Status: http.StatusForbidden, Code: "forbidden"} }

// via is how an access went, for the audit log.
func via(consent int64) string {
	if consent == 0 {
		return "lead"
	}
	return "consent=" + itoa(consent)
}

// event is an audit event about the coordination's person.
func (l *loaded) event(r *http.Request, a *site.Actor, action, resourceType, resourceID string) audit.Event {
	e := a.Event(r, action, audit.OutcomeOK, resourceType, resourceID)
	e.PersonKey = l.key
	e.Purpose = via(l.Via)
	return e
}

// eventOf is event for the thing of resourceType whose id a write has yet
// to learn.
func (l *loaded) eventOf(r *http.Request, a *site.Actor, action, resourceType string) func(id int64) audit.Event {
	return func(id int64) audit.Event { return l.event(r, a, action, resourceType, itoa(id)) }
}

// auditRead queues read events; the page waits for them before it leaves.
func (h *Handlers) auditRead(r *http.Request, a *site.Actor, events ...audit.Event) {
	if len(events) == 0 || h.UnauditedReads {
		return
	}
	a.QueueAudit(h.Audit.Start(r.Context(), events...))
}

// orgsOfInterest are the organisations a consent for the case's person
// may name: Försäkringskassan, Arbetsförmedlingen, the person's
// municipality and its region, and whoever already takes part.
func (h *Handlers) orgsOfInterest(ctx context.Context, c store.Case, k *store.Coordination) ([]organisation.Organisation, error) {
	var out []organisation.Organisation
	seen := map[int64]bool{}
	add := func(o organisation.Organisation) {
		if o.ID != 0 && !seen[o.ID] {
			seen[o.ID] = true
			out = append(out, o)
		}
	}
	for _, t := range []organisation.Type{organisation.FK, organisation.AF} {
		os, err := store.Organisations(ctx, h.Store, t)
		if err != nil {
			return nil, err
		}
		for _, o := range os {
			add(o)
		}
	}
	if c.MunicipalityCode != "" {
		m, err := store.OrganisationByCode(ctx, h.Store, organisation.Municipality, c.MunicipalityCode)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		if err == nil && m.ParentID != 0 {
			if reg, err := store.OrganisationByID(ctx, h.Store, m.ParentID); err == nil {
				add(reg)
			}
		}
		add(m)
	}
	if k != nil {
		for _, p := range k.Parties {
			if o, err := store.OrganisationByID(ctx, h.Store, p.OrgID); err == nil {
				add(o)
			}
		}
	}
	return out, nil
}
