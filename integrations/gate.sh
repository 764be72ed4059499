#!/bin/sh
# The connectordiff gate of a pull request, as the GitHub Action and the Azure
# Pipelines template run it: find the pull request's base in the clone
# (fetching it, and the history to the merge base, when the clone lacks
# them), compare every connector the change touches, and leave the reports
# where the CI system shows them. Settings come from the environment:
#
#   CONNECTORDIFF          the binary (default: connectordiff on PATH)
#   CONNECTORDIFF_BASE     the target branch or revision (required)
#   CONNECTORDIFF_PATHS    folders that limit the search, one per line (folder names may hold spaces)
#   CONNECTORDIFF_PROFILE  users, power-automate, power-apps, logic-apps or certification
#   CONNECTORDIFF_CONFIG   the policy file (default: .connectordiff.yaml found in the repository)
#   CONNECTORDIFF_POLICY_FROM  head or base: whose policy files apply (default: the base's policyFrom, else head)
#   CONNECTORDIFF_FAIL_ON  breaking (default), warning, info or off
#   CONNECTORDIFF_DEPRECATION_DAYS  the deprecation window (default 30)
#   CONNECTORDIFF_MAX_CONNECTORS    refuse a change that touches more connector folders (default 2000)
#   CONNECTORDIFF_CI       github or azure: which annotations to write (default: guessed)
#   CONNECTORDIFF_OUT      the folder for connectordiff.{md,sarif,json} (default: .)
#
# The exit status is connectordiff's: 1 when the change reaches the fail-on
# level, 2 when it could not compare. Later steps that upload the reports run
# whatever it is (if: always(), condition: succeededOrFailed()).
#
# Outputs: GitHub step outputs exit-code, markdown, sarif and json (with
# GITHUB_OUTPUT; empty for a report that was not written), the Markdown
# report in the job summary (GITHUB_STEP_SUMMARY); on Azure Pipelines the
# variables CONNECTORDIFF_EXIT_CODE and CONNECTORDIFF_REPORTS (written or
# none) and the Markdown as the run's summary tab.
set -eu

bin=${CONNECTORDIFF:-connectordiff}
base=${CONNECTORDIFF_BASE:?the target branch or revision of the pull request}
out=${CONNECTORDIFF_OUT:-.}
ci=${CONNECTORDIFF_CI:-}
if [ -z "$ci" ]; then
	if [ -n "${GITHUB_ACTIONS:-}" ]; then ci=github
	elif [ -n "${TF_BUILD:-}" ]; then ci=azure
	else ci=text
	fi
fi
case $ci in github|azure|text) ;; *) echo "gate.sh: CONNECTORDIFF_CI must be github or azure, not $ci" >&2; exit 2;; esac

log() { echo "connectordiff gate: $*" >&2; }

# resolve_base prints the commit to compare against: the revision as given,
# else the remote-tracking branch, else the branch fetched from origin.
resolve_base() {
	b=${1#refs/heads/}
	for rev in "$1" "origin/$b" "refs/remotes/origin/$b"; do
		if git rev-parse -q --verify "$rev^{commit}" >/dev/null 2>&1; then
			echo "$rev"
			return
		fi
	done
	log "fetching $b from origin"
	git -c protocol.version=2 fetch -q --no-tags origin "+refs/heads/$b:refs/remotes/origin/$b" >&2
	echo "origin/$b"
}

rev=$(resolve_base "$base")
# A shallow clone (actions/checkout's default) lacks the merge base and the
# history that deprecation windows are read from.
if ! git merge-base "$rev" HEAD >/dev/null 2>&1 && [ "$(git rev-parse --is-shallow-repository)" = true ]; then
	log "the clone is shallow: fetching the history to the merge base (fetch-depth: 0 avoids this)"
	git fetch -q --no-tags --unshallow origin >&2
fi

mkdir -p "$out"
md=$out/connectordiff.md
sarif=$out/connectordiff.sarif
json=$out/connectordiff.json
# Reports left from before (or, when the folder is the checkout, committed
# by the pull request) must not pass for this run's: a run that fails
# writes none. rm removes a symbolic link, not what it points to.
rm -f "$md" "$sarif" "$json"

set -- --base "$rev" --format "$ci,markdown=$md,sarif=$sarif,json=$json" --fail-on "${CONNECTORDIFF_FAIL_ON:-breaking}"
[ -n "${CONNECTORDIFF_PROFILE:-}" ] && set -- "$@" --profile "$CONNECTORDIFF_PROFILE"
[ -n "${CONNECTORDIFF_CONFIG:-}" ] && set -- "$@" --config "$CONNECTORDIFF_CONFIG"
[ -n "${CONNECTORDIFF_POLICY_FROM:-}" ] && set -- "$@" --policy-from "$CONNECTORDIFF_POLICY_FROM"
[ -n "${CONNECTORDIFF_DEPRECATION_DAYS:-}" ] && set -- "$@" --deprecation-days "$CONNECTORDIFF_DEPRECATION_DAYS"
[ -n "${CONNECTORDIFF_MAX_CONNECTORS:-}" ] && set -- "$@" --max-connectors "$CONNECTORDIFF_MAX_CONNECTORS"
if [ -n "${CONNECTORDIFF_PATHS:-}" ]; then
	set -- "$@" --
	# One path per line: split on newlines only, without globbing.
	set -f
	old_ifs=$IFS
	IFS='
'
	# shellcheck disable=SC2086
	set -- "$@" $CONNECTORDIFF_PATHS
	IFS=$old_ifs
	set +f
fi

status=0
"$bin" compare "$@" || status=$?

if [ -f "$md" ]; then
	if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
		cat "$md" >>"$GITHUB_STEP_SUMMARY"
	fi
	if [ "$ci" = azure ]; then
		echo "##vso[task.uploadsummary]$(cd "$(dirname "$md")" && pwd)/$(basename "$md")"
	fi
fi
# A run that could not compare at all (a revision that does not exist, a
# policy file that does not parse) writes no report: it says so where a
# reviewer looks, and the steps that read a report are given none to read
# (an empty output, CONNECTORDIFF_REPORTS=none) rather than a missing file.
written() { if [ -f "$1" ]; then printf '%s' "$1"; fi; }
if [ ! -f "$md" ]; then
	nothing="connectordiff could not compare (exit status $status) and wrote no report; this step's log says why"
	case $ci in
	github)
		echo "::error title=connectordiff::$nothing"
		if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
			printf '## ⚠️ connectordiff could not compare\n\n%s.\n' "$nothing" >>"$GITHUB_STEP_SUMMARY"
		fi
		;;
	azure) echo "##vso[task.logissue type=error]$nothing" ;;
	esac
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
	{
		echo "exit-code=$status"
		echo "markdown=$(written "$md")"
		echo "sarif=$(written "$sarif")"
		echo "json=$(written "$json")"
	} >>"$GITHUB_OUTPUT"
fi
if [ "$ci" = azure ]; then
	echo "##vso[task.setvariable variable=CONNECTORDIFF_EXIT_CODE]$status"
	if [ -f "$sarif" ]; then
		echo "##vso[task.setvariable variable=CONNECTORDIFF_REPORTS]written"
	else
		echo "##vso[task.setvariable variable=CONNECTORDIFF_REPORTS]none"
	fi
fi

case $status in
0) ;;
1) log "the change reaches --fail-on ${CONNECTORDIFF_FAIL_ON:-breaking}: see the report" ;;
*) log "connectordiff could not compare (exit status $status)" ;;
esac
exit "$status"
