package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/user"
	"slices"
	"strings"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
)

// cliActor is how command-line changes appear in the audit log.
func cliActor() string {
	if u, err := user.Current(); err == nil {
		return "cli:" + u.Username
	}
	return "cli"
}

func cliEvent(action, resourceType, resourceID, detail string) audit.Event {
	return audit.Event{ActorName: cliActor(), Action: action, Outcome: audit.OutcomeOK, ResourceType: resourceType,
		ResourceID: resourceID, Purpose: detail, RemoteAddr: "local"}
}

// subcommand splits "finsam CMD SUB [flags]": it returns SUB and the rest,
// or prints the usage (exit 0 for --help, 2 otherwise).
func subcommand(e *env, cmd, synopsis, help string, args []string, subs ...string) (string, []string, error) {
	if len(args) > 0 && slices.Contains(subs, args[0]) {
		return args[0], args[1:], nil
	}
	fs := newFlagSet(e, cmd, synopsis, help)
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		fmt.Fprintf(e.stderr, "unknown subcommand %q\n\n", args[0])
		fs.Usage()
		return "", nil, errUsage
	}
	if err := parse(e, fs, args); err != nil {
		return "", nil, err
	}
	fs.Usage()
	return "", nil, errUsage
}

// printByOrg prints a table, under header, of the rows list gives for one
// organisation (slug "": of all; list gets orgID 0), one line each written
// by line with the slugs of every organisation by id at hand.
func printByOrg[T any](ctx context.Context, e *env, q store.Querier, slug, header string,
	list func(ctx context.Context, q store.Querier, orgID int64) ([]T, error),
	line func(w io.Writer, row T, slugs map[int64]string)) error {
	var orgID int64
	if slug != "" {
		org, err := store.OrganisationBySlug(ctx, q, slug)
		if err != nil {
			return fmt.Errorf("organisation %q: %w", slug, err)
		}
		orgID = org.ID
	}
	orgs, err := store.Organisations(ctx, q, "")
	if err != nil {
		return err
	}
	slugs := make(map[int64]string, len(orgs))
	for _, o := range orgs {
		slugs[o.ID] = o.Slug
	}
	rows, err := list(ctx, q, orgID)
	if err != nil {
		return err
	}
	tw := newTable(e.stdout, header)
	for _, r := range rows {
		line(tw, r, slugs)
	}
	return tw.Flush()
}

// stateWord is "active", or what a row is instead (disabled, revoked).
func stateWord(inactive bool, instead string) string {
	if inactive {
		return instead
	}
	return "active"
}

// readPassword takes a password from the first line of stdin.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func runUser(ctx context.Context, e *env, args []string) error {
	const synopsis = "add|passwd|disable|list [flags]"
	const help = `
Manages users from the command line, for administrators.

  finsam user add --org SLUG --username NAME --name "Full Name" --roles case_worker[,manager…]
                  [--office SLUG] [--password-stdin]
      Creates a user. Without --password-stdin a random password is made
      and printed once. Roles: case_worker, coordinator, association_staff,
      manager, board, admin, intake_steward (reads rejected certificates in
      full; administrators see only why they were rejected).
  finsam user passwd --username NAME [--password-stdin]
      Sets a new password (random and printed, or the first line of stdin)
      and ends the user's sessions.
  finsam user disable --username NAME
      Disables the account and ends its sessions.
  finsam user list [--org SLUG]

Every change is written to the audit log.`
	sub, args, err := subcommand(e, "user", synopsis, help, args, "add", "passwd", "disable", "list")
	if err != nil {
		return err
	}
	fs := newFlagSet(e, "user "+sub, "[flags]", help)
	db, keys := storeFlags(fs, e)
	var f userFlags
	fs.StringVar(&f.org, "org", "", "organisation `SLUG`")
	fs.StringVar(&f.username, "username", "", "user `NAME` to sign in with")
	fs.StringVar(&f.name, "name", "", "the person's full `NAME`")
	fs.StringVar(&f.roles, "roles", "", "comma-separated `ROLES`")
	fs.StringVar(&f.office, "office", "", "office `SLUG` within the organisation")
	fs.StringVar(&f.email, "email", "", "e-mail `ADDRESS`")
	fs.BoolVar(&f.passwordStdin, "password-stdin", false, "read the password from the first line of standard input")
	fs.StringVar(&f.subject, "oidc-subject", "", "the user's `SUBJECT` at the organisation's identity provider (single sign-on); with it, no password is set unless --password-stdin")
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}

	st, err := db.open(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()

	switch sub {
	case "list":
		return listUsers(ctx, e, st, f.org)
	case "add":
		if err := requireFlags(e, fs, "org", "username", "name", "roles"); err != nil {
			return err
		}
		return addUser(ctx, e, st, keys, f)
	default: // passwd, disable
		if err := requireFlags(e, fs, "username"); err != nil {
			return err
		}
		return changeUser(ctx, e, st, keys, sub, f)
	}
}

