// Command connectordiff tells whether an update to a Power Platform
// connector breaks the flows and apps that already use it.
//
//	connectordiff compare OLD NEW [--format text|json] [--fail-on breaking|warning|never]
//
// Exit status: 0 when nothing reaches --fail-on, 1 when something does, 2
// for usage or input errors (the error goes to stderr).
package main
