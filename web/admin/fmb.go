package admin

// The FMB table: Socialstyrelsen's recommended maximum
// sick leave per diagnosis, which the quality check compares each
// certificate's sick leave with. finsam ships a small table
// (certificate.DefaultFMB); a system administrator loads the full, current
// one from CSV at /admin/fmb. The CSV is kept as it was loaded in the
// settings table (key fmb.csv) and read when the server starts; loading a
// new one also swaps the running intake's table at once. Another finsam
// instance behind the same load balancer picks the new table up when it
// restarts.
//
// Access: any administrator may see the table (GET, ManageUsers); loading
// one changes every organisation's quality scores, so it takes a system
// administrator (POST, ManageOrganisations: policy has no separate action
// for installation-wide settings).

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/intake"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/certview"
	"github.com/finsam/finsam/web/internal/site"
)

// settingFMB names the setting that holds the loaded FMB table as CSV.
const settingFMB = intake.SettingFMB

// maxFMBBytes bounds an uploaded FMB file: the full table has a few
// thousand rows.
const maxFMBBytes = 2 << 20

// fmbHeader is the header line certificate.LoadFMBCSV requires.
const fmbHeader = "code,max,unit,source,note"

// fmbRow is one row of the table as the page shows it.
type fmbRow struct {
	Code, Max, Source, Note string
	Days                    int
}

// fmbLineError is one problem of an uploaded file.
type fmbLineError struct {
	Line    int // 0: the file as a whole
	Message string
}

type adminFMBData struct {
	Loaded  bool // an administrator's table, not the shipped one
	Rows    []fmbRow
	CanLoad bool
	Errors  []fmbLineError
	Done    int // rows of a table just loaded
}

func (s *Handlers) fmbData(lang string, a *site.Actor) adminFMBData {
	f, loaded := s.intake.Table()
	d := adminFMBData{Loaded: loaded, CanLoad: a.SystemAdmin}
	for _, e := range f.Entries() {
		d.Rows = append(d.Rows, fmbRow{Code: certview.DisplayDiagnosis(e.Code), Max: strconv.Itoa(e.Max) + " " + translate(lang, "quality.fmb.unit."+e.Unit),
			Days: e.Days, Source: e.Source, Note: e.Note})
	}
	return d
}

// FMB shows the FMB table in use.
func (s *Handlers) FMB(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	lang := site.Language(w, r)
	d := s.fmbData(lang, a)
	d.Done, _ = strconv.Atoi(r.URL.Query().Get("loaded"))
	s.Render(w, r, http.StatusOK, "admin_fmb", site.Page{Lang: lang, Title: translate(lang, "quality.fmb.title"), Actor: a, Data: d})
	return nil
}

// FMBLoad replaces the FMB table with an uploaded CSV file. A file
// with any error changes nothing and is answered 422 with every error and
// its line.
func (s *Handlers) FMBLoad(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ctx := r.Context()
	lang := site.Language(w, r)
	r.Body = http.MaxBytesReader(w, r.Body, maxFMBBytes+64<<10)
	var raw []byte
	var errs []fmbLineError
	if err := r.ParseMultipartForm(maxFMBBytes); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return site.TooLarge()
		}
		errs = append(errs, fmbLineError{Message: translate(lang, "quality.fmb.err.nofile")})
	} else if file, _, err := r.FormFile("file"); err != nil {
		errs = append(errs, fmbLineError{Message: translate(lang, "quality.fmb.err.nofile")})
	} else {
		raw, err = io.ReadAll(io.LimitReader(file, maxFMBBytes+1))
		file.Close()
		switch {
		case err != nil:
			return site.BadRequest()
		case len(raw) > maxFMBBytes:
			return site.TooLarge()
		}
		raw = bytes.TrimPrefix(raw, []byte("\ufeff")) // Excel's byte-order mark
		errs = checkFMBCSV(lang, raw)
	}
	var table *certificate.FMB
	if len(errs) == 0 {
		var err error
		if table, err = certificate.LoadFMBCSV(bytes.NewReader(raw)); err != nil {
			// checkFMBCSV found nothing, so this is a rule it does not know.
			errs = append(errs, fmbLineError{Message: err.Error()})
		}
	}
	if len(errs) > 0 {
		d := s.fmbData(lang, a)
		d.Errors = errs
		s.Render(w, r, http.StatusUnprocessableEntity, "admin_fmb", site.Page{Lang: lang, Title: translate(lang, "quality.fmb.title"), Actor: a, Data: d})
		return nil
	}
	err := s.Store.Tx(ctx, func(tx *store.Tx) error {
		if err := store.SetSetting(ctx, tx, settingFMB, string(raw)); err != nil {
			return err
		}
		e := a.Event(r, "load_fmb", audit.OutcomeOK, "setting", settingFMB)
		e.Purpose = fmt.Sprintf("%d rows", table.Len())
		return store.AppendAudit(ctx, tx, s.Audit.Keys(), e)
	})
	if err != nil {
		return site.Unavailable("store FMB table", err)
	}
	s.intake.Use(table, true)
	http.Redirect(w, r, "/admin/fmb?loaded="+strconv.Itoa(table.Len()), http.StatusSeeOther)
	return nil
}

