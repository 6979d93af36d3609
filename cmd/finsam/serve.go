package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/outbox"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web"
	"github.com/finsam/finsam/web/publicsite"
)

const serveHelp = `
Starts the finsam web server: the pages, the JSON API under /api/v1 and the
operational endpoints /healthz, /readyz and /metrics.

It migrates the database on start (unless --no-migrate), logs the address it
listens on, and on SIGINT or SIGTERM stops taking new requests, lets the ones
in flight finish (up to --shutdown-timeout) and closes the database.

With --demo it loads the synthetic demo data set when the database is empty.`

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "serve", "[flags]", serveHelp)
	db, keys := storeFlags(fs, e)
	db.registerReplicas(fs, e)
	addrDefault := e.getenv("FINSAM_ADDR")
	if addrDefault == "" {
		addrDefault = "127.0.0.1:8080"
	}
	addr := fs.String("addr", addrDefault, "`host:port` to listen on (env FINSAM_ADDR)")
	noMigrate := fs.Bool("no-migrate", false, "do not migrate on start; refuse to start if the schema is not current")
	withDemo := fs.Bool("demo", false, "load the demo data set when the database is empty")
	logFormat := fs.String("log-format", "", "log format: `text` or json (default: text in a terminal, json otherwise)")
	shutdownTimeout := fs.Duration("shutdown-timeout", 30*time.Second, "how long in-flight requests may take to finish on shutdown")
	siteHosts := fs.String("public-site-hosts", e.getenv("FINSAM_PUBLIC_SITE_HOSTS"), "host names of associations' public sites, as host=association-slug pairs separated by commas; every site is also served under /f/<slug>/ (env FINSAM_PUBLIC_SITE_HOSTS)")
	smtpAddr := fs.String("smtp-addr", e.getenv("FINSAM_SMTP_ADDR"), "`host:port` of the SMTP server the public sites' e-mail goes through (sign-up confirmations); empty: mail stays queued (env FINSAM_SMTP_ADDR; FINSAM_SMTP_FROM, FINSAM_SMTP_USERNAME, FINSAM_SMTP_PASSWORD, FINSAM_SMTP_STARTTLS=true)")
	publicURL := fs.String("public-url", e.getenv("FINSAM_PUBLIC_URL"), "the site's address as browsers see it, e.g. https://finsam.example.se, for single sign-on; https marks cookies Secure (env FINSAM_PUBLIC_URL)")
	chromium := fs.String("chromium", e.getenv("FINSAM_CHROMIUM"),
		"`path` of a Chromium binary that prints the associations' yearly reports as tagged (accessible) PDFs; empty: an untagged PDF is written without a browser (env FINSAM_CHROMIUM)")
	chromiumNoSandbox := fs.Bool("chromium-no-sandbox", e.getenv("FINSAM_CHROMIUM_NO_SANDBOX") == "true",
		"start that browser without its sandbox, for containers without user namespaces (env FINSAM_CHROMIUM_NO_SANDBOX=true)")
	recomputeDefault := e.getenv("FINSAM_RECOMPUTE_AT")
	if recomputeDefault == "" {
		recomputeDefault = "02:30"
	}
	recomputeAt := fs.String("recompute-at", recomputeDefault,
		"recompute every open case daily at `HH:MM` Swedish time, or off (env FINSAM_RECOMPUTE_AT)")
	trustProxy := fs.Bool("trust-proxy", e.getenv("FINSAM_TRUST_PROXY") == "true",
		"behind a TLS-terminating reverse proxy: trust X-Forwarded-For and X-Forwarded-Proto (env FINSAM_TRUST_PROXY=true)")
	trustedProxies := fs.String("trusted-proxies", e.getenv("FINSAM_TRUSTED_PROXIES"),
		"with --trust-proxy: the proxies' `addresses` or networks, comma-separated (e.g. 10.0.0.0/8,192.0.2.50); the client is the rightmost X-Forwarded-For hop not among them (default: one proxy, the peer) (env FINSAM_TRUSTED_PROXIES)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to `FILE` when the server stops (for `go tool pprof`; a profile costs a few per cent of the CPU)")
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	logger, err := newLogger(e.stderr, *logFormat)
	if err != nil {
		fmt.Fprintf(e.stderr, "--log-format: %v\n\n", err)
		return badUsage(fs)
	}
	proxies, err := web.ParseTrustedProxies(*trustedProxies)
	if err == nil && len(proxies) > 0 && !*trustProxy {
		err = errors.New("set --trust-proxy too: without it forwarded headers are not read")
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "--trusted-proxies: %v\n\n", err)
		return badUsage(fs)
	}
	recomputeHour, recomputeMinute, nightly, err := parseDailyAt(*recomputeAt)
	if err != nil {
		fmt.Fprintf(e.stderr, "--recompute-at: %v\n\n", err)
		return badUsage(fs)
	}

	// Listen before opening the database so that a port in use fails fast
	// and touches nothing.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("address %s is already in use: stop the other server or choose another with --addr", *addr)
		}
		return fmt.Errorf("cannot listen on %s: %v", *addr, err)
	}
	defer ln.Close()
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer func() {
			if err := stop(); err != nil {
				logger.Error("cpu profile", "err", err)
			}
		}()
	}

	db.replicaLog = logger
	st, err := db.open(ctx, !*noMigrate)
	if err != nil {
		return err
	}
	defer st.Close()
	logger.Info("database ready", "database", st.Target().String())

	auditKeys, err := keys.open(ctx, st, true, func(m string) { logger.Warn(m) })
	if err != nil {
		return err
	}
	if !*withDemo && keys.besideDatabase(st) {
		logger.Warn("the audit log's secret file is in the data folder, beside the database: whoever can copy or write the database there can also re-sign the log. "+
			"In production keep it elsewhere (--secret-file, readable by finsam only; see the README)", "secret_file", keys.path())
	}
	if *withDemo {
		password := demoPassword(e)
		loaded, err := demo.LoadIfEmpty(ctx, st, demo.DefaultSeed, password)
		if err != nil {
			return fmt.Errorf("load demo data: %w", err)
		}
		if loaded {
			n, err := demo.LoadCertificates(ctx, st, auditKeys, demo.DefaultSeed)
			if err != nil {
				return fmt.Errorf("load demo certificates: %w", err)
			}
			cases, err := demo.LoadCases(ctx, st, demo.DefaultSeed, time.Now())
			if err != nil {
				return fmt.Errorf("load demo cases: %w", err)
			}
			assoc, err := demo.LoadAssociation(ctx, st, demo.DefaultSeed, time.Now())
			if err != nil {
				return fmt.Errorf("load demo association: %w", err)
			}
			if _, err := demo.LoadGenerated(ctx, st, demo.DefaultSeed, time.Now()); err != nil {
				return err
			}
			if _, err := demo.LoadCoordination(ctx, st, time.Now()); err != nil {
				return fmt.Errorf("load demo coordination: %w", err)
			}
			if _, err := demo.LoadWebsite(ctx, st, time.Now()); err != nil {
				return fmt.Errorf("load demo website: %w", err)
			}
			logger.Info("demo data loaded (synthetic persons only)", "seed", demo.DefaultSeed, "certificates", n,
				"cases", cases.Cases, "open_cases", cases.Open, "evaluated_on", cases.Date.String(),
				"insatser", assoc.Insatser, "participants", assoc.Participants)
		}
		// Demo mode only: the demo users and their password, for the person
		// trying finsam out. Outside demo mode there is no default password.
		logger.Info("DEMO MODE: sign in as handlaggare, handlaggare-roma, chef, direktor, samordnare-af, samordnare-region, samordnare-kommun, ekonomi-kommun, forbund, styrelse, admin or intygsforvaltare",
			"password", password)
	}

	const rulesRefresh = 30 * time.Second
	srv, err := web.New(web.Config{Store: st, Logger: logger, Version: version, AuditKeys: auditKeys, TrustProxy: *trustProxy, TrustedProxies: proxies, Demo: *withDemo, PublicURL: *publicURL,
		PublicSiteHosts: publicsite.ParseHosts(*siteHosts), Chromium: *chromium, ChromiumNoSandbox: *chromiumNoSandbox})
	if err != nil {
		return err
	}
	// The nightly recompute stops with the server; a run it interrupts is
	// resumed by the next one.
	nctx, stopNightly := context.WithCancel(ctx)
	nightlyDone := make(chan struct{})
	// Parameter values stored through any instance are in force here
	// within rulesRefresh.
	go srv.WatchRules(nctx, rulesRefresh)
	go sitesHousekeeping(nctx, st, logger, *smtpAddr, e.getenv)
	go func() {
		defer close(nightlyDone)
		if nightly {
			nightlyRecompute(nctx, st, logger, recomputeHour, recomputeMinute)
		}
	}()
	err = serveHTTP(ctx, ln, srv.Handler(), logger, *shutdownTimeout)
	stopNightly()
	<-nightlyDone
	srv.Close()
	if err != nil {
		return err
	}
	// Sign the tail of the audit log so that nothing after the last
	// periodic checkpoint can be removed unnoticed.
	if err := st.SealAudit(context.Background(), auditKeys); err != nil {
		logger.Error("seal audit log", "err", err)
	}
	if err := st.Close(); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	logger.Info("stopped")
	return nil
}

