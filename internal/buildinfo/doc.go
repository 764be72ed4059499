// Package buildinfo reads what the running binary knows about the
// connectordiff it was built with, for the facade's Build and for the
// reports' default tool version and rule links, which cannot import the
// facade.
package buildinfo
