// Command finsam is the whole platform in one binary: the web server and the
// command-line tools around it. Run `finsam help` for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	_ "time/tzdata" // pages show Swedish time even on machines without tzdata
)

// version is set at build time (-ldflags "-X main.version=…").
var version = "dev"

// command is one subcommand. run gets the arguments after the command name
// and returns an error to print (exit 1), or errUsage (exit 2).
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what commands write to; tests substitute buffers.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

// errUsage means the command line was wrong; the usage was already printed.
var errUsage = errors.New("usage")

// exitError ends a command with an exit status without printing anything:
// the command has already said what went wrong where its reader looks for
// it (`rules evaluate` writes an error object on stdout).
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func commands() []command {
	return []command{
		{"serve", "run the web server", runServe},
		{"migrate", "apply or list database migrations", runMigrate},
		{"demo", "load the synthetic demo data set", runDemo},
		{"generate", "fill a database with synthetic national data", runGenerate},
		{"loadtest", "measure a running server on this machine under a mix of users", runLoadtest},
		{"user", "add users, set passwords, disable accounts", runUser},
		{"token", "create, list and revoke API tokens", runToken},
		{"oidc", "configure an organisation's single sign-on", runOIDC},
		{"audit", "verify or seal the tamper-evident audit log", runAudit},
		{"rules", "compute sickness benefit and the rehabilitation chain", runRules},
		{"import", "import medical certificates from files", runImport},
		{"messages", "send reminders of unanswered supplement requests", runMessages},
		{"cases", "recompute where every open sickness case stands", runCases},
		{"backup", "copy the embedded database to a file while it is in use", runBackup},
		{"restore", "replace the embedded database with a backup", runRestore},
		{"version", "print the version", runVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:])
	stop()
	os.Exit(code)
}

// run dispatches to a command and maps its result onto an exit code: 0 done,
// 1 failed (one line on stderr says what to do), 2 wrong usage.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		if len(args) > 1 {
			return run(ctx, e, []string{args[1], "--help"})
		}
		usage(e.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, e, args[1:])
		var exit exitError
		switch {
		case err == nil, errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		case errors.As(err, &exit):
			return exit.code
		default:
			fmt.Fprintf(e.stderr, "finsam %s: %v\n", c.name, oneLine(err))
			return 1
		}
	}
	fmt.Fprintf(e.stderr, "finsam: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return 2
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

func usage(w io.Writer) {
	fmt.Fprint(w, `finsam — coordinated rehabilitation in Swedish social insurance.

Usage: finsam <command> [flags]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run 'finsam <command> --help' for the flags of a command.
Every command that uses the database takes --data and --database (or
FINSAM_DATA and FINSAM_DATABASE_URL), so they always mean the same database.
`)
}

// newFlagSet makes a flag set that prints the command's explanation and
// flags on --help and on a wrong flag.
func newFlagSet(e *env, name, synopsis, explanation string) *flag.FlagSet {
	fs := flag.NewFlagSet("finsam "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprintf(out, "Usage: finsam %s %s\n\n%s\n", name, synopsis, strings.TrimSpace(explanation))
		var any bool
		fs.VisitAll(func(*flag.Flag) { any = true })
		if any {
			fmt.Fprintf(out, "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parse parses flags; --help prints to stdout and succeeds, a wrong flag
// exits 2 with the usage on stderr.
func parse(e *env, fs *flag.FlagSet, args []string) error {
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			fs.SetOutput(e.stdout)
			fs.Usage()
			return flag.ErrHelp
		}
		if a == "--" {
			break
		}
	}
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	return nil
}

// parseFlagsOnly is parse for a command that takes flags and no arguments.
func parseFlagsOnly(e *env, fs *flag.FlagSet, args []string) error {
	if err := parse(e, fs, args); err != nil {
		return err
	}
	return noArgs(fs)
}

// noArgs fails with usage when positional arguments were given.
func noArgs(fs *flag.FlagSet) error {
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n\n", fs.Arg(0))
		return badUsage(fs)
	}
	return nil
}

// badUsage prints the command's usage to standard error and returns
// errUsage: the command was called with the wrong arguments.
func badUsage(fs *flag.FlagSet) error {
	fs.Usage()
	return errUsage
}

// newTable is a table for the terminal on w, its columns separated by tabs,
// with the header line of tab-separated column names already written.
// Flush writes it.
func newTable(w io.Writer, header string) *tabwriter.Writer {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	return tw
}
