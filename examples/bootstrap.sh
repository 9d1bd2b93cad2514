#!/usr/bin/env bash
# Sets up a fresh Debian or Ubuntu host for ztpol in one unattended run, as root:
#
#   1. the Debian packages the ztpol binary needs at run time (skipped with --no-packages)
#   2. checks the binary runs and the policy is sound, before anything of ztpol is installed
#   3. installs the binary to /usr/local/bin/ztpol, the policy to /etc/ztpol/policy.zt and the
#      certs/ folder beside the policy to /etc/ztpol/certs/
#   4. runs `ztpol bootstrap /etc/ztpol/policy.zt`: firewall, certificate, trust, in one run that
#      puts the previous firewall back when certification fails
#   5. writes /etc/default/ztpol (the zone, for the firewall at boot) and installs the systemd units
#      from examples/systemd/, and enables them when systemd runs this machine
#
# Every run is the same run: a file is written only when its bytes differ, and each item is reported
# as installed, updated or unchanged. On a healthy host a second run changes nothing and ztpol
# requests nothing. Any error: a message on standard error and exit code 1.
#
# Usage and options: examples/bootstrap.sh --help, or docs/bootstrap.md.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bootstrap.sh --binary PATH --policy PATH [--zone NAME ...] [--state-dir DIR] [--prefix DIR]
                    [--no-packages] [-- ZTPOL-BOOTSTRAP-OPTIONS ...]

  --binary PATH     the ztpol binary to install (or env ZTPOL_BINARY; default: the one installed)
  --policy PATH     the policy to install; its certs/ folder comes along (default: the one installed)
  --zone NAME       this host's zone (repeatable); default: the zones holding its addresses
  --state-dir DIR   ztpol's state: keys, certificates, the armed rollback (default: /var/lib/ztpol)
  --prefix DIR      install root for the binary, the policy and the units (default: /)
  --no-packages     do not install Debian packages (no apt-get)
  -- ...            everything after -- goes to `ztpol bootstrap` (e.g. --keep-firewall)
EOF
}

say() { printf '%s\n' "$*"; }
fail() {
  printf 'bootstrap.sh: error: %s\n' "$*" >&2
  exit 1
}
# One line per item, so that a second run reads as a column of "unchanged".
changes=0
report() {  # report STATUS WHAT
  printf '  %-10s %s\n' "$1" "$2"
  case $1 in ok | unchanged | skipped) ;; *) changes=$((changes + 1)) ;; esac
}

# --- options -----------------------------------------------------------------------------------------

binary=${ZTPOL_BINARY:-}
policy=
prefix=/
state_dir=/var/lib/ztpol
packages=yes
zones=()
passthrough=()
while [ $# -gt 0 ]; do
  case $1 in
    --binary | --policy | --zone | --state-dir | --prefix)
      [ $# -ge 2 ] || fail "$1 needs a value"
      case $1 in
        --binary) binary=$2 ;;
        --policy) policy=$2 ;;
        --zone) zones+=("$2") ;;
        --state-dir) state_dir=$2 ;;
        --prefix) prefix=$2 ;;
      esac
      shift 2
      ;;
    --no-packages) packages=no; shift ;;
    -h | --help) usage; exit 0 ;;
    --) shift; passthrough=("$@"); break ;;
    *) fail "unknown argument '$1' (see --help)" ;;
  esac
done

[ "$(id -u)" -eq 0 ] || fail "run as root: ztpol changes the firewall and installs into system folders"
here=$(cd "$(dirname "$0")" && pwd)
units_source=$here/systemd
[ -d "$units_source" ] || fail "no systemd units beside this script (looked for $units_source)"

# Absolute paths throughout: ztpol stores the paths it was given (the trust root of a certificate, for
# its renewal), and they must still mean the same file when the timer runs from another directory.
prefix=$(realpath -m -- "$prefix")
state_dir=$(realpath -m -- "$state_dir")
root=${prefix%/}  # "" for "/", so that "$root/etc" never reads "//etc"
bin_dest=$root/usr/local/bin/ztpol
conf_dir=$root/etc/ztpol
policy_dest=$conf_dir/policy.zt
defaults_file=$root/etc/default/ztpol
units_dest=$root/etc/systemd/system

# Without --binary or --policy, a re-run uses what the last run installed.
if [ -z "$binary" ]; then
  [ -x "$bin_dest" ] || fail "no ztpol binary: give --binary PATH or set ZTPOL_BINARY" \
    "(build one with: swift build -c release --static-swift-stdlib --product ztpol)"
  binary=$bin_dest
fi
if [ ! -f "$binary" ] || [ ! -x "$binary" ]; then
  fail "the ztpol binary '$binary' is not an executable file"