// userFlags are the flags of finsam user's subcommands.
type userFlags struct {
	org, username, name, roles, office, email, subject string
	passwordStdin                                      bool
}

// newPassword reads the password from the first line of standard input
// with --password-stdin, checked against the password rules; without it,
// it makes one up and says so (generated), to be printed once.
func (f userFlags) newPassword(stdin io.Reader) (pw string, generated bool, err error) {
	if !f.passwordStdin {
		return account.GeneratePassword(), true, nil
	}
	pw, err = readPassword(stdin)
	if err != nil {
		return "", false, err
	}
	if err := account.CheckPasswordRules(pw); err != nil {
		return "", false, err
	}
	return pw, false, nil
}

// requireFlags prints the usage and fails when one of the named flags is
// empty.
func requireFlags(e *env, fs *flag.FlagSet, names ...string) error {
	for _, n := range names {
		if strings.TrimSpace(fs.Lookup(n).Value.String()) == "" {
			fmt.Fprintf(e.stderr, "--%s is required\n\n", n)
			return badUsage(fs)
		}
	}
	return nil
}

// listUsers prints the users of one organisation (orgSlug "": of all).
func listUsers(ctx context.Context, e *env, st *store.Store, orgSlug string) error {
	return printByOrg(ctx, e, st, orgSlug, "USERNAME\tNAME\tORG\tROLES\tSTATE", store.Users, func(w io.Writer, u store.User, slugs map[int64]string) {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", u.Username, u.Name, slugs[u.OrgID], u.Roles, stateWord(u.Disabled, "disabled"))
	})
}

// addUser creates a user with the audit event of it. A user who signs in
// through the organisation's identity provider gets no password unless one
// is given on standard input.
func addUser(ctx context.Context, e *env, st *store.Store, keys *keyFlags, f userFlags) error {
	roles, err := account.ParseRoles(f.roles)
	if err != nil {
		return err
	}
	auditKeys, err := keys.open(ctx, st, true, nil)
	if err != nil {
		return err
	}
	var pw, hash string
	var generated bool
	if f.subject == "" || f.passwordStdin {
		if pw, generated, err = f.newPassword(e.stdin); err != nil {
			return err
		}
		if hash, err = account.HashPassword(pw); err != nil {
			return err
		}
	}
	err = st.Tx(ctx, func(tx *store.Tx) error {
		org, err := store.OrganisationBySlug(ctx, tx, f.org)
		if err != nil {
			return fmt.Errorf("organisation %q: %w", f.org, err)
		}
		u := store.User{Username: f.username, Name: f.name, Email: f.email, OrgID: org.ID, Roles: roles, PasswordHash: hash, OIDCSubject: f.subject}
		if f.office != "" {
			if u.OfficeID, err = officeID(ctx, tx, org, f.office); err != nil {
				return err
			}
		}
		id, err := store.CreateUser(ctx, tx, u)
		if errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("user name %q is taken", f.username)
		} else if err != nil {
			return err
		}
		return store.AppendAudit(ctx, tx, auditKeys, cliEvent("create_user", "user", fmt.Sprint(id), "roles "+roles.String()+" in "+org.Slug))
	})
	if err != nil {
		return err
	}
	if generated {
		fmt.Fprintf(e.stdout, "created user %s; password (shown once): %s\n", f.username, pw)
	} else if f.subject != "" && pw == "" {
		fmt.Fprintf(e.stdout, "created user %s, who signs in through the organisation's identity provider\n", f.username)
	} else {
		fmt.Fprintf(e.stdout, "created user %s\n", f.username)
	}
	return nil
}

