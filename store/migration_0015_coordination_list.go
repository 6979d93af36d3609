package store

// migration0015 orders an organisation's coordinations by invitation in
// an index: Mina samordningsärenden shows the newest 500 invitations, and
// Arbetsförmedlingen, one organisation for the whole country, is invited
// to thousands of coordinations; with the index the list is a backward
// range scan that stops at the 500th open one, not a sort of them all
// with the meetings and actions of each.
var migration0015 = migration{
	version: 15, name: "coordination list by invitation",
	up: func(d Dialect) []string {
		return []string{
			`CREATE INDEX coordination_parties_org_invited ON coordination_parties (org_id, invited_at, coordination_id)`,
		}
	},
}
