# shellcheck shell=bash
# Helpers shared by scripts/deps, build, test, demo and bench. Source it; do not run it.
#
# Environment knobs (all optional):
#   DATAALM_SKIP_DEPS=1     never look at or install system packages
#   DATAALM_BUILD_DIR=DIR   build somewhere else than the preset's binaryDir
#   DATAALM_JOBS=N          parallel build jobs (default: nproc)
#   DATAALM_VERBOSE=1       show configure/build/apt output as it happens

if [ -n "${DATAALM_LIB_SOURCED:-}" ]; then
    return 0
fi
DATAALM_LIB_SOURCED=1

# The repository root, whatever the caller's working directory.
DATAALM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
DATAALM_DEPS_FILE="$DATAALM_ROOT/packaging/debian-build-deps.txt"

dataalm_log() {
    printf '[dataalm] %s\n' "$*" >&2
}

dataalm_die() {
    printf '[dataalm] error: %s\n' "$*" >&2
    exit 1
}

# Runs "$@" and shows its output only when it fails (or with DATAALM_VERBOSE=1).
# The output is kept in the log file named by $1.
dataalm_quiet() {
    local logfile="$1"
    shift
    if [ -n "${DATAALM_VERBOSE:-}" ]; then
        "$@" 2>&1 | tee "$logfile" >&2
        return "${PIPESTATUS[0]}"
    fi
    local status=0
    "$@" >"$logfile" 2>&1 || status=$?
    if [ "$status" -ne 0 ]; then
        cat "$logfile" >&2
    fi
    return "$status"
}

# Runs "$@" as root: directly when we are root, through sudo otherwise.
dataalm_as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        if [ -t 0 ]; then
            sudo "$@"
        else
            sudo -n "$@"
        fi
    else
        dataalm_die "need root to run '$*' (run as root or install sudo)"
    fi
}

# The packages of packaging/debian-build-deps.txt, one per line.
dataalm_required_packages() {
    sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$DATAALM_DEPS_FILE"
}

# Prints the required packages that are not installed (one dpkg-query call, no apt).
dataalm_missing_packages() {
    local required installed
    required="$(dataalm_required_packages)"
    # shellcheck disable=SC2086 # one package name per word
    installed="$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' $required 2>/dev/null \
        | awk '$1 == "ii" { print $2 }' | sort -u)"
    comm -23 <(printf '%s\n' "$required" | sort -u) <(printf '%s\n' "$installed")
}

# Installs what is missing on Debian/Ubuntu. A machine that has everything never runs apt.
dataalm_ensure_deps() {
    if [ -n "${DATAALM_SKIP_DEPS:-}" ]; then
        return 0
    fi
    if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
        dataalm_log "not a Debian system: install the packages of packaging/debian-build-deps.txt yourself"
        return 0
    fi
    local missing
    missing="$(dataalm_missing_packages)"
    if [ -z "$missing" ]; then
        return 0
    fi
    local list
    list="$(printf '%s' "$missing" | tr '\n' ' ')"
    dataalm_log "installing missing packages: $list"
    local logfile
    logfile="$(mktemp "${TMPDIR:-/tmp}/dataalm-apt.XXXXXX")"
    export DEBIAN_FRONTEND=noninteractive
    # shellcheck disable=SC2086
    if ! dataalm_quiet "$logfile" dataalm_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q \
        || ! dataalm_quiet "$logfile" dataalm_as_root env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -q --no-install-recommends $missing; then
        rm -f "$logfile"
        dataalm_die "could not install: $list"
    fi
    rm -f "$logfile"
    missing="$(dataalm_missing_packages)"
    if [ -n "$missing" ]; then
        dataalm_die "still missing after apt-get install: $(printf '%s' "$missing" | tr '\n' ' ')"
    fi
}

# The build directory of a CMake preset (default -> build, release -> build-release).
dataalm_build_dir() {
    local preset="$1"
    if [ -n "${DATAALM_BUILD_DIR:-}" ]; then
        # Absolute, so that it means the same thing from any working directory.
        mkdir -p "$DATAALM_BUILD_DIR"
        (cd "$DATAALM_BUILD_DIR" && pwd -P)
    elif [ "$preset" = "default" ]; then
        printf '%s\n' "$DATAALM_ROOT/build"
    else
        printf '%s\n' "$DATAALM_ROOT/build-$preset"
    fi
}

