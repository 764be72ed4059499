#!/bin/sh
# pr-comment.sh MARKDOWN: post the gate's Markdown report on the pull request,
# or update the comment an earlier run posted (found by a hidden marker), so
# that a pull request carries one connectordiff comment however often it is
# pushed to. Needs the gh command and, in the environment, GH_TOKEN,
# GITHUB_REPOSITORY and PR_NUMBER. An empty report deletes nothing and posts
# nothing.
set -eu

md=${1:?usage: pr-comment.sh MARKDOWN}
repo=${GITHUB_REPOSITORY:?GITHUB_REPOSITORY: owner/name}
pr=${PR_NUMBER:?PR_NUMBER: the pull request}
marker='<!-- connectordiff gate -->'

[ -s "$md" ] || { echo "pr-comment.sh: $md is empty: nothing to post" >&2; exit 0; }

body=$(mktemp)
trap 'rm -f "$body"' EXIT
{
	echo "$marker"
	cat "$md"
} >"$body"

id=$(gh api --paginate "repos/$repo/issues/$pr/comments" \
	--jq ".[] | select(.body | startswith(\"$marker\")) | .id" | tail -n 1)
if [ -n "$id" ]; then
	gh api --method PATCH "repos/$repo/issues/comments/$id" -F "body=@$body" >/dev/null
	echo "pr-comment.sh: updated comment $id on #$pr" >&2
else
	gh api --method POST "repos/$repo/issues/$pr/comments" -F "body=@$body" >/dev/null
	echo "pr-comment.sh: commented on #$pr" >&2
fi
