package website

import (
	"time"
	"unicode/utf8"
)

// Kind is what a page is.
type Kind string

// The kinds of pages.
const (
	KindPage Kind = "page" // a page of the site, perhaps in its menu
	KindNews Kind = "news" // a news item, newest first on the start page and in the feed
)

// Page is a page or news item staff write in Markdown.
type Page struct {
	ID      int64
	Kind    Kind
	Slug    string
	Title   string
	Summary string
	Body    string // Markdown
	// EasyBody is the easy-to-read (lättläst) version, "" when none.
	EasyBody string
	// MenuOrder places a page in the menu (1 first); 0 keeps it out.
	MenuOrder int
	// PublishAt is when it is shown; nil for a draft.
	PublishAt *time.Time
	// UnpublishAt is when it is no longer shown; nil keeps it.
	UnpublishAt *time.Time
	Updated     time.Time
	Version     int
}

// Published reports whether visitors see the page at now.
func (p Page) Published(now time.Time) bool {
	return p.PublishAt != nil && !p.PublishAt.After(now) && (p.UnpublishAt == nil || p.UnpublishAt.After(now))
}

// Validate checks a page and gives it a slug from its title when it has
// none.
func (p *Page) Validate() error {
	var ps Problems
	trim(&p.Title, &p.Summary, &p.Slug)
	required(&ps, "title", p.Title, MaxShort)
	if p.Kind != KindPage && p.Kind != KindNews {
		ps.Add("kind", CodeUnknown)
	}
	if p.Slug == "" {
		p.Slug = Slug(p.Title)
	}
	if p.Title != "" && !ValidSlug(p.Slug) {
		ps.Add("slug", CodeInvalid)
	}
	maxLength(&ps, "summary", p.Summary, 500)
	maxLength(&ps, "body", p.Body, 100000)
	maxLength(&ps, "easy_body", p.EasyBody, 100000)
	if p.MenuOrder < 0 || p.MenuOrder > 99 {
		ps.Add("menu_order", CodeInvalid)
	}
	if p.UnpublishAt != nil && p.PublishAt != nil && !p.UnpublishAt.After(*p.PublishAt) {
		ps.Add("unpublish_at", CodeUnpublishOrder)
	}
	return ps.Err()
}

// Organisation is one organisation of the association's network
// (Paraply-nätverket).
type Organisation struct {
	ID               int64
	Name             string
	Kind             string // e.g. "Förening", "Myndighet"
	Description      string
	URL              string
	MunicipalityCode string
	Sort             int
}

// Settings are what the association's editor says about its site.
type Settings struct {
	// Enabled publishes the site.
	Enabled bool `json:"enabled"`
	// Intro is the start page's text (Markdown).
	Intro string `json:"intro"`
	// ContactEmail is shown in the footer.
	ContactEmail string `json:"contact_email"`
	// RetentionDays: sign-ups are deleted this many days after their
	// event.
	RetentionDays int `json:"retention_days"`
	// Statement is the accessibility statement's part the editor fills in.
	Statement Statement `json:"statement"`
}

// Statement holds the parts of the accessibility statement that lag
// (2018:1937) om tillgänglighet till digital offentlig service and Digg's
// instructions require and only the association knows.
type Statement struct {
	// Compliance: "full", "partial" or "none" (helt, delvis, inte förenlig).
	Compliance string `json:"compliance"`
	// Inaccessible lists the content that is not accessible and why.
	Inaccessible string `json:"inaccessible"`
	// AssessedOn is when the site was last assessed (YYYY-MM-DD).
	AssessedOn string `json:"assessed_on"`
	// Method: how it was assessed ("self" or "external" and who).
	Method string `json:"method"`
	// UpdatedOn is when the statement was last reviewed (YYYY-MM-DD).
	UpdatedOn string `json:"updated_on"`
	// FeedbackEmail receives reports of inaccessible content.
	FeedbackEmail string `json:"feedback_email"`
}

// DefaultSettings are a new site's settings: unpublished, with an honest
// statement that waits for the editor's assessment.
func DefaultSettings() Settings {
	return Settings{RetentionDays: DefaultRetentionDays, Statement: Statement{Compliance: "partial", Method: "self"}}
}

// Validate checks the settings.
func (s *Settings) Validate() error {
	var ps Problems
	trim(&s.ContactEmail, &s.Statement.FeedbackEmail, &s.Statement.AssessedOn, &s.Statement.UpdatedOn, &s.Statement.Method)
	if s.ContactEmail != "" && !validEmail(s.ContactEmail) {
		ps.Add("contact_email", CodeEmail)
	}
	if s.Statement.FeedbackEmail != "" && !validEmail(s.Statement.FeedbackEmail) {
		ps.Add("feedback_email", CodeEmail)
	}
	// The accessibility statement's feedback and the "report a problem"
	// form must reach someone before the site is published.
	if s.Enabled && s.Statement.FeedbackEmail == "" && s.ContactEmail == "" {
		ps.Add("feedback_email", CodeRequired)
	}
	if s.RetentionDays < 1 || s.RetentionDays > 365 {
		ps.Add("retention_days", CodeInvalid)
	}
	switch s.Statement.Compliance {
	case "full", "partial", "none":
	default:
		ps.Add("compliance", CodeUnknown)
	}
	for f, v := range map[string]string{"assessed_on": s.Statement.AssessedOn, "updated_on": s.Statement.UpdatedOn} {
		if v == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			ps.Add(f, CodeInvalid)
		}
	}
	if utf8.RuneCountInString(s.Intro) > MaxLong || utf8.RuneCountInString(s.Statement.Inaccessible) > MaxLong {
		ps.Add("intro", CodeTooLong)
	}
	return ps.Err()
}
