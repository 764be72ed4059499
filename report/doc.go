// Package report renders a connectordiff.Result for people and machines. It
// only presents: every judgement was made by package breaking.
package report
