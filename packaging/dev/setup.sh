#!/bin/sh
# Set up a source checkout of ML Day and run it or test it.
#   sh packaging/dev/setup.sh run [ARGS...]   install what is missing, open ML Day
#   sh packaging/dev/setup.sh test [PYTEST ARGS...]   install, then run every check
# Installs Debian packages (with sudo unless root) only when some are missing,
# and keeps the Python environment in .venv.
set -eu

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
root=$(CDPATH= cd -- "$here/../.." && pwd)
mode=${1:-}
[ $# -gt 0 ] && shift

case "$mode" in
  run|test) ;;
  *) echo "usage: sh packaging/dev/setup.sh run|test [ARGS...]" >&2; exit 2 ;;
esac

packages() {
  grep -v '^[[:space:]]*#' "$1" | grep -v '^[[:space:]]*$'
}

install_debian_packages() {
  missing=""
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      missing="$missing $package"
    fi
  done
  [ -z "$missing" ] && return 0
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing Debian packages:$missing"
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
}

wanted=$(packages "$here/debian-packages.txt")
[ "$mode" = test ] && wanted="$wanted $(packages "$here/debian-test-packages.txt")"
# shellcheck disable=SC2086
install_debian_packages $wanted

cd "$root"
python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
fi
extra=""
[ "$mode" = test ] && extra="[test]"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".$extra"

if [ "$mode" = run ]; then
  exec .venv/bin/ml-day "$@"
fi

echo "== ruff";         .venv/bin/ruff check ml_day tests packaging/linux bench
echo "== ruff format";  .venv/bin/ruff format --check ml_day tests packaging/linux bench
echo "== mypy";         .venv/bin/mypy
echo "== import layers"; .venv/bin/lint-imports
echo "== pytest"
# pytest exits 5 when no test ran: that fails this script like any other failure.
exec .venv/bin/pytest "$@"
