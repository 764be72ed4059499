// Command library is connectordiff as a library, in five lines: compare two
// definitions and print the findings.
//
//	go run ./examples/library testdata/example/old.json testdata/example/new.json
package main
