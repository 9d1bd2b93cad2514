#!/usr/bin/env bash
# Checks each policy of a pull/merge request and shows, zone by zone, what it changes against the base
# branch: ztpol diff of the base's copy (from `git show`) against the request's. Needs no root.
#
# usage: ztpol-pr-diff.sh BASE_REV POLICY...
#
# Writes the Markdown report to $ZTPOL_SUMMARY (default: $GITHUB_STEP_SUMMARY, else nowhere) and the
# text report to standard output. $ZTPOL_BASE_NAME (e.g. the target branch's name) names the base's
# copies in the reports instead of BASE_REV. On GitHub Actions it also annotates each changed policy file; with
# $ZTPOL_CODEQUALITY set it writes a GitLab Code Quality report naming them.
#
# Exit codes, as ztpol's: 0 no policy changes any zone's ruleset, 2 some do, 1 a policy fails
# `ztpol check` or cannot be compared. The CI job decides what 2 means (see README.md).
set -uo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 BASE_REV POLICY..." >&2
  exit 1
fi
base=$1
shift
ztpol=${ZTPOL:-ztpol}
base_name=${ZTPOL_BASE_NAME:-$base}
summary=${ZTPOL_SUMMARY:-${GITHUB_STEP_SUMMARY:-/dev/null}}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# GitHub shows `::warning file=...::` lines of the log as annotations on the file.
annotate() { # level file message
  [ "${GITHUB_ACTIONS:-}" = true ] && echo "::$1 file=$2,title=ztpol::$3"
  return 0
}

status=0
changed=()
for policy in "$@"; do
  if ! "$ztpol" check "$policy"; then
    annotate error "$policy" "ztpol check fails: see the job log"
    status=1
    continue
  fi
  # The base's copy keeps the policy's relative path, so that rule comments, which name the policy's
  # file, stay equal; a policy new in this change is compared with an empty one (every zone added).
  old="$work/$policy"
  mkdir -p "$(dirname "$old")"
  git show "$base:$policy" > "$old" 2>/dev/null || : > "$old"
  labels=(--label "$base_name:$policy" --label "$policy")
  "$ztpol" diff "$old" "$policy" "${labels[@]}" --format markdown >> "$summary"
  result=$?
  echo >> "$summary"
  case $result in
    0) echo "$policy: no zone's ruleset changes" ;;
    2)
      NO_COLOR=1 "$ztpol" diff "$old" "$policy" "${labels[@]}"
      annotate warning "$policy" "changes the ruleset of some zones: see the job summary"
      changed+=("$policy")
      [ "$status" -eq 0 ] && status=2
      ;;
    *)
      annotate error "$policy" "ztpol diff failed: see the job log"
      status=1
      ;;
  esac
done

if [ -n "${ZTPOL_CODEQUALITY:-}" ]; then
  # One "info" finding per changed policy, shown in GitLab's merge request widget.
  {
    echo "["
    for index in "${!changed[@]}"; do
      path=${changed[$index]//\\/\\\\}
      path=${path//\"/\\\"}
      fingerprint=$(printf '%s\n%s' "$base" "$path" | sha256sum | cut -c1-32)
      [ "$index" -gt 0 ] && echo ","
      printf '  {"description": "ztpol: this change alters the ruleset of some zones (see the ztpol-diff.md artifact)",'
      printf ' "check_name": "ztpol-diff", "fingerprint": "%s", "severity": "info",' "$fingerprint"
      printf ' "location": {"path": "%s", "lines": {"begin": 1}}}\n' "$path"
    done
    echo "]"
  } > "$ZTPOL_CODEQUALITY"
fi
exit "$status"
