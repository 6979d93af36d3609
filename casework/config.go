package casework

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/finsam/finsam/store"
)

// SettingConfig is the settings key that holds the thresholds as JSON.
const SettingConfig = "casework_config"

// LoadConfig reads the thresholds an administrator set. A key missing from
// the stored JSON keeps its default, so that a threshold added by a newer
// finsam starts at its default; no stored configuration means
// DefaultConfig.
func LoadConfig(ctx context.Context, q store.Querier) (Config, error) {
	cfg := DefaultConfig()
	raw, err := store.Setting(ctx, q, SettingConfig)
	if errors.Is(err, store.ErrNotFound) {
		return cfg, nil
	}
	if err != nil {
		return cfg, err
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return DefaultConfig(), fmt.Errorf("setting %s: %w", SettingConfig, err)
	}
	if err := cfg.Validate(); err != nil {
		return DefaultConfig(), fmt.Errorf("setting %s: %w", SettingConfig, err)
	}
	return cfg, nil
}

// SaveConfig validates and stores the thresholds.
func SaveConfig(ctx context.Context, tx *store.Tx, cfg Config) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(cfg)
	if err != nil {
		return err
	}
	return store.SetSetting(ctx, tx, SettingConfig, string(b))
}

// ConfigError names a threshold that is out of bounds; Field is its JSON
// name.
type ConfigError struct {
	Field string
	Value int
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("casework configuration: %s must be a positive number (is %d)", e.Field, e.Value)
}

// Validate checks that every threshold is positive. The errors are
// *ConfigError, joined when several fields are wrong.
func (c Config) Validate() error {
	var errs []error
	for _, f := range []struct {
		name  string
		value int
	}{
		{"return_plan_day", c.ReturnPlanDay},
		{"return_plan_min_days", c.ReturnPlanMinDays},
		{"no_plan_from_day", c.NoPlanFromDay},
		{"repeated_cases", c.RepeatedCases},
		{"repeated_months", c.RepeatedMonths},
		{"quality_below", c.QualityBelow},
		{"no_contact_days", c.NoContactDays},
		{"no_contact_from_day", c.NoContactFromDay},
		{"time_limit_warn_days", c.TimeLimitWarnDays},
	} {
		if f.value <= 0 {
			errs = append(errs, &ConfigError{Field: f.name, Value: f.value})
		}
	}
	return errors.Join(errs...)
}
