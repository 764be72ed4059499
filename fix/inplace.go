package fix

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/diff"
)

// The in-place plans: one function per rule (or group of rules) that edits
// the current document where the change is, asks for versioning when an edit
// there cannot keep the new shape, or declines with the reason.

const certRequired = "Microsoft's validator reports a required input even with a default (#2338)"

const noDefault = "no default is safe (the old definition had none, and no enum of one value fixes it)"

// needsVersion: the change cannot be undone where it is without dropping
// the new shape.
func needsVersion(pl *planner, it *item) outcome {
	return versioned("undoing it in place would drop the new shape")
}

func planParameterRemoved(pl *planner, it *item) outcome {
	ch := it.ch
	if ch == nil || ch.Old == nil {
		return declined("the finding carries no change")
	}
	name, in := labelName(ch.Subject)
	slot := pl.old.at(ch.Old.Pointer)
	def, defPtr := pl.old.resolve(slot, ch.Old.Pointer)
	if def == nil {
		return declined("the old parameter is not found")
	}
	if in == "path" {
		return versioned("a path parameter needs its place in the old route")
	}
	required := boolean(def, "required")
	var text string
	var err error
	if required {
		text, err = pl.transplant(defPtr, []Op{{Op: "replace", Path: ptr(defPtr, "required"), Value: "false"}})
	} else {
		text, err = pl.transplant(ch.Old.Pointer, nil)
	}
	if err != nil {
		return declined("the old parameter cannot be copied: %v", err)
	}
	var ops []Op
	for _, id := range it.ops {
		y := pl.cur.op(id)
		if y == nil {
			return declined("operation %s is not found", id)
		}
		if y.Param(name, in) != nil {
			continue
		}
		if in == "body" && (hasIn(y, "body") || hasIn(y, "formData")) || in == "formData" && hasIn(y, "body") {
			return versioned("the operation now sends another body, which cannot go beside the old one")
		}
		ops = append(ops, pl.appendTo(y.Pointer, "parameters", text)...)
	}
	action := fmt.Sprintf("restored parameter %s of %s", ch.Subject, strings.Join(it.ops, ", "))
	if required {
		action += ", optional now"
	}
	return outcome{ops: ops, action: action + pl.copiesNote(),
		notes: []string{"the backend receives it again where flows set it; it may ignore it, and x-ms-visibility: advanced de-emphasises it"}}
}

func planParameterRenamed(pl *planner, it *item) outcome {
	ch := it.ch
	if ch == nil {
		return declined("the finding carries no change")
	}
	if !ch.Facts.Body {
		return versioned("a parameter's name is what the backend receives")
	}
	var ops []Op
	for _, id := range it.ops {
		y := pl.cur.op(id)
		if y == nil {
			return declined("operation %s is not found", id)
		}
		p := y.Param(ch.After, "body")
		if p == nil {
			return declined("body parameter %s is not found", ch.After)
		}
		if p.Pointer != p.SlotPointer {
			return declined("body parameter %s is defined in %s, which other operations may share", ch.After, p.Pointer)
		}
		op, ok := pl.set(ptr(p.Pointer, "name"), quote(ch.Before))
		if !ok {
			return declined("another edit renames it otherwise")
		}
		pl.st.renameParam(pl.newID(y.ID), ch.After, ch.Before)
		if op.Op != "" {
			ops = append(ops, op)
		}
	}
	return outcome{ops: ops, action: fmt.Sprintf("renamed body parameter %s of %s back to %s (a body's name only keys what flows store)",
		ch.After, strings.Join(it.ops, ", "), ch.Before)}
}

// planRequiredParameter gives a new or newly required parameter a safe
// default.
func planRequiredParameter(pl *planner, it *item) outcome {
	ch := it.ch
	if ch == nil {
		return declined("the finding carries no change")
	}
	if pl.opts.Certification {
		return versioned(certRequired)
	}
	name, in := labelName(ch.Subject)
	if in == "body" {
		return versioned("a body has no default to give it")
	}
	var ops []Op
	for _, id := range it.ops {
		y := pl.cur.op(id)
		if y == nil {
			return declined("operation %s is not found", id)
		}
		p := y.Param(name, in)
		if p == nil {
			return declined("parameter %s is not found", ch.Subject)
		}
		val, from := "", ""
		if x := pl.old.op(id); x != nil && becameRequired(ch) {
			if op := x.Param(name, in); op != nil {
				if d := member(op.Node, "default"); d != nil {
					val, from = pl.old.text(d), "the default it had"
				}
			}
		}
		if val == "" {
			val, from = singleEnum(pl.cur, p.Node), "the only value its enum allows"
		}
		if val == "" {
			return versioned(noDefault)
		}
		op, ok := pl.set(ptr(p.Pointer, "default"), val)
		if !ok {
			return declined("another edit gives it another default")
		}
		if op.Op != "" {
			ops = append(ops, op)
		}
		_ = from
	}
	return outcome{ops: ops, action: fmt.Sprintf("gave required parameter %s of %s a default (%s)", ch.Subject, strings.Join(it.ops, ", "),
		defaultSource(pl, it)),
		notes: []string{"the designer fills the default in for existing flows; x-ms-visibility: internal would hide it if users never need to change it"}}
}

