package admin

import (
	"html/template"
	"strconv"

	"github.com/finsam/finsam/web/internal/tablehead"
)

// Administration tables given as data, each drawn with {{.XTable $.Lang}}.

// FMBTable is the FMB table in force: a row a diagnosis code.
func (d adminFMBData) FMBTable(lang string) (template.HTML, error) {
	return tablehead.Draw(tablehead.Table{Class: "finsam-audit", Caption: tablehead.Counted(translate(lang, "quality.fmb.caption"), len(d.Rows)),
		Label: translate(lang, "cert.table.scroll"),
		Columns: tablehead.Headings(translate, lang, tablehead.RowHead("quality.fmb.col.code"), tablehead.Date("quality.fmb.col.max"), tablehead.Num("quality.fmb.col.days"),
			tablehead.Column{Heading: "quality.fmb.col.source"}, tablehead.Column{Heading: "quality.fmb.col.note"}),
		Rows: tablehead.Rows(d.Rows, func(r fmbRow) []tablehead.Cell {
			return tablehead.Texts(r.Code, r.Max, strconv.Itoa(r.Days), r.Source, r.Note)
		})})
}

// UsersTable is the users listed, each linking to its page.
func (d adminUsersData) UsersTable(lang string) (template.HTML, error) {
	return tablehead.Draw(tablehead.Table{Caption: tablehead.Counted(translate(lang, "admin.users.caption"), len(d.Users)),
		Label: translate(lang, "admin.users.caption"), FrameClass: "finsam-table-scroll",
		Columns: tablehead.Headings(translate, lang, tablehead.RowHead("admin.user.username"), tablehead.Column{Heading: "admin.user.name"},
			tablehead.Column{Heading: "admin.user.org"}, tablehead.Column{Heading: "admin.user.roles"}, tablehead.Column{Heading: "admin.user.status"}),
		Rows: tablehead.Rows(d.Users, func(u userRow) []tablehead.Cell {
			return append([]tablehead.Cell{tablehead.Link(u.Username, "/admin/users/"+strconv.FormatInt(u.ID, 10))}, tablehead.Texts(u.Name, u.Org, u.Roles, u.Status)...)
		})})
}

// OrgsTable is one page of the organisations listed, each the
// administrator may open linking to its page.
func (d adminOrgsData) OrgsTable(lang string) (template.HTML, error) {
	T := func(id string) string { return translate(lang, id) }
	return tablehead.Draw(tablehead.Table{Label: T("admin.orgs.caption"), FrameClass: "finsam-table-scroll",
		Caption: T("admin.orgs.caption") + ": " + strconv.Itoa(d.Total) + " · " + T("admin.pager.page") + " " + strconv.Itoa(d.Page) + " " + T("admin.pager.of") + " " + strconv.Itoa(d.Pages),
		Columns: tablehead.Headings(translate, lang, tablehead.RowHead("admin.org.name"), tablehead.Column{Heading: "admin.org.type"}, tablehead.Column{Heading: "admin.org.code"},
			tablehead.Column{Heading: "admin.org.slug"}),
		Rows: tablehead.Rows(d.Orgs, func(o orgRow) []tablehead.Cell {
			name := tablehead.Text(o.Name)
			if o.Open {
				name = tablehead.Link(o.Name, "/admin/organisations/"+o.Slug)
			}
			return []tablehead.Cell{name, tablehead.Text(o.Type), tablehead.Text(o.Code), tablehead.Code(o.Slug)}
		})})
}

// OfficesTable is the organisation's offices.
func (d adminOrgData) OfficesTable(lang string) (template.HTML, error) {
	return tablehead.Draw(tablehead.Table{Caption: translate(lang, "admin.org.offices"), HiddenCaption: true, FrameClass: "finsam-table-scroll",
		Columns: tablehead.Headings(translate, lang, tablehead.RowHead("admin.office.name"), tablehead.Column{Heading: "admin.office.kind"}, tablehead.Column{Heading: "admin.office.group"},
			tablehead.Column{Heading: "admin.office.municipality"}, tablehead.Column{Heading: "admin.org.slug"}),
		Rows: tablehead.Rows(d.Offices, func(o officeRow) []tablehead.Cell {
			return append(tablehead.Texts(o.Name, o.Kind, o.Group, o.Municipality), tablehead.Code(o.Slug))
		})})
}
