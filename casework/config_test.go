package casework_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

func TestConfigKeepsDefaultsForMissingKeysAndRefusesBadValues(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		cfg, err := casework.LoadConfig(ctx, st)
		if err != nil || cfg != casework.DefaultConfig() {
			t.Fatalf("nothing stored: %+v %v", cfg, err)
		}
		// An older or hand-written setting with one key: the rest keep
		// their defaults.
		storetest.Write(t, st, func(tx *store.Tx) error {
			return store.SetSetting(ctx, tx, casework.SettingConfig, `{"no_contact_days": 21}`)
		})
		cfg, err = casework.LoadConfig(ctx, st)
		want := casework.DefaultConfig()
		want.NoContactDays = 21
		if err != nil || cfg != want {
			t.Errorf("one key stored: %+v %v", cfg, err)
		}

		cfg.RepeatedCases = 4
		if err := st.Tx(ctx, func(tx *store.Tx) error { return casework.SaveConfig(ctx, tx, cfg) }); err != nil {
			t.Fatal(err)
		}
		if got, err := casework.LoadConfig(ctx, st); err != nil || got != cfg {
			t.Errorf("saved and loaded: %+v %v", got, err)
		}

		bad := cfg
		bad.QualityBelow, bad.TimeLimitWarnDays = 0, -5
		err = st.Tx(ctx, func(tx *store.Tx) error { return casework.SaveConfig(ctx, tx, bad) })
		var ce *casework.ConfigError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), "quality_below") || !strings.Contains(err.Error(), "time_limit_warn_days") {
			t.Errorf("bad thresholds saved: %v", err)
		}
		if got, _ := casework.LoadConfig(ctx, st); got != cfg {
			t.Errorf("a refused save changed the configuration: %+v", got)
		}

		for _, raw := range []string{`{"no_contact_days": 0}`, `{"no_such_key": 1}`, `not json`} {
			if err := st.Tx(ctx, func(tx *store.Tx) error { return store.SetSetting(ctx, tx, casework.SettingConfig, raw) }); err != nil {
				t.Fatal(err)
			}
			got, err := casework.LoadConfig(ctx, st)
			if err == nil || got != casework.DefaultConfig() {
				t.Errorf("%s: %+v %v, want an error and the defaults", raw, got, err)
			}
		}
	})
}

// TestValidateChecksEveryThreshold: a field added to Config must be added
// to Validate too.
func TestValidateChecksEveryThreshold(t *testing.T) {
	typ := reflect.TypeOf(casework.Config{})
	err := casework.Config{}.Validate()
	for i := range typ.NumField() {
		name := strings.Split(typ.Field(i).Tag.Get("json"), ",")[0]
		if err == nil || !strings.Contains(err.Error(), name+" ") {
			t.Errorf("Validate does not check %s", name)
		}
	}
	if err := casework.DefaultConfig().Validate(); err != nil {
		t.Errorf("the defaults are invalid: %v", err)
	}
}
