package fix

import (
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
)

// A fix holds the old definition, the current version and the new text,
// and nothing more from one round to the next: what a round keeps (the
// findings followed, the plan's remedies and state, the edits) is detached
// from the version it was made on, whose names and values are substrings of
// its text, so that each version is freed once the next one is loaded.

// detached is f with its strings that are substrings of text copied, and
// without the change it judged (which points into the documents): its parts
// still say what it said.
func detached(f breaking.Finding, text string) breaking.Finding {
	f.Operation, f.ValuePath = Detach(f.Operation, text), Detach(f.ValuePath, text)
	f.Subject, f.Before, f.After = Detach(f.Subject, text), Detach(f.Before, text), Detach(f.After, text)
	f.File, f.ValidatorMessage = Detach(f.File, text), Detach(f.ValidatorMessage, text)
	f.Operations = DetachAll(append([]string(nil), f.Operations...), text)
	f.Details = DetachAll(append([]string(nil), f.Details...), text)
	f.Removed = DetachAll(append([]string(nil), f.Removed...), text)
	f.Added = DetachAll(append([]string(nil), f.Added...), text)
	f.Args = DetachAll(append([]string(nil), f.Args...), text)
	f.Facts.EnumRemoved = DetachAll(append([]string(nil), f.Facts.EnumRemoved...), text)
	f.Facts.EnumAdded = DetachAll(append([]string(nil), f.Facts.EnumAdded...), text)
	f.Facts.EnumImpossible = DetachAll(append([]string(nil), f.Facts.EnumImpossible...), text)
	f.Facts.Moved = DetachAll(append([]string(nil), f.Facts.Moved...), text)
	if len(f.Merged) > 0 {
		merged := make([]breaking.Finding, len(f.Merged))
		for i, m := range f.Merged {
			merged[i] = detached(m, text)
		}
		f.Merged = merged
	}
	f.Old, f.New = detachedLocation(f.Old, text), detachedLocation(f.New, text)
	f.Change = nil
	return f
}

func detachedLocation(l *connector.Location, text string) *connector.Location {
	if l == nil {
		return nil
	}
	c := *l
	c.Pointer, c.File = Detach(c.Pointer, text), Detach(c.File, text)
	return &c
}

// reloadOptions are the options a fixed version is loaded with: the
// caller's, but for the size limit, which is there to refuse a file too
// large to read, not the fix's own output (which adds what the old
// definition held, so it can pass the limit its inputs were under).
func reloadOptions(opts connector.LoadOptions, text string) connector.LoadOptions {
	opts.MaxBytes = max(opts.MaxBytes, int64(len(text))+1)
	return opts
}
