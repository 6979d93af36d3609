package cases

import (
	"bytes"
	"html/template"
	"testing"

	"github.com/finsam/finsam/web/internal/site"
)

// worklistRowsTemplate is the rows' markup as worklist.html wrote it with
// html/template before the rows were written in Go: the reference the Go
// writer must equal byte for byte, escaping included.
const worklistRowsTemplate = `{{define "rows"}}{{with .Data}}  {{$group := ""}}{{range .Rows}}{{if and $.Data.Grouped (ne .Group $group)}}{{$group = .Group}}<tr class="table__row finsam-wl-group"><td colspan="{{$.Data.Columns}}" class="table__column"><strong>{{$.T (print "worklist.group." .Group)}}</strong></td></tr>
  {{end}}<tr class="table__row">
    {{if $.Data.Manager}}<td class="table__column"><input type="checkbox" class="finsam-wl-check" name="case" value="{{.ID}}.{{.Version}}" id="pick-{{.ID}}"><label class="finsam-sr-only" for="pick-{{.ID}}">{{.Label}}</label></td>{{end}}
    <th scope="row" class="table__column"><a class="anchor finsam-wl-clip" href="{{.Href}}">{{.Person.Name}}</a> <span class="finsam-wl-sub">{{.Label}}</span></th>
    <td class="table__column table__column--numeric">{{.ChainDay}}{{if .EvalNote}}<span class="finsam-wl-asof" title="{{.EvalNote}}"><span aria-hidden="true">*</span><span class="finsam-sr-only"> ({{.EvalNote}})</span></span>{{end}}</td>
    <td class="table__column">{{.Phase}}</td>
    <td class="table__column"><span class="finsam-wl-clip" title="{{.Deadline}}">{{.Deadline}}</span></td>
    <td class="table__column">{{if .DeadlineDue}}{{.DeadlineDue}} {{if .Overdue}}<span class="badge badge--error finsam-wl-days">{{.DeadlineDays}}</span>{{else}}<span class="finsam-wl-days">{{.DeadlineDays}}</span>{{end}}{{else}}–{{end}}</td>
    <td class="table__column table__column--numeric">{{.Degree}}</td>
    <td class="table__column">{{range .Warnings}}<span class="finsam-wl-sig finsam-wl-sig--{{.Kind}}" title="{{.Label}}"><span aria-hidden="true">{{.Glyph}}</span><span class="finsam-sr-only">{{.Label}}</span></span>{{else}}–{{end}}</td>
    {{if $.Data.Manager}}<td class="table__column"><span class="finsam-wl-clip"{{with .Assignee}} title="{{.}}"{{end}}>{{if .Assignee}}{{.Assignee}}{{else}}–{{end}}</span></td>{{end}}
  </tr>{{end}}{{end}}{{end}}`

// rowsPage stands for site.Page in the reference template: .Data and $.T.
type rowsPage struct {
	Lang string
	Data struct {
		Rows             []worklistRow
		Grouped, Manager bool
		Columns          int
	}
}

func (p rowsPage) T(id string) string { return translate(p.Lang, id) }

