package website

import (
	"testing"
	"time"
)

func TestPlaceFillsSeatsThenTheWaitingList(t *testing.T) {
	e := Event{Capacity: 2, Place: "Visby", Online: true}
	for _, c := range []struct {
		a         Attendance
		confirmed int
		want      SignupStatus
	}{
		{OnSite, 0, Confirmed}, {OnSite, 1, Confirmed}, {OnSite, 2, Waiting},
		{Digital, 2, Confirmed}, // online takes no seat
	} {
		if got := Place(e, c.a, c.confirmed); got != c.want {
			t.Errorf("%s with %d confirmed: %s, want %s", c.a, c.confirmed, got, c.want)
		}
	}
	if Place(Event{Place: "Visby"}, OnSite, 1000) != Confirmed {
		t.Error("no limit and still waiting")
	}
}

func TestSignupValidationNamesEveryBadField(t *testing.T) {
	start := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	e := Event{Title: "Möte", Place: "Visby", Starts: start, Ends: start.Add(time.Hour)}
	s := Signup{Name: "", Email: "inte en adress", MunicipalityCode: "0180", Attendance: Digital}
	err := s.Validate(e, []string{"0980"}, start.Add(-time.Hour))
	ps, _ := err.(Problems)
	got := map[string]string{}
	for _, p := range ps {
		got[p.Field] = p.Code
	}
	want := map[string]string{"name": CodeRequired, "email": CodeEmail, "municipality": CodeUnknown, "attendance": CodeInvalid}
	for f, c := range want {
		if got[f] != c {
			t.Errorf("%s: %q, want %q (all: %v)", f, got[f], c, got)
		}
	}
	ok := Signup{Name: "Kim", Email: " Kim@Example.SE ", Attendance: OnSite}
	if err := ok.Validate(e, nil, start.Add(-time.Hour)); err != nil || ok.Email != "kim@example.se" {
		t.Errorf("a good sign-up: %v %q", err, ok.Email)
	}
	if err := ok.Validate(e, nil, start); err == nil {
		t.Error("a sign-up once the event has begun")
	}
}

func TestPagesAreVisibleFromTheirPublishingTime(t *testing.T) {
	at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	p := Page{Kind: KindNews, Title: "Ny insats på Fårö", PublishAt: &at}
	if err := p.Validate(); err != nil || p.Slug != "ny-insats-pa-faro" {
		t.Fatalf("%v %q", err, p.Slug)
	}
	if p.Published(at.Add(-time.Second)) || !p.Published(at) {
		t.Error("published at the wrong time")
	}
	if (Page{Title: "Utkast"}).Published(at) {
		t.Error("a draft is published")
	}
}

func TestAPublishedSiteNeedsAnAddressForFeedback(t *testing.T) {
	s := DefaultSettings()
	s.Enabled = true
	if err := s.Validate(); err == nil {
		t.Error("a published site without an address for reports")
	}
	s.Statement.FeedbackEmail = "webb@example.se"
	if err := s.Validate(); err != nil {
		t.Error(err)
	}
}