// demoPassword is the demo users' password: FINSAM_DEMO_PASSWORD, or "demo".
func demoPassword(e *env) string {
	if p := e.getenv("FINSAM_DEMO_PASSWORD"); p != "" {
		return p
	}
	return "demo"
}

// serveHTTP serves h on ln until ctx is cancelled, then stops taking new
// requests and lets the ones in flight finish for up to timeout.
func serveHTTP(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger, timeout time.Duration) error {
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	// The socket is already listening: say so before the first request can
	// be answered, so the log line always comes first.
	logger.Info("finsam listening", "url", "http://"+ln.Addr().String(), "version", version)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: finishing requests in flight", "timeout", timeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		logger.Warn("shutdown timed out; closing remaining connections", "err", err)
		hs.Close()
	}
	return nil
}

// newLogger makes the process logger: readable text in a terminal, JSON
// lines otherwise (or as asked).
func newLogger(w io.Writer, format string) (*slog.Logger, error) {
	if format == "" {
		format = "json"
		if f, ok := w.(*os.File); ok {
			if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
				format = "text"
			}
		}
	}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, fmt.Errorf("unknown log format %q (known: text, json)", format)
}

// sitesHousekeeping sends the public sites' queued e-mail every half
// minute (when an SMTP server is configured) and deletes sign-ups their
// retention days after the event and interest left unhandled for six
// months, every hour, until ctx ends.
func sitesHousekeeping(ctx context.Context, st *store.Store, logger *slog.Logger, smtpAddr string, getenv func(string) string) {
	if smtpAddr != "" {
		sender := &outbox.Sender{Store: st, Log: logger, SMTP: outbox.Config{Addr: smtpAddr, From: getenv("FINSAM_SMTP_FROM"),
			Username: getenv("FINSAM_SMTP_USERNAME"), Password: getenv("FINSAM_SMTP_PASSWORD"), StartTLS: getenv("FINSAM_SMTP_STARTTLS") == "true"}}
		go sender.Run(ctx, 30*time.Second)
	}
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		err := st.Tx(ctx, func(tx *store.Tx) error {
			n, err := store.PurgeSignups(ctx, tx, time.Now())
			if n > 0 {
				logger.InfoContext(ctx, "deleted sign-ups past their retention", "count", n)
			}
			if err != nil {
				return err
			}
			n, err = store.PurgeInterest(ctx, tx, time.Now())
			if n > 0 {
				logger.InfoContext(ctx, "deleted interest past its retention", "count", n)
			}
			return err
		})
		if err != nil && ctx.Err() == nil {
			logger.ErrorContext(ctx, "purge sign-ups", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// startCPUProfile profiles the process's CPU into the file at path until
// the returned stop is called: what a server under load spends its time
// on, read with go tool pprof.
func startCPUProfile(path string) (stop func() error, err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	return func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}, nil
}
