#!/bin/sh
# Builds pg_tmp (ephemeralpg 3.4) for the bench's peers area from a source checkout outside this repository.
# usage: bench/peers/build-pg-tmp.sh SRC_DIR
#   SRC_DIR: a git clone of eradman/ephemeralpg (its tag 3.4 is checked out there) or its unpacked 3.4 release.
# It runs `make` there and prints the line to export: BENCH_PG_TMP=SRC_DIR/pg_tmp. Nothing is copied here.
# As root the bench runs pg_tmp as the `postgres` user, so SRC_DIR and its parents must be readable by it.
set -eu
src=${1:?usage: build-pg-tmp.sh SRC_DIR (a clone of eradman/ephemeralpg)}
src=$(cd "$src" && pwd -P)
repo=$(cd "$(dirname "$0")/../.." && pwd -P)
case "$src/" in
"$repo"/*)
	echo "build-pg-tmp: refusing $src: it is inside this repository (keep pg_tmp's source outside)" >&2
	exit 2
	;;
esac
if [ -e "$src/.git" ]; then
	git -C "$src" -c advice.detachedHead=false checkout -q 3.4
fi
grep -q '^RELEASE = 3.4$' "$src/Makefile" || {
	echo "build-pg-tmp: $src/Makefile is not ephemeralpg 3.4" >&2
	exit 2
}
make -C "$src" pg_tmp getsocket >&2
chmod a+rx "$src/pg_tmp" "$src/getsocket"
echo "export BENCH_PG_TMP=$src/pg_tmp"
