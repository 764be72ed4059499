#!/bin/sh
# fix.sh: run `connectordiff fix` on each connector the gate found breaking,
# for the GitHub Action's review suggestions (pr-suggest.sh) and the Azure
# Pipelines template's artifact. It reads the gate's JSON report and, for
# each connector changed or renamed whose verdict is breaking, fixes the
# pull request's head version of its definition against the version the
# pull request started from (the merge base), under the report's profile;
# where the policy accepts some of its breaking findings, only for the
# rules of those it does not. Settings
# come from the environment (it needs git and jq):
#
#   CONNECTORDIFF          the binary (default: connectordiff on PATH)
#   CONNECTORDIFF_REPORT   the gate's JSON report (required)
#   CONNECTORDIFF_HEAD     the pull request's head commit (default: HEAD). The
#                          review's lines are the head's: a checkout of the
#                          merge commit is not what the pull request shows.
#   CONNECTORDIFF_FIX_OUT  the output folder (required), emptied first
#   CONNECTORDIFF_FIX_FILES  false leaves out fixed/ and patch/ (the GitHub
#                          Action posts the suggestions only); default true
#   CONNECTORDIFF_CI       github or azure (default: guessed); azure shows
#                          summary.md on the run's summary
#
# Output, with PATH the definition's path in the repository:
#
#   fixed/PATH             the fixed definition (copy fixed/ over a checkout)
#   patch/PATH.json        the edits as a JSON Patch (RFC 6902) of the head's
#   suggestions/PATH.json  `connectordiff fix --format suggestions`: line
#                          ranges of the head's definition and their
#                          replacements, the findings fixed and left
#   fix.json               {"head", "base", "connectors": [{"path",
#                          "oldPath", "status": fixed, partial or failed}]}
#   summary.md             what fix did and left to a human, in Markdown
#
# Folder and file names come from the pull request, so nothing here prints
# one: a log line holding it could be a CI command. connectordiff escapes
# its own messages, and git's are not shown. The exit status is 0 unless
# the report or the repository cannot be read (2); a connector fix cannot
# fix is "failed" in fix.json, with fix's reason in the log.
set -eu

bin=${CONNECTORDIFF:-connectordiff}
report=${CONNECTORDIFF_REPORT:?the gate JSON report}
out=${CONNECTORDIFF_FIX_OUT:?the output folder}
ci=${CONNECTORDIFF_CI:-}
if [ -z "$ci" ]; then
	if [ -n "${GITHUB_ACTIONS:-}" ]; then ci=github
	elif [ -n "${TF_BUILD:-}" ]; then ci=azure
	else ci=text
	fi
fi

log() { echo "connectordiff fix: $*" >&2; }
fail() { log "$*"; exit 2; }

[ -f "$report" ] || fail "no gate report at CONNECTORDIFF_REPORT"
base=$(jq -r '.baseCommit // empty' "$report") || fail "the gate report is not JSON"
profile=$(jq -r '.profile // "users"' "$report")
case $base in *[!0-9a-f]*|'') fail "the gate report names no base commit (a repository comparison writes one)";; esac
case $profile in *[!a-z-]*|'') fail "the gate report's profile is not one";; esac

head=${CONNECTORDIFF_HEAD:-HEAD}
case $head in -*) fail "CONNECTORDIFF_HEAD is not a revision" ;; esac
if ! sha=$(git rev-parse -q --verify "$head^{commit}" 2>/dev/null); then
	# Azure leaves $(System.PullRequest.SourceCommitId) as it is outside
	# pull requests.
	log "CONNECTORDIFF_HEAD is not a commit of this clone: fixing HEAD"
	sha=$(git rev-parse -q --verify 'HEAD^{commit}') || fail "no HEAD commit"
fi
from=$(git merge-base "$base" "$sha" 2>/dev/null) || from=$base

# The output folder is ours: a link there is refused, not followed, and
# what an earlier run (or the pull request, when it is in the checkout)
# left is removed before anything is written.
[ ! -L "$out" ] || fail "CONNECTORDIFF_FIX_OUT is a symbolic link"
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -rf "$out/fixed" "$out/patch" "$out/suggestions" "$out/fix.json" "$out/summary.md"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/old" "$work/new"
: >"$work/entries"
: >"$out/summary.md"

