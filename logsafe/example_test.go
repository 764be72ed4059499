package logsafe_test

import (
	"fmt"

	"github.com/connectordiff/connectordiff/logsafe"
)

func ExampleLine() {
	folder := "connectors/x\n::error title=INJECTED::owned\n##vso[task.prependpath]/tmp/evil"
	fmt.Println(logsafe.Line(folder))
	fmt.Println(logsafe.Line("::error title=X::boom"))
	fmt.Println(logsafe.Line("Élément ✅ 数据"))
	// Output:
	// connectors/x\n::error title=INJECTED::owned\n\x23#vso[task.prependpath]/tmp/evil
	// \x3a:error title=X::boom
	// Élément ✅ 数据
}
