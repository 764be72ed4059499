package connectordiff_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/connectordiff/connectordiff"
)

// wideRenamed is a definition with one operation with n query parameters
// (params) or n response properties, all named with prefix: comparing two
// prefixes renames every one of them.
func wideRenamed(n int, params bool, prefix string) []byte {
	np, nr := 0, n
	if params {
		np, nr = n, 0
	}
	var b strings.Builder
	b.WriteString(`{"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {"/x": {"get": {"operationId": "Get", "parameters": [`)
	for i := range np {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name": "%sParam%d", "in": "query", "type": "string"}`, prefix, i)
	}
	b.WriteString(`], "responses": {"200": {"description": "ok", "schema": {"type": "object", "properties": {`)
	for i := range nr {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"%sProp%d": {"type": "string"}`, prefix, i)
	}
	b.WriteString(`}}}}}}}}`)
	return []byte(b.String())
}

// BenchmarkWideRenamed compares an operation whose parameters, or whose
// response properties, were all renamed, whole pipeline (load, compare,
// judge), at growing widths: time per name stays flat when matching is
// linear. Names are renamed to unrelated ones ("a" to "b") or in case only
// ("a" to "A", which pairs each old property with its new one).
func BenchmarkWideRenamed(b *testing.B) {
	for _, kind := range []struct {
		name     string
		params   bool
		old, new string
	}{{"parameters", true, "a", "b"}, {"properties", false, "a", "b"}, {"properties-case", false, "a", "A"}} {
		for _, n := range []int{1_000, 10_000, 40_000} {
			old, new := wideRenamed(n, kind.params, kind.old), wideRenamed(n, kind.params, kind.new)
			b.Run(fmt.Sprintf("%s/%d", kind.name, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					res, err := connectordiff.Compare(context.Background(), old, new)
					if err != nil {
						b.Fatal(err)
					}
					if len(res.Findings()) == 0 {
						b.Fatal("the renames were not found")
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/name")
			})
		}
	}
}
