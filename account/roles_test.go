package account

import "testing"

// Roles are stored as bits: a role's number never changes, and every role
// reads back from its name.
func TestRolesKeepTheirNumbersAndNames(t *testing.T) {
	want := []struct {
		role Role
		name string
	}{
		{CaseWorker, "case_worker"}, {Coordinator, "coordinator"}, {AssociationStaff, "association_staff"},
		{Manager, "manager"}, {Board, "board"}, {Admin, "admin"}, {IntakeSteward, "intake_steward"},
	}
	if len(AllRoles()) != len(want) {
		t.Fatalf("%d roles, this test knows %d", len(AllRoles()), len(want))
	}
	for i, w := range want {
		if int(w.role) != i || w.role.String() != w.name {
			t.Errorf("role %d is %d %q, want %q", i, w.role, w.role, w.name)
		}
		if r, err := ParseRole(w.name); err != nil || r != w.role {
			t.Errorf("ParseRole(%q) = %v, %v", w.name, r, err)
		}
	}
	rs, err := ParseRoles("admin, intake_steward")
	if err != nil || !rs.Has(IntakeSteward) || !rs.Has(Admin) || rs.Has(Manager) || rs.String() != "admin,intake_steward" {
		t.Errorf("ParseRoles: %v %v", rs, err)
	}
}