# definition REV FOLDER prints the path of FOLDER's definition in REV,
# found as the gate finds it: the first name that is apiDefinition.swagger.json
# in any case.
definition() {
	name=$(git ls-tree --name-only "$1:$2" 2>/dev/null | grep -i -x 'apidefinition\.swagger\.json' | head -n 1)
	[ -n "$name" ] || return 1
	case $2 in .|'') echo "$name" ;; *) echo "$2/$name" ;; esac
}

# extract REV PATH FILE writes PATH of REV to FILE (a blob, no filter).
extract() {
	mkdir -p "$(dirname "$3")"
	git cat-file blob "$1:$2" >"$3" 2>/dev/null
}

# One word each, quoted for the shell by jq (names may hold anything but
# NUL): folder, old folder, and the rules to fix: * for every rule, unless
# the policy accepts some of the connector's breaking findings, whose rules
# are then left out (fix's edits depend on each other, so it fixes every
# rule it can when it may).
list=$(jq -r '[.connectors[]? | select(.verdict == "breaking" and (.status == "changed" or .status == "renamed"))
	| .folder, (.oldFolder // .folder),
	  ([.findings[]? | select(.level == "breaking")] as $b
	   | if any($b[]; .accepted) then [$b[] | select(.accepted | not) | .rule] | unique | join(",") else "*" end)] | @sh' "$report")
eval "set -- $list"
total=$(($# / 3))
n=0
while [ $# -ge 3 ]; do
	folder=$1 oldFolder=$2 rules=$3
	shift 3
	n=$((n + 1))
	only=
	case $rules in
	'*') ;;
	'') continue ;;
	*[!a-z0-9,-]*) log "connector $n of $total: the report's rule ids are not ids: skipped"; continue ;;
	*) only=$rules ;;
	esac
	status=failed
	path=$(definition "$sha" "$folder") || path=
	oldPath=$(definition "$from" "$oldFolder") || oldPath=
	if [ -z "$path" ] || [ -z "$oldPath" ]; then
		log "connector $n of $total: no definition on one side: not fixed"
	elif ! extract "$sha" "$path" "$work/new/$path" || ! extract "$from" "$oldPath" "$work/old/$oldPath"; then
		log "connector $n of $total: the definition could not be read from git: not fixed"
	else
		mkdir -p "$(dirname "$out/suggestions/$path")"
		[ "${CONNECTORDIFF_FIX_FILES:-true}" = false ] || mkdir -p "$(dirname "$out/fixed/$path")" "$(dirname "$out/patch/$path")"
		# From the new side's folder, so that fix names the file by its
		# path in the repository; -- ends the options, whatever the name.
		code=0
		(cd "$work/new" && "$bin" fix --profile "$profile" ${only:+--only "$only"} --format suggestions \
			-o "$out/suggestions/$path.json" -- "$work/old/$oldPath" "$path") || code=$?
		case $code in
		0 | 1)
			status=fixed
			[ "$code" = 1 ] && status=partial
			if [ "${CONNECTORDIFF_FIX_FILES:-true}" != false ]; then
				(cd "$work/new" && "$bin" fix --profile "$profile" ${only:+--only "$only"} -o "$out/fixed/$path" \
					-- "$work/old/$oldPath" "$path" 2>/dev/null) || :
				(cd "$work/new" && "$bin" fix --profile "$profile" ${only:+--only "$only"} --format json-patch \
					-o "$out/patch/$path.json" -- "$work/old/$oldPath" "$path" 2>/dev/null) || :
			fi
			jq -r '.markdown' "$out/suggestions/$path.json" >>"$out/summary.md"
			echo >>"$out/summary.md"
			log "connector $n of $total: $(jq -r '"\(.fixed | length) fixed, \(.unfixed | length) left, \(.hunks | length) edits"' "$out/suggestions/$path.json")"
			;;
		*) log "connector $n of $total: fix could not run (exit status $code)" ;;
		esac
	fi
	jq -n --arg path "$path" --arg oldPath "$oldPath" --arg status "$status" \
		'{path: $path, oldPath: $oldPath, status: $status}' >>"$work/entries"
done

jq -s --arg head "$sha" --arg base "$from" '{head: $head, base: $base, connectors: .}' "$work/entries" >"$out/fix.json"
if [ -s "$out/summary.md" ] && [ "$ci" = azure ]; then
	echo "##vso[task.uploadsummary]$out/summary.md"
fi
log "$n connectors to fix; the results are in CONNECTORDIFF_FIX_OUT"