// officeID finds an organisation's office by its slug.
func officeID(ctx context.Context, q store.Querier, org organisation.Organisation, slug string) (int64, error) {
	offices, err := store.Offices(ctx, q, org.ID)
	if err != nil {
		return 0, err
	}
	var id int64
	for _, o := range offices {
		if o.Slug == slug {
			id = o.ID
		}
	}
	if id == 0 {
		return 0, fmt.Errorf("organisation %s has no office %q", org.Slug, slug)
	}
	return id, nil
}

// changeUser sets a new password (sub "passwd") or disables the account
// (sub "disable"); either ends the user's sessions and is audited.
func changeUser(ctx context.Context, e *env, st *store.Store, keys *keyFlags, sub string, f userFlags) error {
	auditKeys, err := keys.open(ctx, st, true, nil)
	if err != nil {
		return err
	}
	var pw string
	var generated bool
	if sub == "passwd" {
		if pw, generated, err = f.newPassword(e.stdin); err != nil {
			return err
		}
	}
	err = st.Tx(ctx, func(tx *store.Tx) error {
		u, err := store.UserByName(ctx, tx, f.username)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no user %q", f.username)
		} else if err != nil {
			return err
		}
		if sub == "passwd" {
			hash, err := account.HashPassword(pw)
			if err != nil {
				return err
			}
			if err := store.SetPassword(ctx, tx, u.ID, hash); err != nil {
				return err
			}
		} else {
			u.Disabled = true
			if err := store.UpdateUser(ctx, tx, u); err != nil {
				return err
			}
		}
		if _, err := store.DeleteUserSessions(ctx, tx, u.ID); err != nil {
			return err
		}
		action := map[string]string{"passwd": "set_password", "disable": "disable_user"}[sub]
		return store.AppendAudit(ctx, tx, auditKeys, cliEvent(action, "user", fmt.Sprint(u.ID), u.Username))
	})
	if err != nil {
		return err
	}
	switch {
	case sub == "disable":
		fmt.Fprintf(e.stdout, "disabled %s and ended their sessions\n", f.username)
	case generated:
		fmt.Fprintf(e.stdout, "new password for %s (shown once): %s\n", f.username, pw)
	default:
		fmt.Fprintf(e.stdout, "password set for %s\n", f.username)
	}
	return nil
}

