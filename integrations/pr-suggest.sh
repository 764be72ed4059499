#!/bin/sh
# pr-suggest.sh FIXDIR: post what fix.sh wrote in FIXDIR as one review of the
# pull request whose comments are GitHub suggested changes on the lines fix
# edits, and whose body says what fix did and what it left to a human, with
# the reasons. Needs gh and jq and, in the environment, GH_TOKEN,
# GITHUB_REPOSITORY, PR_NUMBER and PR_HEAD_SHA (the commit fix.sh fixed must
# be the pull request's head, whose lines the review comments).
#
# One review per push: the reviews an earlier run posted (the ones that
# start with a hidden marker and were written by the token's own account,
# found as pr-comment.sh finds its comment) lose their suggestions (each
# review comment deleted) and their body becomes a one-line note, once the
# new review is posted. A submitted review cannot be deleted, and dismissing
# one needs more than pull-requests: write; an edited body and deleted
# comments need no more.
#
# GitHub takes a suggestion only on lines of the pull request's diff. An
# edit elsewhere (fix often adds to a part of the file the pull request did
# not touch), one too long for a comment, and one no suggestion can express
# (a final line ending added or removed) go to the job summary instead, as
# the file's whole patch (git apply takes it), and the review body says so.
#
# A token that may not write to the pull request (a pull request from a
# fork or from Dependabot) gets a notice, not a failure, as in
# pr-comment.sh. Names and text from the pull request reach the review and
# the summary only through fix's escaped Markdown or inside code fences
# longer than any run of backticks they hold, and never the log.
set -eu

dir=${1:?usage: pr-suggest.sh FIXDIR (fix.sh output folder)}
repo=${GITHUB_REPOSITORY:?GITHUB_REPOSITORY: owner/name}
pr=${PR_NUMBER:?PR_NUMBER: the pull request}
marker='<!-- connectordiff suggestions -->'
replaced='<!-- connectordiff suggestions: replaced -->'
# The longest suggestion posted; GitHub takes comment bodies up to 65536
# characters.
max_suggestion=60000

notice() {
	if [ -n "${GITHUB_ACTIONS:-}" ]; then
		echo "::notice title=connectordiff::$*" >&2
	else
		echo "pr-suggest.sh: $*" >&2
	fi
}
log() { echo "pr-suggest.sh: $*" >&2; }

case $pr in *[!0-9]*|'') log "PR_NUMBER is not a number"; exit 2 ;; esac
index=$dir/fix.json
[ -f "$index" ] || { log "no fix.json in FIXDIR: run fix.sh first"; exit 2; }
head=$(jq -r '.head // empty' "$index")
case $head in *[!0-9a-f]*|'') log "fix.json names no head commit"; exit 2 ;; esac
if [ -n "${PR_HEAD_SHA:-}" ] && [ "$PR_HEAD_SHA" != "$head" ]; then
	case $PR_HEAD_SHA in *[!0-9a-f]*) log "PR_HEAD_SHA is not a commit"; exit 2 ;; esac
	notice "fix ran on commit $head, not on the pull request's head $PR_HEAD_SHA (is it in the clone? fetch-depth: 0 brings it): no suggestions posted"
	exit 0
fi
run_url=
if [ -n "${GITHUB_SERVER_URL:-}" ] && [ -n "${GITHUB_RUN_ID:-}" ]; then
	run_url=$GITHUB_SERVER_URL/$repo/actions/runs/$GITHUB_RUN_ID
	case $run_url in *[!A-Za-z0-9:/._-]*) run_url= ;; esac
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
err=$tmp/err

# shown prints gh's message for the log: it may quote the request, so no
# line of it may hold a workflow or logging command (a line break, a "#",
# a "::" that starts a line are written as escapes).
shown() { tr '\r' '\n' <"$1" | sed -e 's/#/\\x23/g' -e 's/^\([[:space:]]*\):/\1\\x3a/' -e 's/^/  /' >&2; }

