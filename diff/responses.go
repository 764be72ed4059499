package diff

import (
	"sort"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
)

// Responses and webhooks: what a caller receives, by success status code,
// and the payloads a webhook trigger delivers.

// successCodes lists an operation's success status codes, lowest first: the
// 2xx codes, or "default" when there is no 2xx and the default has a schema.
func successCodes(d *connector.Document, resps *connector.Node, p string) []string {
	var codes []string
	pairs(resps, func(k, _ *connector.Node) {
		if len(k.Value()) == 3 && k.Value()[0] == '2' {
			codes = append(codes, k.Value())
		}
	})
	if len(codes) == 0 {
		if def, _ := d.Resolve(get(resps, "default"), ptr(p, "default")); def != nil && get(def, "schema") != nil {
			codes = append(codes, "default")
		}
	}
	sort.Strings(codes)
	return codes
}

func (c *comparer) responses(oo, no *connector.Operation) {
	or, nr := get(oo.Node, "responses"), get(no.Node, "responses")
	orp, nrp := ptr(oo.Pointer, "responses"), ptr(no.Pointer, "responses")
	oc, nc := successCodes(c.old, or, orp), successCodes(c.new, nr, nrp)
	if len(oc) == 0 {
		return
	}
	vp := "operation/" + oo.ID + "/responses/"
	oldPrimary, oldPrimaryPtr := c.old.Resolve(get(or, oc[0]), ptr(orp, oc[0]))
	if len(nc) == 0 {
		c.emit(&Change{Kind: ResponseRemoved, Where: InResponse, Subject: strings.Join(oc, ", "),
			Old: loc(oldPrimaryPtr, get(or, oc[0])), New: c.fieldLoc(no.Pointer, "responses", no.Node),
			ValuePath: vp + oc[0],
			Facts:     Facts{NamedProperties: namedProperties(c.old, get(oldPrimary, "schema"))}})
		return
	}
	for _, code := range oc {
		if code != "default" && get(nr, code) == nil {
			c.emit(&Change{Kind: ResponseRemoved, Where: InResponse, Subject: code,
				Old: loc(ptr(orp, code), get(or, code)), New: loc(nrp, nr), ValuePath: vp + code,
				Facts: Facts{Secondary: true}})
		}
	}
	newPrimary, _ := c.new.Resolve(get(nr, nc[0]), ptr(nrp, nc[0]))
	newPrimaryHasSchema := get(newPrimary, "schema") != nil
	compare := func(ocode, ncode string, primary bool) {
		o, op := c.old.Resolve(get(or, ocode), ptr(orp, ocode))
		n, np := c.new.Resolve(get(nr, ncode), ptr(nrp, ncode))
		if o == nil || n == nil {
			return
		}
		os, ns := get(o, "schema"), get(n, "schema")
		label := "response " + ocode
		if os != nil && ns == nil {
			c.emit(&Change{Kind: ResponseSchemaRemoved, Where: InResponse, Subject: label,
				Old: loc(op+"/schema", os), New: loc(np, n), ValuePath: vp + ocode + "/schema",
				Facts: Facts{NamedProperties: namedProperties(c.old, os), Secondary: !primary && newPrimaryHasSchema}})
		} else if os != nil {
			c.schema(InResponse, false, label, vp+ocode+"/schema", "", os, ns, op+"/schema", np+"/schema")
		} else if ns != nil {
			// No schema before: a dynamic schema now makes the designer
			// build outputs from a lookup.
			nsr, nsp := c.new.Resolve(ns, np+"/schema")
			for _, ch := range c.dynamic(schemaCtx{where: InResponse}, nil, nsr, connector.NewPointer(op), connector.NewPointer(nsp)) {
				ch.Subject, ch.ValuePath, ch.Where = label, vp+ocode+"/schema", InResponse
				ch.Old = loc(op, o)
				c.emit(ch)
			}
		}
		nh := keyIndex(get(n, "headers"))
		pairs(get(o, "headers"), func(k, h *connector.Node) {
			if nh[k.Value()] == nil {
				c.emit(&Change{Kind: ResponseHeaderRemoved, Where: InResponse, Subject: label + " header " + k.Value(), Field: k.Value(),
					Old: loc(ptr(op+"/headers", k.Value()), h), New: loc(np, n), ValuePath: vp + ocode + "/headers/" + k.Value()})
			}
		})
	}
	// Primary to primary (the lowest success code on each side), then every
	// success code present on both sides.
	compare(oc[0], nc[0], true)
	for _, code := range oc {
		if contains(nc, code) && (code != oc[0] || code != nc[0]) {
			compare(code, code, false)
		}
	}
}

// namedProperties reports whether a schema names properties a flow could
// reference, directly or through allOf or array items.
func namedProperties(d *connector.Document, s *connector.Node) bool {
	for depth := 0; depth < 8; depth++ {
		s, _ = d.Resolve(s, "")
		if s == nil {
			return false
		}
		if len(flatten(d, s, connector.NewPointer("")).list) > 0 {
			return true
		}
		if s = get(s, "items"); s == nil {
			return false
		}
	}
	return false
}

// notification returns the webhook payload schema container of an
// operation: x-ms-notification-content on the operation, or on its path item
// when the operation is the trigger there (or no operation there is).
func notification(o *connector.Operation, all []*connector.Operation) (*connector.Node, string) {
	if n := get(o.Node, "x-ms-notification-content"); n != nil {
		return n, ptr(o.Pointer, "x-ms-notification-content")
	}
	n := get(o.PathItem, "x-ms-notification-content")
	if n == nil {
		return nil, ""
	}
	if o.Trigger == "" {
		for _, s := range all {
			if s.PathItem == o.PathItem && s.Trigger != "" {
				return nil, ""
			}
		}
	}
	return n, ptr(o.PathPointer, "x-ms-notification-content")
}

func (c *comparer) webhook(oo, no *connector.Operation) {
	on, op := notification(oo, c.old.Operations())
	if on == nil {
		return
	}
	nn, np := notification(no, c.new.Operations())
	os := get(on, "schema")
	if os == nil {
		return
	}
	vp := "operation/" + oo.ID + "/responses/x-ms-notification-content/schema"
	var ns *connector.Node
	if nn != nil {
		ns = get(nn, "schema")
	}
	if ns == nil {
		newLoc := loc(no.Pointer, no.Node)
		if nn != nil {
			newLoc = loc(np, nn)
		}
		c.emit(&Change{Kind: ResponseSchemaRemoved, Where: InWebhook, Subject: "webhook payload",
			Old: loc(op+"/schema", os), New: newLoc, ValuePath: vp,
			Facts: Facts{NamedProperties: namedProperties(c.old, os)}})
		return
	}
	c.schema(InWebhook, false, "webhook payload", vp, "", os, ns, op+"/schema", np+"/schema")
}
