package diff

import (
	"sort"
	"strings"
)

// successCodes lists an operation's success status codes, lowest first: the
// 2xx codes, or "default" when there is no 2xx and the default has a schema.
func successCodes(d *Document, resps *Node, p string) []string {
	var codes []string
	pairs(resps, func(k, _ *Node) {
		if len(k.val) == 3 && k.val[0] == '2' {
			codes = append(codes, k.val)
		}
	})
	if len(codes) == 0 {
		if def, _ := d.resolve(get(resps, "default"), ptr(p, "default")); def != nil && get(def, "schema") != nil {
			codes = append(codes, "default")
		}
	}
	sort.Strings(codes)
	return codes
}

func (c *comparer) responses(oo, no *operation) {
	or, nr := get(oo.node, "responses"), get(no.node, "responses")
	orp, nrp := ptr(oo.ptr, "responses"), ptr(no.ptr, "responses")
	oc, nc := successCodes(c.old, or, orp), successCodes(c.new, nr, nrp)
	if len(oc) == 0 {
		return
	}
	vp := "operation/" + oo.id + "/responses/"
	oldPrimary, oldPrimaryPtr := c.old.resolve(get(or, oc[0]), ptr(orp, oc[0]))
	if len(nc) == 0 {
		c.emit(&Change{Kind: ResponseRemoved, Where: InResponse, Subject: strings.Join(oc, ", "),
			Old: loc(oldPrimaryPtr, get(or, oc[0])), New: c.fieldLoc(no.ptr, "responses", no.node),
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
	newPrimary, _ := c.new.resolve(get(nr, nc[0]), ptr(nrp, nc[0]))
	newPrimaryHasSchema := get(newPrimary, "schema") != nil
	compare := func(ocode, ncode string, primary bool) {
		o, op := c.old.resolve(get(or, ocode), ptr(orp, ocode))
		n, np := c.new.resolve(get(nr, ncode), ptr(nrp, ncode))
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
			c.schema(InResponse, false, label, vp+ocode+"/schema", os, ns, op+"/schema", np+"/schema")
		}
		nh := keyIndex(get(n, "headers"))
		pairs(get(o, "headers"), func(k, h *Node) {
			if nh[k.val] == nil {
				c.emit(&Change{Kind: ResponseHeaderRemoved, Where: InResponse, Subject: label + " header " + k.val,
					Old: loc(ptr(op+"/headers", k.val), h), New: loc(np, n), ValuePath: vp + ocode + "/headers/" + k.val})
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

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// namedProperties reports whether a schema names properties a flow could
// reference, directly or through allOf or array items.
func namedProperties(d *Document, s *Node) bool {
	for depth := 0; depth < 8; depth++ {
		s, _ = d.resolve(s, "")
		if s == nil {
			return false
		}
		if len(flatten(d, s, rootPtr("")).list) > 0 {
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
func notification(o *operation, all []*operation) (*Node, string) {
	if n := get(o.node, "x-ms-notification-content"); n != nil {
		return n, ptr(o.ptr, "x-ms-notification-content")
	}
	n := get(o.pathItem, "x-ms-notification-content")
	if n == nil {
		return nil, ""
	}
	if o.trigger == "" {
		for _, s := range all {
			if s.pathItem == o.pathItem && s.trigger != "" {
				return nil, ""
			}
		}
	}
	return n, ptr(o.pathPtr, "x-ms-notification-content")
}

func (c *comparer) webhook(oo, no *operation) {
	on, op := notification(oo, c.old.operations)
	if on == nil {
		return
	}
	nn, np := notification(no, c.new.operations)
	os := get(on, "schema")
	if os == nil {
		return
	}
	vp := "operation/" + oo.id + "/responses/x-ms-notification-content/schema"
	var ns *Node
	if nn != nil {
		ns = get(nn, "schema")
	}
	if ns == nil {
		newLoc := loc(no.ptr, no.node)
		if nn != nil {
			newLoc = loc(np, nn)
		}
		c.emit(&Change{Kind: ResponseSchemaRemoved, Where: InWebhook, Subject: "webhook payload",
			Old: loc(op+"/schema", os), New: newLoc, ValuePath: vp,
			Facts: Facts{NamedProperties: namedProperties(c.old, os)}})
		return
	}
	c.schema(InWebhook, false, "webhook payload", vp, os, ns, op+"/schema", np+"/schema")
}