# gh_try ARGS...: gh api, its output on stdout; 1 when it fails, with gh's
# message in $err. A refusal to write (HTTP 403) ends the script with a
# notice.
gh_try() {
	if gh api "$@" 2>"$err"; then
		return 0
	fi
	if grep -q -e 'Resource not accessible by integration' -e 'HTTP 403' "$err"; then
		notice "no suggestions on #$pr: the token may not write to this pull request (a pull request from a fork or from Dependabot gets a read-only token; otherwise give the job the permission pull-requests: write). The fixes are in the job summary."
		[ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -s "$tmp/allpatches" ] && cat "$tmp/allpatches" >>"$GITHUB_STEP_SUMMARY"
		exit 0
	fi
	return 1
}
# gh_api ARGS...: gh_try, and any other failure ends the script.
gh_api() {
	gh_try "$@" || { log "gh api failed:"; shown "$err"; exit 1; }
}

author=${CONNECTORDIFF_COMMENT_AUTHOR:-}
if [ -z "$author" ]; then
	author=$(gh api user --jq .login 2>/dev/null) || author=
	[ -n "$author" ] || author='github-actions[bot]'
fi
case $author in
*[!]A-Za-z0-9_.[-]*)
	log "$author is not a GitHub login (CONNECTORDIFF_COMMENT_AUTHOR)"
	exit 2
	;;
esac

