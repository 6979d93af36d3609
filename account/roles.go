package account

import (
	"fmt"
	"strings"
)

// Role is one thing a user may do in finsam. A user holds a set of roles.
type Role uint8

// The roles. Their numeric values are stored (as a bit set): never reorder.
const (
	CaseWorker       Role = iota // handläggare at FK
	Coordinator                  // AF, region or municipality staff, rehab coordinator
	AssociationStaff             // samordningsförbund staff (förbundschef, utvecklare)
	Manager                      // FK manager (chef, försäkringsdirektör)
	Board                        // board member or member authority: reads reports
	Admin                        // manages users, offices, tokens; reads no case data
	// IntakeSteward reads rejected certificates in full (their bodies hold
	// personnummer and health data) to help senders correct them.
	IntakeSteward
	numRoles
)

var roleNames = [numRoles]string{"case_worker", "coordinator", "association_staff", "manager", "board", "admin", "intake_steward"}

// AllRoles lists every role in display order.
func AllRoles() []Role {
	out := make([]Role, numRoles)
	for i := range out {
		out[i] = Role(i)
	}
	return out
}

// String is the stable name of the role ("case_worker").
func (r Role) String() string {
	if r < numRoles {
		return roleNames[r]
	}
	return fmt.Sprintf("role(%d)", r)
}

// ParseRole reads a role name.
func ParseRole(s string) (Role, error) {
	for i, n := range roleNames {
		if n == s {
			return Role(i), nil
		}
	}
	return 0, fmt.Errorf("unknown role %q (known: %s)", s, strings.Join(roleNames[:], ", "))
}

// Roles is a set of roles, stored as a bit set.
type Roles uint32

// RolesOf makes a set.
func RolesOf(rs ...Role) Roles {
	var s Roles
	for _, r := range rs {
		s |= 1 << r
	}
	return s
}

// Has reports whether r is in the set.
func (s Roles) Has(r Role) bool { return s&(1<<r) != 0 }

// HasAny reports whether any role of o is in the set.
func (s Roles) HasAny(o Roles) bool { return s&o != 0 }

// List returns the roles in the set in display order.
func (s Roles) List() []Role {
	var out []Role
	for r := Role(0); r < numRoles; r++ {
		if s.Has(r) {
			out = append(out, r)
		}
	}
	return out
}

// String lists the role names separated by commas.
func (s Roles) String() string {
	names := make([]string, 0, numRoles)
	for _, r := range s.List() {
		names = append(names, r.String())
	}
	return strings.Join(names, ",")
}

// ParseRoles reads a comma-separated list of role names.
func ParseRoles(s string) (Roles, error) {
	var out Roles
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		r, err := ParseRole(part)
		if err != nil {
			return 0, err
		}
		out |= RolesOf(r)
	}
	return out, nil
}