# Configures a preset once; afterwards Ninja re-runs CMake by itself when a CMakeLists
# or a globbed folder changes.
dataalm_configure() {
    local preset="$1" dir
    dir="$(dataalm_build_dir "$preset")"
    if [ -f "$dir/build.ninja" ] && [ -f "$dir/CMakeCache.txt" ]; then
        return 0
    fi
    dataalm_log "configuring (preset $preset) in $dir"
    mkdir -p "$dir"
    (cd "$DATAALM_ROOT" && dataalm_quiet "$dir/configure.log" cmake --preset "$preset" -B "$dir") \
        || dataalm_die "configure failed (log: $dir/configure.log)"
}

# With CMake 3.25 and Ninja, AUTOMOC does not re-run when a re-glob adds a header to a
# target (its stamp only depends on the files it saw last time), which ends in "undefined
# reference to vtable" for the new QObject. After a re-configure, a target's
# AutogenInfo.json is newer than its stamp: drop the stamp so that AUTOMOC runs again.
dataalm_refresh_autogen() {
    local dir="$1" info target stamp
    while IFS= read -r info; do
        target="$(basename "$(dirname "$info")")"   # <target>_autogen.dir
        target="${target%.dir}"
        stamp="$(dirname "$(dirname "$(dirname "$info")")")/$target/timestamp"
        if [ -f "$stamp" ] && [ "$info" -nt "$stamp" ]; then
            rm -f "$stamp"
        fi
    done < <(find "$dir" -path '*/CMakeFiles/*_autogen.dir/AutogenInfo.json' 2>/dev/null)
}

# dataalm_build PRESET [TARGET...]: configures if needed and builds (everything by default).
dataalm_build() {
    local preset="$1" dir
    shift
    dataalm_configure "$preset"
    dir="$(dataalm_build_dir "$preset")"
    local jobs="${DATAALM_JOBS:-$(nproc 2>/dev/null || echo 2)}"
    local targets=()
    local t
    for t in "$@"; do
        targets+=(--target "$t")
    done
    dataalm_log "building (preset $preset, $jobs jobs${*:+, targets: $*})"
    local started=$SECONDS
    dataalm_quiet "$dir/regenerate.log" cmake --build "$dir" --target build.ninja \
        || dataalm_die "re-configure failed (log: $dir/regenerate.log)"
    dataalm_refresh_autogen "$dir"
    dataalm_quiet "$dir/build.log" cmake --build "$dir" -j "$jobs" "${targets[@]}" \
        || dataalm_die "build failed (log: $dir/build.log)"
    dataalm_log "built in $((SECONDS - started)) s"
}

# ---------------------------------------------------------------------------------------
# A throwaway PostgreSQL server for the tests: its own data folder in a temp dir, trust
# authentication, listening on 127.0.0.1 only on a free port, its socket in the temp dir.
# dataalm_pg_start exports PGHOST, PGPORT, PGUSER, PGDATABASE and DATAALM_TEST_PG_URL;
# dataalm_pg_stop stops it and removes everything (safe to call twice, or without start).

DATAALM_PG_DIR=""
DATAALM_PG_RUNAS=()
DATAALM_PG_BIN=""

# A TCP port nothing listens on at the moment.
dataalm_free_port() {
    local port _
    for _ in $(seq 1 200); do
        port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            printf '%s\n' "$port"
            return 0
        fi
    done
    return 1
}

