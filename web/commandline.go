package web

import (
	"github.com/finsam/finsam/web/calculator"
	"github.com/finsam/finsam/web/internal/supplement"
)

// What the command line shares with the server: the rules API, which
// `finsam rules` answers from standard input, and the reminders of
// unanswered supplement requests, which `finsam messages` sends. The
// command line cannot import web/internal itself.

// MaxRulesInputBytes bounds a rules API input (see calculator.MaxRulesInputBytes).
const MaxRulesInputBytes = calculator.MaxRulesInputBytes

var (
	// EvaluateRulesJSON evaluates a JSON input (see calculator.EvaluateRulesJSON).
	EvaluateRulesJSON = calculator.EvaluateRulesJSON

	// SendReminders sends the reminders of unanswered supplement requests
	// (see supplement.SendReminders).
	SendReminders = supplement.SendReminders
)
