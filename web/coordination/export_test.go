package coordination

// FieldLabel is fieldLabel, for the external tests.
var FieldLabel = fieldLabel