// checkFMBCSV finds every problem of an FMB file, each with its line and a
// message in lang. certificate.LoadFMBCSV stops at the first problem; here
// each row is given to it on its own (after the header), so that an
// administrator fixing a large file sees all of them at once.
func checkFMBCSV(lang string, raw []byte) []fmbLineError {
	var errs []fmbLineError
	lineErr := func(line int, id string, args ...any) {
		errs = append(errs, fmbLineError{Line: line, Message: fmt.Sprintf(translate(lang, id), args...)})
	}
	cr := csv.NewReader(bytes.NewReader(raw))
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	header, rows := false, 0
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			lineErr(pe.Line, "quality.fmb.err.csv")
			break // the reader cannot find the next row reliably
		} else if err != nil {
			lineErr(0, "quality.fmb.err.csv")
			break
		}
		line, _ := cr.FieldPos(0)
		if !header {
			if strings.Join(rec, ",") != fmbHeader {
				lineErr(line, "quality.fmb.err.header", fmbHeader)
			}
			header = true
			continue
		}
		rows++
		if len(rec) != 5 {
			lineErr(line, "quality.fmb.err.fields", len(rec))
			continue
		}
		var one bytes.Buffer
		one.WriteString(fmbHeader + "\n")
		cw := csv.NewWriter(&one)
		cw.Write(rec)
		cw.Flush()
		if _, err := certificate.LoadFMBCSV(&one); err != nil {
			errs = append(errs, fmbLineError{Line: line, Message: fmbRowProblem(lang, rec, err)})
			continue
		}
		code := certificate.NormalizeDiagnosisCode(strings.TrimSpace(rec[0]))
		if first, dup := seen[code]; dup {
			lineErr(line, "quality.fmb.err.duplicate", rec[0], first)
			continue
		}
		seen[code] = line
	}
	switch {
	case !header && len(errs) == 0:
		lineErr(0, "quality.fmb.err.header", fmbHeader)
	case rows == 0 && len(errs) == 0:
		lineErr(0, "quality.fmb.err.empty")
	}
	return errs
}

// fmbRowProblem says in lang what LoadFMBCSV found wrong with one row. Its
// errors are English sentences naming the column; anything not recognised
// is shown as it is.
func fmbRowProblem(lang string, rec []string, err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "is not an ICD-10-SE code"):
		return fmt.Sprintf(translate(lang, "quality.fmb.err.code"), rec[0])
	case strings.Contains(msg, ": max "):
		return fmt.Sprintf(translate(lang, "quality.fmb.err.max"), rec[1])
	case strings.Contains(msg, ": unit "):
		return fmt.Sprintf(translate(lang, "quality.fmb.err.unit"), rec[2])
	case strings.Contains(msg, "needs a source"):
		return translate(lang, "quality.fmb.err.source")
	}
	return msg
}