# jq functions: fence is a code fence longer than any run of backticks in
# its input, so that nothing in it closes the block; ranges($p) are the
# lines of $p's new side in the pull request's diff, hunk by hunk.
# shellcheck disable=SC2016 # jq's own variables
defs='
def fence: ([scan("`+") | length] | max // 0) as $n | "`" * ([$n + 1, 3] | max);
def ranges($p): [$files[] | select(.filename == $p) | (.patch // "") | split("\n")[] | select(startswith("@@ "))
	| capture("^@@ -[0-9]+(,[0-9]+)? \\+(?<start>[0-9]+)(,(?<count>[0-9]+))? @@")
	| (.start | tonumber) as $s | ((.count // "1") | tonumber) as $c | select($c > 0) | [$s, $s + $c - 1]];
def patch: if .patch == null then "The fixed file cannot be shown as a patch: it is not UTF-8. Run connectordiff fix on it.\n"
	else (.patch | fence) as $f | "\($f)diff\n\(.patch)\($f)\n" end;
'

: >"$tmp/comments"
: >"$tmp/sections"
: >"$tmp/patches"
: >"$tmp/allpatches"
gh_api --paginate "repos/$repo/pulls/$pr/files" --jq '.[] | {filename, patch}' >"$tmp/files"
gh_api --paginate "repos/$repo/pulls/$pr/reviews" \
	--jq ".[] | select(.user.login == \"$author\" and ((.body // \"\") | startswith(\"$marker\"))) | .id" >"$tmp/old"

list=$(jq -r '[.connectors[] | .path, .status] | @sh' "$index")
eval "set -- $list"
connectors=0 failed=0 posted=0 elsewhere=0
while [ $# -ge 2 ]; do
	path=$1 status=$2
	shift 2
	connectors=$((connectors + 1))
	s=$dir/suggestions/$path.json
	if [ "$status" = failed ] || [ ! -f "$s" ]; then
		failed=$((failed + 1))
		continue
	fi
	# One jq run: a line of shell assignments (the counts), then the
	# comments, one a line.
	jq -r --arg path "$path" --argjson max "$max_suggestion" --slurpfile files "$tmp/files" "$defs"'
		ranges($path) as $r
		| [.hunks[] | . as $h
			| ($h.suggestion != null and ($h.suggestion | length) <= $max
				and any($r[]; .[0] <= $h.startLine and $h.endLine <= .[1])) as $ok
			| {ok: $ok, comment: ({path: $path, side: "RIGHT", line: $h.endLine,
				body: (($h.suggestion // "" | fence) as $f | "\($f)suggestion\n\($h.suggestion)\n\($f)")}
				+ (if $h.startLine < $h.endLine then {start_line: $h.startLine, start_side: "RIGHT"} else {} end))}]
		| "in_diff=\(map(select(.ok)) | length) outside=\(map(select(.ok | not)) | length) total=\(length)",
		  (.[] | select(.ok) | .comment | tojson)' "$s" >"$tmp/one"
	in_diff=0 outside=0 total=0
	eval "$(head -n 1 "$tmp/one")"
	tail -n +2 "$tmp/one" >>"$tmp/comments"
	posted=$((posted + in_diff))
	jq -r '.markdown' "$s" >>"$tmp/sections"
	jq -r "$defs"' patch' "$s" >"$tmp/patch"
	cat "$tmp/patch" >>"$tmp/allpatches"
	if [ "$outside" -gt 0 ]; then
		elsewhere=$((elsewhere + outside))
		where="the job summary"
		[ -n "$run_url" ] && where="the [job summary]($run_url)"
		printf '\n_%s of these %s edits are outside what this pull request changes (or too long for a comment), where GitHub takes no suggestion: %s has the fixed file as a patch._\n' \
			"$outside" "$total" "$where" >>"$tmp/sections"
		cat "$tmp/patch" >>"$tmp/patches"
	fi
	echo >>"$tmp/sections"
done
if [ "$failed" -gt 0 ]; then
	printf '\n_fix could not run on %s of the %s connectors: the job log says why._\n' "$failed" "$connectors" >>"$tmp/sections"
fi

# write_summary FILE: the job summary's section, the patches in FILE.
write_summary() {
	[ -n "${GITHUB_STEP_SUMMARY:-}" ] || return 0
	[ -s "$1" ] || return 0
	{
		echo "## connectordiff fix: edits GitHub takes no suggestion for"
		echo
		echo "Apply with \`git apply\` from the repository's root (each patch holds all of its file's edits, those suggested in the review too)."
		echo
		if [ "$(wc -c <"$1")" -gt 900000 ]; then
			echo "The patches are too large for the job summary ($(wc -c <"$1") bytes): run \`connectordiff fix\` on the connectors locally."
		else
			cat "$1"
		fi
	} >>"$GITHUB_STEP_SUMMARY"
}

retire() {
	note=$1
	while read -r id; do
		case $id in *[!0-9]*|'') continue ;; esac
		gh_api --paginate "repos/$repo/pulls/$pr/reviews/$id/comments" \
			--jq ".[] | select(.user.login == \"$author\") | .id" >"$tmp/ids"
		while read -r cid; do
			case $cid in *[!0-9]*|'') continue ;; esac
			gh_api --method DELETE "repos/$repo/pulls/comments/$cid" >/dev/null
		done <"$tmp/ids"
		gh_api --method PUT "repos/$repo/pulls/$pr/reviews/$id" -f "body=$replaced
$note" >/dev/null
		log "replaced review $id"
	done <"$tmp/old"
}

if [ "$connectors" -eq 0 ]; then
	retire "connectordiff: nothing breaks as of commit $head, so nothing is left to suggest."
	log "nothing to suggest on #$pr"
	exit 0
fi

# review FILE: the review's JSON, with the comments in FILE.
review() {
	{
		echo "$marker"
		echo "### connectordiff fix"
		echo
		echo "Suggested edits for commit $head that keep what existing flows and apps use, as \`connectordiff fix\` makes them: commit them from each comment (or add them to a batch), or fix the update yourself. What fix leaves to you is listed with the reason."
		echo
		cat "$tmp/sections"
	} >"$tmp/body"
	jq -n --arg sha "$head" --rawfile body "$tmp/body" --slurpfile comments "$1" '
		{commit_id: $sha, event: "COMMENT", comments: $comments,
		 body: (if ($body | length) > 60000
			then ($body[0:60000] | sub("\n[^\n]*$"; "")) + "\n\n_The rest is cut (a review body holds 65536 characters): connectordiff fix --format suggestions on each connector lists it all._\n"
			else $body end)}' >"$tmp/review.json"
}

review "$tmp/comments"
# Outputs go to a file, not $(...): a refusal's exit must end this shell.
if gh_try --method POST "repos/$repo/pulls/$pr/reviews" --input "$tmp/review.json" --jq .id >"$tmp/id"; then
	write_summary "$tmp/patches"
else
	# GitHub refused a comment (a line it does not count as part of the
	# diff): the review goes without suggestions, and every patch to the
	# job summary.
	log "GitHub refused the suggestions; posting the review without them:"
	shown "$err"
	: >"$tmp/none"
	printf '\n_GitHub refused these suggestions: the job summary has every fix as a patch._\n' >>"$tmp/sections"
	review "$tmp/none"
	gh_api --method POST "repos/$repo/pulls/$pr/reviews" --input "$tmp/review.json" --jq .id >"$tmp/id"
	write_summary "$tmp/allpatches"
	posted=0
fi
id=$(cat "$tmp/id")
case $id in *[!0-9]*|'') id='(no id)' ;; esac
retire "Replaced by the suggestions for commit $head."
log "posted review $id on #$pr: $posted suggestions, $elsewhere edits in the job summary"