// becameRequired reports whether ch made an optional parameter required
// (rather than adding a required one), so the old definition may hold its
// default.
func becameRequired(ch *diff.Change) bool {
	return ch != nil && ch.Kind == diff.ParameterRequiredChanged
}

func defaultSource(pl *planner, it *item) string {
	if becameRequired(it.ch) {
		if x := pl.old.op(it.ops[0]); x != nil {
			name, in := labelName(it.ch.Subject)
			if op := x.Param(name, in); op != nil && member(op.Node, "default") != nil {
				return "the one it had"
			}
		}
	}
	return "the only value its enum allows"
}

// singleEnum returns the text of the only value schema n's enum allows, or
// "".
func singleEnum(d *doc, n *connector.Node) string {
	e := member(n, "enum")
	if e == nil || e.Kind() != connector.Array || e.Len() != 1 {
		return ""
	}
	return d.text(e.Elem(0))
}

func planRequiredProperty(pl *planner, it *item) outcome {
	ch := it.ch
	if ch == nil || ch.New == nil {
		return declined("the finding carries no change")
	}
	if pl.opts.Certification {
		return versioned(certRequired)
	}
	n := pl.cur.at(ch.New.Pointer)
	if n == nil || n.Kind() != connector.Object {
		return declined("the property is not found")
	}
	if n.Get("$ref") != nil {
		return versioned("its schema is a definition of its own, which has no place for a default")
	}
	val, from := "", "the only value its enum allows"
	if ch.Kind == diff.PropertyRequiredChanged && ch.Old != nil {
		on, _ := pl.old.resolve(pl.old.at(ch.Old.Pointer), ch.Old.Pointer)
		if d := member(on, "default"); d != nil {
			val, from = pl.old.text(d), "the one it had"
		}
	}
	if val == "" {
		val = singleEnum(pl.cur, n)
	}
	if val == "" {
		return versioned(noDefault)
	}
	op, ok := pl.set(ptr(ch.New.Pointer, "default"), val)
	if !ok {
		return declined("another edit gives it another default")
	}
	var ops []Op
	if op.Op != "" {
		ops = append(ops, op)
	}
	return outcome{ops: ops, action: fmt.Sprintf("gave required property %s a default (%s)", ch.Subject, from)}
}

func planEnumNarrowed(pl *planner, it *item) outcome {
	ch := it.ch
	if ch == nil || ch.Old == nil || ch.New == nil {
		return declined("the finding carries no change")
	}
	if ch.Facts.EnumIntroduced {
		return versioned("an enum now restricts an input that was free")
	}
	if !strings.HasSuffix(ch.Old.Pointer, "/enum") || !strings.HasSuffix(ch.New.Pointer, "/enum") {
		return declined("the enum is not found")
	}
	oe, ne := pl.old.at(ch.Old.Pointer), pl.cur.at(ch.New.Pointer)
	if oe == nil || ne == nil || oe.Kind() != connector.Array || ne.Kind() != connector.Array {
		return declined("the enum is not found")
	}
	oldSchemaPtr, _ := split(ch.Old.Pointer)
	newSchemaPtr, _ := split(ch.New.Pointer)
	oldSchema, newSchema := pl.old.at(oldSchemaPtr), pl.cur.at(newSchemaPtr)
	typ := str(newSchema, "type")
	have := map[string]bool{}
	for i := 0; i < ne.Len(); i++ {
		have[literal(ne.Elem(i), typ)] = true
	}
	var ops []Op
	var back []string
	xev, oxev := member(newSchema, "x-ms-enum-values"), member(oldSchema, "x-ms-enum-values")
	for i := 0; i < oe.Len(); i++ {
		v := oe.Elem(i)
		lit := literal(v, typ)
		if have[lit] {
			continue
		}
		have[lit] = true
		text := pl.old.text(v)
		back = append(back, compact(text))
		ops = append(ops, Op{Op: "add", Path: ch.New.Pointer + "/-", Value: text})
		if xev != nil && xev.Kind() == connector.Array {
			entry := ""
			for j := 0; oxev != nil && oxev.Kind() == connector.Array && j < oxev.Len(); j++ {
				if e := oxev.Elem(j); e.Kind() == connector.Object && e.Get("value") != nil && literal(e.Get("value"), typ) == lit {
					entry = pl.old.text(e)
					break
				}
			}
			if entry == "" {
				entry = obj([2]string{"displayName", quote(v.Value())}, [2]string{"value", text})
			}
			ops = append(ops, Op{Op: "add", Path: ptr(newSchemaPtr, "x-ms-enum-values") + "/-", Value: entry})
		}
	}
	if len(ops) == 0 {
		return declined("no old value is missing")
	}
	return outcome{ops: ops, action: fmt.Sprintf("put %s back in the enum of %s", strings.Join(back, ", "), ch.Subject),
		notes: []string{"the backend must still accept the old values (map them to the new ones if needed)"}}
}