dataalm_pg_start() {
    DATAALM_PG_BIN="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
    if [ -z "$DATAALM_PG_BIN" ] || [ ! -x "$DATAALM_PG_BIN/initdb" ]; then
        dataalm_die "PostgreSQL server not found under /usr/lib/postgresql (install postgresql)"
    fi
    DATAALM_PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/dataalm-pg.XXXXXX")"
    chmod 700 "$DATAALM_PG_DIR"
    DATAALM_PG_RUNAS=()
    if [ "$(id -u)" -eq 0 ]; then
        # initdb and postgres refuse to run as root.
        local user=postgres
        if ! id -u "$user" >/dev/null 2>&1; then
            user=dataalm-pg
            id -u "$user" >/dev/null 2>&1 \
                || useradd --system --no-create-home --shell /usr/sbin/nologin "$user" \
                || dataalm_die "cannot create the user $user to run PostgreSQL"
        fi
        chown "$user" "$DATAALM_PG_DIR"
        DATAALM_PG_RUNAS=(runuser -u "$user" --)
    fi
    local data="$DATAALM_PG_DIR/data"
    dataalm_quiet "$DATAALM_PG_DIR/initdb.log" "${DATAALM_PG_RUNAS[@]}" "$DATAALM_PG_BIN/initdb" \
        -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C --no-sync \
        || dataalm_die "initdb failed"
    # A test server: nothing here has to survive a crash.
    cat >>"$data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DATAALM_PG_DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
EOF
    # Its WAL is archived with pgBackRest into a stanza of its own (true point-in-time
    # restore: tests/postgres/tst_postgrespitr.cpp). Everything stays under the folder.
    # (Not for the benchmarks: DATAALM_PG_NO_ARCHIVE=1, so that archiving costs no figure.)
    local pgbr="$DATAALM_PG_DIR/pgbackrest"
    if [ "${DATAALM_PG_NO_ARCHIVE:-0}" != 1 ] && command -v pgbackrest >/dev/null 2>&1; then
        mkdir -p "$pgbr/repo" "$pgbr/log" "$pgbr/lock" "$pgbr/spool"
        [ "${#DATAALM_PG_RUNAS[@]}" -eq 0 ] || chown -R "${DATAALM_PG_RUNAS[2]}" "$pgbr"
        cat >"$pgbr/pgbackrest.conf" <<EOF
[global]
repo1-path=$pgbr/repo
lock-path=$pgbr/lock
log-path=$pgbr/log
spool-path=$pgbr/spool
log-level-console=warn
log-level-file=off
start-fast=y
compress-type=lz4
EOF
        # As a production server runs: full page images in the WAL.
        cat >>"$data/postgresql.conf" <<EOF
full_page_writes = on
archive_mode = on
archive_command = 'pgbackrest --config=$pgbr/pgbackrest.conf --stanza=dataalm archive-push %p'
EOF
    fi
    local port _
    for _ in 1 2 3 4 5; do
        port="$(dataalm_free_port)" || dataalm_die "no free TCP port for PostgreSQL"
        if "${DATAALM_PG_RUNAS[@]}" "$DATAALM_PG_BIN/pg_ctl" -D "$data" -l "$DATAALM_PG_DIR/server.log" \
            -o "-p $port" -w -t 60 start >/dev/null 2>&1; then
            export PGHOST=127.0.0.1 PGPORT="$port" PGUSER=postgres PGDATABASE=postgres
            export DATAALM_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
            # For a test that needs a server of its own (one it restarts): the binaries,
            # and the user that runs them when this script runs as root.
            export DATAALM_TEST_PG_BIN="$DATAALM_PG_BIN" DATAALM_TEST_PG_RUNAS="${DATAALM_PG_RUNAS[2]:-}"
            dataalm_log "PostgreSQL $("$DATAALM_PG_BIN/postgres" -V | awk '{ print $3 }') on 127.0.0.1:$port"
            if [ -f "$pgbr/pgbackrest.conf" ]; then
                printf '[dataalm]\npg1-path=%s\npg1-port=%s\npg1-socket-path=%s\n' "$data" "$port" \
                    "$DATAALM_PG_DIR" >>"$pgbr/pgbackrest.conf"
                if dataalm_quiet "$DATAALM_PG_DIR/stanza.log" "${DATAALM_PG_RUNAS[@]}" pgbackrest \
                    --config="$pgbr/pgbackrest.conf" --stanza=dataalm stanza-create; then
                    export DATAALM_TEST_PGBACKREST_CONFIG="$pgbr/pgbackrest.conf" DATAALM_TEST_PGBACKREST_STANZA=dataalm
                    export DATAALM_TEST_PG_OSUSER="${DATAALM_PG_RUNAS[2]:-}"
                else
                    dataalm_log "pgBackRest stanza-create failed (log: $DATAALM_PG_DIR/stanza.log)"
                fi
            fi
            return 0
        fi
    done
    cat "$DATAALM_PG_DIR/server.log" >&2 2>/dev/null || true
    dataalm_die "PostgreSQL did not start"
}

dataalm_pg_stop() {
    if [ -z "$DATAALM_PG_DIR" ]; then
        return 0
    fi
    local data="$DATAALM_PG_DIR/data"
    if [ -f "$data/postmaster.pid" ]; then
        "${DATAALM_PG_RUNAS[@]}" "$DATAALM_PG_BIN/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 \
            || "${DATAALM_PG_RUNAS[@]}" "$DATAALM_PG_BIN/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 \
            || true
    fi
    rm -rf "$DATAALM_PG_DIR"
    DATAALM_PG_DIR=""
}
