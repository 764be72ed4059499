// Package history judges every version of the connectors of a git
// repository along its first-parent history: for each connector, each
// commit that changed its definition, apiProperties.json or script.csx
// (following folder renames git would detect), compared with the version
// before it under today's profile and rule levels, as `compare
// OLD_REV:FOLDER NEW_REV:FOLDER` judges it. It also follows each operation
// from its deprecation to its removal and counts the days between.
//
// Run streams: it first walks the commits once, keeping an index of which
// commit changed which connector (a few dozen bytes a version), then judges
// the connectors in parallel and hands each one's timeline to a Sink in the
// order of their folders, holding at most 32 connectors per worker at a
// time (their findings: each version's documents are let go once it is
// judged). The renderers (NewRenderer: text, JSON, Markdown, HTML) write each
// connector as it comes.
//
// It reads git's objects through package gitrepo only (rev-list, cat-file),
// never git log or git diff. Commit messages, author names, folder and file
// names and document text are all hostile: the renderers print each through
// their format's escaping.
package history
