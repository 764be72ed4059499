// Package message writes a finding's sentence from its parts: the one
// place a finding is put into words, for every format package report
// renders and for fix's own summary. It judges nothing.
package message