// literal normalises an enum value to the declared type, as the comparison
// does, so that "1" and 1 are one integer value.
func literal(v *connector.Node, typ string) string {
	switch typ {
	case "boolean":
		return strings.ToLower(v.Value())
	case "integer", "number":
		if f, err := strconv.ParseFloat(strings.TrimSpace(v.Value()), 64); err == nil {
			return strconv.FormatFloat(f, 'g', -1, 64)
		}
	}
	return v.Kind().String() + ":" + v.Value()
}

func planMadeInternal(pl *planner, it *item) outcome {
	ch := it.ch
	if ch == nil || ch.New == nil || !strings.HasSuffix(ch.New.Pointer, "/x-ms-visibility") {
		return declined("the finding carries no change")
	}
	owner, _ := split(ch.New.Pointer)
	oldOwner := strings.TrimSuffix(ch.Old.Pointer, "/x-ms-visibility")
	on, cn := pl.old.at(oldOwner), pl.cur.at(owner)
	if d := member(on, "default"); d != nil && member(cn, "default") == nil {
		op, ok := pl.set(ptr(owner, "default"), pl.old.text(d))
		if !ok {
			return declined("another edit gives it another default")
		}
		return outcome{ops: opList(op), action: fmt.Sprintf("gave hidden input %s the default it had", ch.Subject)}
	}
	op, ok := pl.set(ch.New.Pointer, quote("advanced"))
	if !ok {
		return declined("another edit sets its visibility")
	}
	return outcome{ops: opList(op), action: fmt.Sprintf("showed input %s again as x-ms-visibility: advanced (it has no default to hide it with)", ch.Subject)}
}

func opList(op Op) []Op {
	if op.Op == "" {
		return nil
	}
	return []Op{op}
}

func planOperationVisible(pl *planner, it *item) outcome {
	y := pl.curOp(it)
	if y == nil || str(y.Node, "x-ms-visibility") != "internal" {
		return declined("the operation is not found")
	}
	op, ok := pl.set(ptr(y.Pointer, "x-ms-visibility"), quote("advanced"))
	if !ok {
		return declined("another edit sets its visibility")
	}
	return outcome{ops: opList(op), action: fmt.Sprintf("showed operation %s again as x-ms-visibility: advanced", y.ID)}
}

func planLookupRemoved(pl *planner, it *item) outcome {
	if it.ch == nil || pl.old.op(it.ch.Before) == nil {
		return declined("the lookup operation is not in the old definition")
	}
	return outcome{restore: it.ch.Before}
}

func planPropertyRemoved(pl *planner, it *item) outcome {
	ch := it.ch
	if ch == nil || ch.Old == nil || ch.New == nil {
		return declined("the finding carries no change")
	}
	out := ch.Where.Output()
	switch {
	case ch.After != "" && out:
		return versioned(fmt.Sprintf("it was renamed %s: flows read it under the old name, which the backend no longer returns", ch.After))
	case ch.After != "":
		return versioned(fmt.Sprintf("it was renamed %s: the backend reads the value under the new name", ch.After))
	case out && ch.Facts.Required:
		return versioned("it was a required output, which flows rely on")
	}
	_, name := split(ch.Old.Pointer)
	text, err := pl.transplant(ch.Old.Pointer, nil)
	if err != nil {
		return declined("the old property cannot be copied: %v", err)
	}
	target := ch.New.Pointer
	n := pl.cur.at(target)
	if n == nil || n.Kind() != connector.Object {
		return declined("its schema is not found in the new definition")
	}
	var ops []Op
	_, last := split(target)
	if last == "properties" && allObjects(n) {
		if member(n, name) != nil {
			return declined("the property is there")
		}
		op, ok := pl.addMember(target, name, text)
		if !ok {
			return declined("another edit adds another %s", name)
		}
		ops = opList(op)
	} else {
		s, sp := pl.cur.resolve(n, target)
		if s == nil || s.Kind() != connector.Object {
			return declined("its schema is not found in the new definition")
		}
		more, ok := pl.addTo(sp, "properties", name, text)
		if !ok {
			return declined("another edit adds another %s", name)
		}
		ops = more
	}
	what := "request property"
	if out {
		what = "output"
	}
	action := fmt.Sprintf("restored %s %s", what, ch.Subject)
	if ch.Facts.Required && !out {
		action += ", optional now"
	}
	notes := []string{"flows that use it get no value if the backend no longer returns it"}
	if !out {
		notes = []string{"the backend receives it again where flows set it, and may ignore it"}
	}
	return outcome{ops: ops, action: action + pl.copiesNote(), notes: notes}
}