func runToken(ctx context.Context, e *env, args []string) error {
	help := `
Manages API tokens: credentials for systems (e.g. a health-care system
sending certificates), bound to one organisation and limited to scopes.

  finsam token create --org SLUG --scope SCOPE[,SCOPE…] [--name TEXT]
      Prints the new token alone on standard output. It is shown once:
      finsam keeps only its hash.
  finsam token list [--org SLUG]
  finsam token revoke --id N

Scopes: ` + scopeList()
	sub, args, err := subcommand(e, "token", "create|list|revoke [flags]", help, args, "create", "list", "revoke")
	if err != nil {
		return err
	}
	fs := newFlagSet(e, "token "+sub, "[flags]", help)
	db, keys := storeFlags(fs, e)
	orgSlug := fs.String("org", "", "organisation `SLUG` the token acts for")
	scopeFlag := fs.String("scope", "", "comma-separated `SCOPES`")
	name := fs.String("name", "", "what the token is for")
	id := fs.Int64("id", 0, "token `ID` (from token list)")
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	if sub == "create" && (*orgSlug == "" || *scopeFlag == "") || sub == "revoke" && *id == 0 {
		fmt.Fprintf(e.stderr, "missing flags\n\n")
		return badUsage(fs)
	}
	var scopes []account.Scope
	for _, sc := range strings.Split(*scopeFlag, ",") {
		if sc = strings.TrimSpace(sc); sc == "" {
			continue
		}
		if !account.ValidScope(sc) {
			return fmt.Errorf("unknown scope %q (known: %s)", sc, scopeList())
		}
		scopes = append(scopes, account.Scope(sc))
	}
	st, err := db.open(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	switch sub {
	case "list":
		return printByOrg(ctx, e, st, *orgSlug, "ID\tPREFIX\tORG\tSCOPES\tNAME\tSTATE", store.Tokens, func(w io.Writer, t store.Token, slugs map[int64]string) {
			fmt.Fprintf(w, "%d\t%s…\t%s\t%v\t%s\t%s\n", t.ID, t.Prefix, slugs[t.OrgID], t.Scopes, t.Name, stateWord(!t.RevokedAt.IsZero(), "revoked"))
		})
	case "revoke":
		auditKeys, err := keys.open(ctx, st, true, nil)
		if err != nil {
			return err
		}
		err = st.Tx(ctx, func(tx *store.Tx) error {
			if err := store.RevokeToken(ctx, tx, *id); errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("no token %d", *id)
			} else if err != nil {
				return err
			}
			return store.AppendAudit(ctx, tx, auditKeys, cliEvent("revoke_token", "token", fmt.Sprint(*id), ""))
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "revoked token %d\n", *id)
		return nil
	}
	auditKeys, err := keys.open(ctx, st, true, nil)
	if err != nil {
		return err
	}
	secret := account.NewSecret(account.TokenPrefix)
	err = st.Tx(ctx, func(tx *store.Tx) error {
		org, err := store.OrganisationBySlug(ctx, tx, *orgSlug)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no organisation %q (see the admin pages for slugs)", *orgSlug)
		} else if err != nil {
			return err
		}
		label := *name
		if label == "" {
			label = "created on the command line"
		}
		tid, err := store.CreateToken(ctx, tx, store.Token{OrgID: org.ID, Name: label, Scopes: scopes}, secret)
		if err != nil {
			return err
		}
		return store.AppendAudit(ctx, tx, auditKeys, cliEvent("create_token", "token", fmt.Sprint(tid), *scopeFlag+" for "+org.Slug))
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, secret)
	return nil
}

func scopeList() string {
	var names []string
	for _, s := range account.KnownScopes {
		names = append(names, string(s))
	}
	return strings.Join(names, ", ")
}

func runAudit(ctx context.Context, e *env, args []string) error {
	const help = `
Works with the tamper-evident audit log.

  finsam audit verify
      Walks the hash chain and its signed checkpoints and compares them with
      the anchor (--audit-anchor, given once per instance that keeps its
      own; a file exported from syslog works too). Exits 0 when every entry
      is intact; otherwise exits 1 naming the first entry that was edited,
      removed or inserted, or the tail that was rewound (the anchor holds a
      checkpoint the database lacks). A missing anchor file fails it unless
      the log has no checkpoint yet. With --public-key it needs no secret.
  finsam audit seal
      Signs the current head of the chain now and appends the newest
      checkpoint to the anchor (the server also does this every 100 entries
      and when it stops).
  finsam audit public-key
      Prints the public key that verifies the log, for --public-key: an
      auditor can verify with it alone.`
	sub, args, err := subcommand(e, "audit", "verify|seal|public-key [flags]", help, args, "verify", "seal", "public-key")
	if err != nil {
		return err
	}
	fs := newFlagSet(e, "audit "+sub, "[flags]", help)
	db, keys := storeFlags(fs, e)
	var publicKey *string
	if sub == "verify" {
		publicKey = fs.String("public-key", e.getenv("FINSAM_AUDIT_PUBLIC_KEY"),
			"verify with this `KEY` (from 'finsam audit public-key') instead of the secret file (env FINSAM_AUDIT_PUBLIC_KEY)")
	}
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	if sub == "public-key" {
		auditKeys, err := keys.load(false)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, auditKeys.PublicKey())
		return nil
	}
	st, err := db.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if sub == "seal" {
		auditKeys, err := keys.open(ctx, st, false, nil)
		if err != nil {
			return err
		}
		if err := st.SealAudit(ctx, auditKeys); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, "sealed the audit log")
		return nil
	}
	var key audit.PublicKey
	if *publicKey != "" {
		if key, err = audit.ParsePublicKey(*publicKey); err != nil {
			return err
		}
	} else {
		auditKeys, err := keys.load(false)
		if err != nil {
			return err
		}
		key = auditKeys.PublicKey()
	}
	// The anchors first, then the database: the database is never behind
	// its anchors, so reading them in this order raises no false alarm
	// while a server keeps appending.
	paths, err := keys.anchorPaths()
	if err != nil {
		return err
	}
	var anchors []*audit.AnchorLog
	for _, p := range paths {
		a, err := audit.ReadAnchorFile(p)
		if err != nil {
			return err
		}
		anchors = append(anchors, a)
	}
	res, err := st.CheckAudit(ctx, key, anchors)
	if err != nil {
		return fmt.Errorf("audit log NOT intact: %w", err)
	}
	fmt.Fprintf(e.stdout, "audit log intact: %d entries, signed up to entry %d", res.Entries, res.Sealed)
	switch {
	case len(paths) == 0:
		fmt.Fprintln(e.stdout, "; no anchor compared (--audit-anchor off): a rewound tail would go unnoticed")
	default:
		fmt.Fprintf(e.stdout, ", anchored up to entry %d (%s)\n", res.Anchored, strings.Join(paths, ", "))
	}
	if len(paths) > 0 && res.Anchored < res.Sealed {
		fmt.Fprintf(e.stdout, "note: the checkpoints after entry %d are in the database only: a crash came between the database's commit and the anchor's append, "+
			"or an instance whose anchor file was not given (or that runs without one) made them. `finsam audit seal` anchors the newest.\n", res.Anchored)
	}
	if res.TornLines > 0 {
		fmt.Fprintf(e.stdout, "note: %d anchor line(s) cut short by a crash were skipped\n", res.TornLines)
	}
	if res.OtherKeys > 0 {
		fmt.Fprintf(e.stdout, "note: %d anchor record(s) signed by another installation's key were skipped\n", res.OtherKeys)
	}
	return nil
}