// TestWorklistRowsHTMLEqualsTemplate renders rows of every kind (due
// groups, an evaluation note, overdue and coming deadlines, none, several
// warnings, no assignee) and text that needs escaping in every cell and
// attribute, through the Go writer and through the reference template, for
// a case worker and a manager, grouped and not, in both languages.
func TestWorklistRowsHTMLEqualsTemplate(t *testing.T) {
	nasty := `<Åsa & "Ö" 'x' +1>` + "\x00" + "\xff"
	rows := []worklistRow{
		{ID: 7, Href: "/arenden/7", Version: 3, Person: personView{Name: "Anna Andersson"}, ChainDay: "12", Phase: "1–90",
			Degree: "100 %", Deadline: "Kontrollstation dag 91", DeadlineDue: "2026-11-20", DeadlineDays: "3 dagar sen", Overdue: true,
			Warnings: []warningIcon{{Kind: "no_plan", Glyph: "P", Label: "Ingen plan"}, {Kind: "x", Glyph: "!", Label: nasty}},
			Assignee: "Hanna Handläggare", Label: "Ärende 7", Group: groupOverdue},
		{ID: 8, Href: "/arenden/8", Version: 1, Person: personView{Name: nasty}, ChainDay: nasty, Phase: nasty, EvalNote: "per " + nasty,
			Degree: nasty, Deadline: nasty, DeadlineDue: "2026-11-23", DeadlineDays: nasty, Label: nasty, Group: groupToday, Assignee: nasty},
		{ID: 9, Href: "/arenden/9", Version: 12, Person: personView{Name: "Skyddad identitet", Hidden: true}, ChainDay: "–", Phase: "–",
			Degree: "–", Deadline: "Ingen tidsfrist", Label: "Ärende 9", Group: groupLater},
		{ID: 10, Href: "/arenden/10", Version: 2, Person: personView{Name: "Bo"}, ChainDay: "200", Phase: "181–365", Degree: "50 %",
			Deadline: "Avstämning", DeadlineDue: "2026-11-25", DeadlineDays: "om 2 dagar", Label: "Ärende 10", Group: groupLater},
	}
	tmpl := template.Must(template.New("ref").Parse(worklistRowsTemplate))
	for _, lang := range []string{"sv", "en"} {
		for _, manager := range []bool{false, true} {
			for _, grouped := range []bool{false, true} {
				for _, rs := range [][]worklistRow{rows, rows[:1], nil} {
					var p rowsPage
					p.Lang = lang
					p.Data.Rows, p.Data.Grouped, p.Data.Manager, p.Data.Columns = rs, grouped, manager, 7
					if manager {
						p.Data.Columns = 9
					}
					var want bytes.Buffer
					if err := tmpl.ExecuteTemplate(&want, "rows", p); err != nil {
						t.Fatal(err)
					}
					got, release := worklistRowsHTML(rs, grouped, manager, p.Data.Columns, func(g string) string { return translate(lang, "worklist.group."+g) })
					// The template's text starts with the indentation before
					// its range; the page keeps that indentation around the
					// written rows.
					if "  "+string(got) != want.String() {
						t.Errorf("%s, manager %v, grouped %v, %d rows:\n got: %q\nwant: %q", lang, manager, grouped, len(rs), "  "+string(got), want.String())
					}
					release()
				}
			}
		}
	}
}

// officeCaseWorkersTemplate is the office page's two lists of case
// workers as worklist.html wrote them with html/template before they were
// written in Go: the reference officeCaseWorkersHTML must equal.
const officeCaseWorkersTemplate = `{{define "options"}}{{range .Assignees}}<option value="{{.Value}}">{{.Label}}</option>{{end}}{{end}}` +
	`{{define "load"}}{{range .Load}}<tr class="table__row"><th scope="row" class="table__column">{{.Name}}</th><td class="table__column table__column--numeric">{{.Open}}</td></tr>{{end}}{{end}}`

// TestOfficeCaseWorkersHTMLEqualsTemplate writes the bulk assignment's
// options and the load table's rows through Go and through the reference
// template, with names and counts that need escaping, and none at all.
func TestOfficeCaseWorkersHTMLEqualsTemplate(t *testing.T) {
	nasty := `<Åsa & "Ö" 'x' +1>` + "\x00" + "\xff"
	tmpl := template.Must(template.New("ref").Parse(officeCaseWorkersTemplate))
	for _, d := range []struct {
		Assignees []site.Choice
		Load      []caseWorkerLoad
	}{
		{Assignees: []site.Choice{{Value: "", Label: "Välj handläggare"}, {Value: "12", Label: "Hanna Handläggare"}, {Value: nasty, Label: nasty}},
			Load: []caseWorkerLoad{{Name: "Hanna Handläggare", Open: "fler än 999"}, {Name: nasty, Open: nasty}}},
		{Assignees: []site.Choice{{Value: "", Label: "Choose"}}},
		{},
	} {
		var options, load bytes.Buffer
		if err := tmpl.ExecuteTemplate(&options, "options", d); err != nil {
			t.Fatal(err)
		}
		if err := tmpl.ExecuteTemplate(&load, "load", d); err != nil {
			t.Fatal(err)
		}
		gotOptions, gotLoad := officeCaseWorkersHTML(d.Assignees, d.Load)
		if string(gotOptions) != options.String() {
			t.Errorf("options:\n got: %q\nwant: %q", gotOptions, options.String())
		}
		if string(gotLoad) != load.String() {
			t.Errorf("load table:\n got: %q\nwant: %q", gotLoad, load.String())
		}
	}
}
