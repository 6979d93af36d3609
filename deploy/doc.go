// Package deploy holds finsam's systemd unit (finsam.service) and container
// image (Containerfile, built FROM scratch from the static binary); its
// tests check both with the tools the machine has and skip, saying why,
// where a tool is missing. See docs/operations.md.
package deploy
