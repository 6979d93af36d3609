package e2e

import (
	"testing"

	"github.com/finsam/finsam/internal/browsertest"
)

func TestMain(m *testing.M) { browsertest.Main(m) }