fi
binary=$(realpath -- "$binary")
if [ -z "$policy" ]; then
  [ -f "$policy_dest" ] || fail "no policy: give --policy PATH"
  policy=$policy_dest
fi
[ -f "$policy" ] || fail "the policy '$policy' is not a file"
policy=$(realpath -- "$policy")
certs_source=$(dirname "$policy")/certs

say "ztpol host bootstrap: binary $binary, policy $policy, install root $prefix, state $state_dir"

# --- 1. packages -------------------------------------------------------------------------------------

# What the binary links at run time, plus nft for looking at the result by hand and the CA bundle
# that trust installation extends. Where Ubuntu renamed a library for its 64-bit time_t transition,
# the new name comes first and the Debian 12 name after it.
runtime_packages=(nftables libnftnl11 libmnl0 "libssl3t64|libssl3" "libcurl4t64|libcurl4" ca-certificates)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

say "packages"
if [ "$packages" = no ]; then
  report skipped "Debian packages (--no-packages)"
else
  command -v apt-get >/dev/null || fail "apt-get not found: this script is for Debian and Ubuntu;" \
    "install the packages by hand and pass --no-packages"
  missing=()
  for choice in "${runtime_packages[@]}"; do
    found=no
    for name in ${choice//|/ }; do installed "$name" && found=yes && break; done
    [ "$found" = yes ] || missing+=("$choice")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    report unchanged "Debian packages: ${runtime_packages[*]//|/ or }"
  else
    export DEBIAN_FRONTEND=noninteractive
    # A fresh host (or image) often has empty package lists: update once, only when installing.
    apt-get update -q >/dev/null || fail "apt-get update failed"
    names=()
    for choice in "${missing[@]}"; do
      pick=
      for name in ${choice//|/ }; do
        if apt-cache show --no-all-versions "$name" >/dev/null 2>&1; then pick=$name; break; fi
      done
      [ -n "$pick" ] || fail "none of the packages '${choice//|/ }' is in this host's package sources"
      names+=("$pick")
    done
    apt-get install -y -q --no-install-recommends "${names[@]}" >/dev/null \
      || fail "apt-get install ${names[*]} failed"
    report installed "Debian packages: ${names[*]}"
  fi
fi

# --- 2. checks before anything of ztpol is installed -------------------------------------------------

say "checks"
if ! "$binary" --version >/dev/null 2>&1; then
  # The usual cause on a fresh host: a binary built without --static-swift-stdlib looks for the Swift
  # runtime where the build machine had it.
  # (ldd fails on what is not a dynamic executable; under pipefail that must not end the script here.)
  missing_libraries=$({ ldd "$binary" 2>/dev/null || true; } | awk '/not found/ { print $1 }' | tr '\n' ' ')
  [ -z "$missing_libraries" ] || fail "the ztpol binary cannot run here: missing libraries: $missing_libraries;" \
    "build it with: swift build -c release --static-swift-stdlib --product ztpol"
  fail "the ztpol binary '$binary' does not run ('$binary --version' failed)"
fi
report ok "binary runs: $("$binary" --version)"
# Its warnings (a root not there yet, say) go straight to standard error; its summary line is kept.
if ! check_output=$("$binary" check "$policy"); then
  fail "the policy has errors (above); nothing was installed or changed"
fi
report ok "policy: ${check_output##*: ok: }"

# --- 3. files ----------------------------------------------------------------------------------------

# put SOURCE DEST MODE: writes DEST only when its bytes or mode differ from SOURCE, through a temporary
# file in the same folder and a rename, so that a running ztpol or a reader never sees half a file.
put() {
  local source=$1 dest=$2 mode=$3 status=installed
  if [ -f "$dest" ]; then
    if cmp -s "$source" "$dest" && [ "$(stat -c %a "$dest")" = "$mode" ]; then
      report unchanged "$dest"
      return
    fi
    status=updated
  fi
  mkdir -p "$(dirname "$dest")"
  local temporary
  temporary=$(mktemp "$(dirname "$dest")/.$(basename "$dest").XXXXXX")
  cat "$source" >"$temporary"
  chmod "$mode" "$temporary"
  mv -f "$temporary" "$dest"
  report "$status" "$dest"
}

# put_text DEST MODE TEXT: the same for generated content.
put_text() {
  local dest=$1 mode=$2 text=$3 generated
  generated=$(mktemp)
  printf '%s\n' "$text" >"$generated"
  put "$generated" "$dest" "$mode"
  rm -f "$generated"
}

say "files"
put "$binary" "$bin_dest" 755
put "$policy" "$policy_dest" 644
# The policy names its roots relative to its own folder ("certs/ra-root.pem"), so the folder comes
# along. Each file keeps its mode: a root is public, but an EAB key file beside it is not.
if [ -d "$certs_source" ]; then
  while IFS= read -r -d '' file; do
    relative=${file#"$certs_source"/}
    put "$file" "$conf_dir/certs/$relative" "$(stat -c %a "$file")"
  done < <(find "$certs_source" -type f -print0 | sort -z)
else
  report skipped "no certs/ folder beside the policy"
fi

# --- 4. ztpol bootstrap ------------------------------------------------------------------------------

say "ztpol bootstrap"
zone_args=()
for zone in "${zones[@]}"; do zone_args+=(--zone "$zone"); done
bootstrap_log=$(mktemp)
trap 'rm -f "$bootstrap_log"' EXIT
# The installed binary and policy, as the units will use them; its step lines are shown as they come.
if ! "$bin_dest" bootstrap "$policy_dest" --state-dir "$state_dir" "${zone_args[@]}" "${passthrough[@]}" \
  | tee "$bootstrap_log" | sed 's/^/  /'; then
  fail "ztpol bootstrap failed (its message above names the step and what became of the firewall);" \
    "the files above stay installed, the units were not touched; fix the cause and run this script again"
fi

# The zone the firewall at boot must use: the one given, else the one bootstrap found from the
# host's addresses (its step 1 line reads "[1/5] check: zone web; ...", or "zone a, b; ...").
if [ "${#zones[@]}" -eq 0 ]; then
  found=$(sed -n 's/^\[1\/5\] check: zone \([^;]*\);.*/\1/p' "$bootstrap_log")
  [ -n "$found" ] || fail "could not read the host's zone from ztpol bootstrap's output; give it with --zone NAME"
  IFS=', ' read -r -a zones <<<"$found"
  zone_args=()
  for zone in "${zones[@]}"; do zone_args+=(--zone "$zone"); done
fi

# --- 5. boot: /etc/default/ztpol and the systemd units -----------------------------------------------

say "boot"
put_text "$defaults_file" 644 "# Written by ztpol's examples/bootstrap.sh; read by ztpol-apply.service and
# ztpol-renew.service. At boot the firewall is applied before any interface has an address, so
# the host's zone cannot be found from its addresses then: it is named here.
ZTPOL_APPLY_ARGS=\"${zone_args[*]}\"
ZTPOL_STATE_DIR=$state_dir"

units=(ztpol-apply.service ztpol-renew.service ztpol-renew.timer)
units_before=$changes
for unit in "${units[@]}"; do
  put "$units_source/$unit" "$units_dest/$unit" 644
done
# The renewal unit may write /var/lib/ztpol only; a state directory elsewhere must be added.
dropin=$units_dest/ztpol-renew.service.d/state-dir.conf
if [ "$state_dir" != /var/lib/ztpol ]; then
  put_text "$dropin" 644 "# Written by ztpol's examples/bootstrap.sh: the state directory it was given.
[Service]
ReadWritePaths=$state_dir"
elif [ -f "$dropin" ]; then
  rm -f "$dropin"
  rmdir --ignore-fail-on-non-empty "$(dirname "$dropin")"
  report removed "$dropin"
fi
units_changed=$((changes - units_before))

# Enabling acts on the running system, so only when the units went to it and systemd runs it.
if [ "$prefix" != / ]; then
  report skipped "enabling the units: they were installed under --prefix $prefix, not on this system"
elif [ ! -d /run/systemd/system ]; then
  report skipped "enabling the units: systemd is not running here (a container?); where it runs:"
  say "             systemctl daemon-reload && systemctl enable ztpol-apply.service" \
    "&& systemctl enable --now ztpol-renew.timer"
else
  [ "$units_changed" -eq 0 ] || systemctl daemon-reload
  if systemctl is-enabled --quiet ztpol-apply.service; then
    report unchanged "ztpol-apply.service enabled (applies the firewall at boot)"
  else
    systemctl enable --quiet ztpol-apply.service
    report enabled "ztpol-apply.service (applies the firewall at boot)"
  fi
  if systemctl is-enabled --quiet ztpol-renew.timer && systemctl is-active --quiet ztpol-renew.timer; then
    report unchanged "ztpol-renew.timer enabled and running"
  else
    systemctl enable --now --quiet ztpol-renew.timer
    report enabled "ztpol-renew.timer (looks for due renewals hourly)"
  fi
fi

if [ "$changes" -eq 0 ]; then
  say "done: nothing changed"
else
  say "done: $changes item(s) changed"
fi
