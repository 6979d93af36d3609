// Package assoctabs is the row of tabs at the top of every page of a
// coordination association (/forbund/{slug}/…): one tab per section, shown
// only when the actor may open it, the current one marked. It is shared by
// the associations' pages (web/forbund) and their public website's staff
// pages (web/publicsite), which live under the same address.
//
// Whether a tab shows is the policy's answer for the action its route
// needs (Sections names it; a test in package web holds every section to
// the route table), asked with the same resource the page's own check
// uses: the tab row never decides access by itself.
package assoctabs

import (
	"embed"
	"io/fs"
	"strings"

	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/web/internal/site"
)

//go:embed templates/*.html
var templateFS embed.FS

// Templates hold the "assoc-tabs" template, for site.Pages.Shared; its
// file is Partial.
var Templates fs.FS = templateFS

// Partial is the file of the "assoc-tabs" template.
const Partial = "assoc_tabs.html"

//go:embed messages/*.json
var messageFS embed.FS

// Messages are the tabs' words.
var Messages = site.MustCatalogue(messageFS)

// Section is one tab: the page under /forbund/{slug} it opens and the
// action its GET route needs.
type Section struct {
	// Path follows /forbund/{slug}; "" is the association's start page.
	Path string
	// Label is the message id of the tab's name.
	Label  string
	Action policy.Action
	// Below are further paths whose pages belong to the section (e.g. a
	// participant's page to the participants' list).
	Below []string
}

// Sections are the association's sections in the order the tabs show
// them.
var Sections = []Section{
	{Path: "", Label: "assoc.tab.overview", Action: policy.ReadContributions},
	{Path: "/insatser", Label: "assoc.tab.insatser", Action: policy.ManageAssociation, Below: []string{"/kodlistor"}},
	{Path: "/deltagare", Label: "assoc.tab.participants", Action: policy.ManageAssociation},
	{Path: "/finansiering", Label: "assoc.tab.finance", Action: policy.ReadContributions},
	{Path: "/budget", Label: "assoc.tab.budget", Action: policy.ManageAssociation},
	{Path: "/fordelning", Label: "assoc.tab.allocation", Action: policy.ManageAssociation},
	{Path: "/styrelse", Label: "assoc.tab.board", Action: policy.ReadContributions},
	{Path: "/rapporter", Label: "assoc.tab.reports", Action: policy.ReadAssociationReports},
	{Path: "/webb", Label: "assoc.tab.website", Action: policy.ManageAssociation},
	{Path: "/installningar", Label: "assoc.tab.settings", Action: policy.ManageAssociation},
}

// Tab is one shown tab.
type Tab struct {
	Href    string
	Label   string // the message id until Nav.In names it
	Current bool
}

// Nav is the row of tabs.
type Nav struct {
	Label string // the navigation's accessible name, once named
	Tabs  []Tab
}

// For is the tabs a on the association slug may open, res being the
// resource the page's own access check used (the association as OrgID,
// with the actor's board seat and membership); path is the request's
// path, which marks the current tab. The partial names them in the page's
// language (Nav.In).
func For(a *site.Actor, res policy.Resource, slug, path string) Nav {
	base := "/forbund/" + slug
	var nav Nav
	current := currentSection(strings.TrimPrefix(path, base), strings.HasPrefix(path, base))
	for i, s := range Sections {
		if policy.Can(&a.Actor, s.Action, res) != policy.Allow {
			continue
		}
		nav.Tabs = append(nav.Tabs, Tab{Href: base + s.Path, Label: s.Label, Current: i == current})
	}
	return nav
}

// In is the tabs with their names in lang.
func (n Nav) In(lang string) Nav {
	out := Nav{Label: Messages.T(lang, "assoc.tab.label"), Tabs: make([]Tab, len(n.Tabs))}
	for i, t := range n.Tabs {
		t.Label = Messages.T(lang, t.Label)
		out.Tabs[i] = t
	}
	return out
}

// currentSection is the index of the section rest (the path after
// /forbund/{slug}) belongs to, -1 for none: the section with the longest
// path that rest is or lies below. The start page is current only on
// itself.
func currentSection(rest string, under bool) int {
	if !under {
		return -1
	}
	best, bestLen := -1, -1
	for i, s := range Sections {
		for _, p := range append([]string{s.Path}, s.Below...) {
			match := rest == p || rest == p+"/" || p != "" && strings.HasPrefix(rest, p+"/")
			if match && len(p) > bestLen {
				best, bestLen = i, len(p)
			}
		}
	}
	return best
}
