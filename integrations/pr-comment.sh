#!/bin/sh
# pr-comment.sh MARKDOWN: post the gate's Markdown report on the pull request,
# or update the comment an earlier run posted, so that a pull request carries
# one connectordiff comment however often it is pushed to. Needs the gh
# command and, in the environment, GH_TOKEN, GITHUB_REPOSITORY and PR_NUMBER.
# An empty report deletes nothing and posts nothing.
#
# The comment updated is the last one that starts with a hidden marker and
# was written by the token's own account: anyone can post a comment starting
# with the marker, and that one is never edited. The account is the token's
# user (gh api user); the workflow's own token cannot read that, and its
# comments are github-actions[bot]'s. CONNECTORDIFF_COMMENT_AUTHOR names the
# account instead (a GitHub App's token posts as <app-slug>[bot]).
#
# A token that may not write to the pull request (a pull request from a fork
# or from Dependabot runs with a read-only token) gets a notice, not a
# failure: the gate's verdict is its own step's, and the report is in the
# job summary.
set -eu

md=${1:?usage: pr-comment.sh MARKDOWN}
repo=${GITHUB_REPOSITORY:?GITHUB_REPOSITORY: owner/name}
pr=${PR_NUMBER:?PR_NUMBER: the pull request}
marker='<!-- connectordiff gate -->'

# notice writes to stderr, which the runner reads workflow commands from too.
notice() {
	if [ -n "${GITHUB_ACTIONS:-}" ]; then
		echo "::notice title=connectordiff::$*" >&2
	else
		echo "pr-comment.sh: $*" >&2
	fi
}

[ -s "$md" ] || { echo "pr-comment.sh: $md is empty: nothing to post" >&2; exit 0; }

body=$(mktemp)
err=$(mktemp)
ids=$(mktemp)
trap 'rm -f "$body" "$err" "$ids"' EXIT
{
	echo "$marker"
	cat "$md"
} >"$body"

# gh_api ARGS...: gh api, whose output goes to stdout; a refusal to write
# (HTTP 403) ends the script with a notice, any other failure with gh's
# message.
gh_api() {
	if gh api "$@" 2>"$err"; then
		return 0
	fi
	if grep -q -e 'Resource not accessible by integration' -e 'HTTP 403' "$err"; then
		notice "no comment on #$pr: the token may not write to this pull request (a pull request from a fork or from Dependabot gets a read-only token; otherwise give the job the permission pull-requests: write). The report is in the job summary."
		exit 0
	fi
	cat "$err" >&2
	exit 1
}

author=${CONNECTORDIFF_COMMENT_AUTHOR:-}
if [ -z "$author" ]; then
	author=$(gh api user --jq .login 2>/dev/null) || author=
	[ -n "$author" ] || author='github-actions[bot]'
fi
# The login goes into a jq filter: letters, digits, - _ . and [bot] only.
case $author in
*[!]A-Za-z0-9_.[-]*)
	echo "pr-comment.sh: $author is not a GitHub login (CONNECTORDIFF_COMMENT_AUTHOR)" >&2
	exit 2
	;;
esac

gh_api --paginate "repos/$repo/issues/$pr/comments" \
	--jq ".[] | select(.user.login == \"$author\" and (.body | startswith(\"$marker\"))) | .id" >"$ids"
id=$(tail -n 1 "$ids")
if [ -n "$id" ]; then
	gh_api --method PATCH "repos/$repo/issues/comments/$id" -F "body=@$body" >/dev/null
	echo "pr-comment.sh: updated comment $id on #$pr" >&2
else
	gh_api --method POST "repos/$repo/issues/$pr/comments" -F "body=@$body" >/dev/null
	echo "pr-comment.sh: commented on #$pr" >&2
fi
