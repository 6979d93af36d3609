package main

import (
	"context"
	"fmt"
	"time"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/web"
)

const messagesHelp = `
Messages between Försäkringskassan and care providers (supplement requests):

  finsam messages remind

sends one reminder (PAMINN) for every supplement request (KOMPLT) that is
unanswered after its last answer date and has had none, each with an entry
in the audit log, and prints how many it sent. It is idempotent: a request
gets one reminder however often it runs, so run it daily from cron or a
systemd timer. A care provider's GET /api/v1/messages also sends the
reminders that are due to it before it lists its messages, so none is
missed between two runs.`

func runMessages(ctx context.Context, e *env, args []string) error {
	sub, args, err := subcommand(e, "messages", "remind [flags]", messagesHelp, args, "remind")
	if err != nil {
		return err
	}
	fs := newFlagSet(e, "messages "+sub, "[flags]", messagesHelp)
	db, keys := storeFlags(fs, e)
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	st, auditKeys, err := openAudited(ctx, db, keys, false)
	if err != nil {
		return err
	}
	defer st.Close()
	sent, err := web.SendReminders(ctx, st, auditKeys, audit.Event{ActorName: cliActor(), RemoteAddr: "local"}, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "reminders sent: %d\n", len(sent))
	return nil
}