func planResponseRemoved(pl *planner, it *item) outcome {
	if len(it.ops) == 0 {
		return declined("the finding names no operation")
	}
	x, y := pl.old.op(it.ops[0]), pl.cur.op(it.ops[0])
	if x == nil || y == nil {
		return declined("the operation is not found on both sides")
	}
	xr, yr := member(x.Node, "responses"), member(y.Node, "responses")
	var codes []string
	for i := 0; xr != nil && i < xr.Len(); i++ {
		k, _ := xr.Member(i)
		if c := k.Value(); len(c) == 3 && c[0] == '2' && member(yr, c) == nil {
			codes = append(codes, c)
		}
	}
	if len(codes) == 0 {
		return declined("no old success response is missing")
	}
	var ops []Op
	for _, c := range codes {
		text, err := pl.transplant(ptr(ptr(x.Pointer, "responses"), c), nil)
		if err != nil {
			return declined("the old response cannot be copied: %v", err)
		}
		more, ok := pl.addTo(y.Pointer, "responses", c, text)
		if !ok {
			return declined("another edit adds response %s", c)
		}
		ops = append(ops, more...)
	}
	return outcome{ops: ops, action: fmt.Sprintf("restored response %s of %s%s", strings.Join(codes, ", "), y.ID, pl.copiesNote())}
}

func planSchemaRemoved(pl *planner, it *item) outcome {
	ch := it.ch
	if ch == nil || ch.Old == nil || ch.New == nil {
		return declined("the finding carries no change")
	}
	target := ch.New.Pointer
	n := pl.cur.at(target)
	if n == nil || n.Kind() != connector.Object {
		return declined("the response is not found")
	}
	if ch.Where == diff.InWebhook && !strings.HasSuffix(target, "/x-ms-notification-content") {
		return declined("the operation no longer declares x-ms-notification-content")
	}
	if n.Get("schema") != nil || n.Get("$ref") != nil {
		return declined("the response has a schema or is a reference")
	}
	text, err := pl.transplant(ch.Old.Pointer, nil)
	if err != nil {
		return declined("the old schema cannot be copied: %v", err)
	}
	op, ok := pl.addMember(target, "schema", text)
	if !ok {
		return declined("another edit adds another schema")
	}
	return outcome{ops: opList(op), action: fmt.Sprintf("restored the schema of %s%s", ch.Subject, pl.copiesNote()),
		notes: []string{"flows get the outputs they use only if the backend still returns them"}}
}

func planVersionDecreased(pl *planner, it *item) outcome {
	f := it.f
	if f.New == nil || f.New.Pointer != "/info/version" || pl.cur.at("/info/version") == nil {
		return declined("info.version is not found")
	}
	v := bump(f.Before)
	if v == "" {
		return declined("the old version has no number to raise")
	}
	op, ok := pl.set("/info/version", quote(v))
	if !ok {
		return declined("another edit sets info.version")
	}
	return outcome{ops: opList(op), action: fmt.Sprintf("set info.version to %s, above the old %s", v, f.Before)}
}

// bump raises the last number of a version string ("1.2" -> "1.3").
func bump(v string) string {
	end := -1
	for i := len(v) - 1; i >= 0; i-- {
		if v[i] >= '0' && v[i] <= '9' {
			end = i + 1
			break
		}
	}
	if end < 0 {
		return ""
	}
	start := end
	for start > 0 && v[start-1] >= '0' && v[start-1] <= '9' {
		start--
	}
	n, err := strconv.ParseUint(v[start:end], 10, 64)
	if err != nil {
		return ""
	}
	return v[:start] + strconv.FormatUint(n+1, 10) + v[end:]
}

// allObjects reports whether every member of object n is an object, as in a
// schema's properties (a schema itself has scalar keywords).
func allObjects(n *connector.Node) bool {
	for i := 0; i < n.Len(); i++ {
		if _, v := n.Member(i); v.Kind() != connector.Object {
			return false
		}
	}
	return true
}