func runOIDC(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "oidc", "set --org SLUG --issuer URL --client-id ID --name TEXT < client-secret", `
Configures single sign-on through OpenID Connect for an organisation: its
staff then sign in with their own identity provider (e.g. SITHS cards
through the agency's IdP) via "Logga in via NAME" on the sign-in page.
The client secret is read from the first line of standard input. Register
this redirect URL at the provider:
  <public URL of finsam>/login/oidc/<SLUG>/callback
Users are linked to the provider's subject with
'finsam user add --oidc-subject SUBJECT'.`)
	db, keys := storeFlags(fs, e)
	orgSlug := fs.String("org", "", "organisation `SLUG`")
	issuer := fs.String("issuer", "", "the provider's issuer `URL` (its discovery document is at URL/.well-known/openid-configuration)")
	clientID := fs.String("client-id", "", "finsam's client `ID` at the provider")
	name := fs.String("name", "", "what the sign-in button says, e.g. \"SITHS via Försäkringskassan\"")
	if len(args) > 0 && args[0] == "set" {
		args = args[1:]
	} else if len(args) == 0 || (args[0] != "--help" && args[0] != "-h" && args[0] != "-help") {
		return badUsage(fs)
	}
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	if *orgSlug == "" || *issuer == "" || *clientID == "" || *name == "" {
		fmt.Fprintf(e.stderr, "--org, --issuer, --client-id and --name are required\n\n")
		return badUsage(fs)
	}
	if !strings.HasPrefix(*issuer, "https://") && !strings.HasPrefix(*issuer, "http://127.0.0.1") && !strings.HasPrefix(*issuer, "http://localhost") {
		return fmt.Errorf("the issuer must be an https:// URL")
	}
	secret, err := readPassword(e.stdin)
	if err != nil || secret == "" {
		return fmt.Errorf("give the client secret on standard input")
	}
	st, auditKeys, err := openAudited(ctx, db, keys, true)
	if err != nil {
		return err
	}
	defer st.Close()
	err = st.Tx(ctx, func(tx *store.Tx) error {
		org, err := store.OrganisationBySlug(ctx, tx, *orgSlug)
		if err != nil {
			return fmt.Errorf("organisation %q: %w", *orgSlug, err)
		}
		if err := store.SetOIDCProvider(ctx, tx, store.OIDCProvider{OrgID: org.ID, Issuer: *issuer, ClientID: *clientID,
			ClientSecret: secret, DisplayName: *name}); err != nil {
			return err
		}
		return store.AppendAudit(ctx, tx, auditKeys, cliEvent("set_identity_provider", "organisation", org.Slug, *issuer))
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "single sign-on for %s goes through %s\n", *orgSlug, *issuer)
	return nil
}
