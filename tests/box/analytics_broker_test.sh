#!/bin/sh
# Issue 13 acceptance 1 through the key broker, on small data, in both backends: a private
# platform with a development PKI, `ccbox keybroker` on loopback with the owner's two keys under
# a policy naming the release-only analytics enclave; the enclave gets both keys by release
# (evidence + JWE ferried by the host), aggregates the owner's encrypted CSV, and the owner's
# decryption of the result matches check.py's independent computation. The development build
# of the same sample (another MRENCLAVE) asks for the same key id and is refused by policy,
# leaving no result file; both decisions are in the audit log, which verifies.
# Usage: analytics_broker_test.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1 source=$2
ccbox=$build/bin/ccbox app=$build/samples/confidential-analytics src=$source/samples/confidential-analytics
work=$(mktemp -d /tmp/ccbox-analytics-broker-XXXXXX)
state=$work/platform broker_pid=
cleanup() {
    [ -z "$broker_pid" ] || kill "$broker_pid" 2>/dev/null || true
    "$ccbox" platform stop --state-dir "$state" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
export CCBOX_STATE_DIR="$state" CCBOX_PLATFORM_IDLE_EXIT=20
"$ccbox" platform start --state-dir "$state" >/dev/null
# The development PKI the platform certifies itself under on first use (sim and isolated
# alike), made now so that the broker can issue collateral from it before the first quote.
"$ccbox" pki init --out "$state/development-pki" --development >/dev/null
kb=$work/broker
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=https://127.0.0.1:$port
"$ccbox" keybroker init --state-dir "$kb" >/dev/null
"$ccbox" keybroker serve --state-dir "$kb" --listen "127.0.0.1:$port" --pki "$state/development-pki" >"$work/broker.log" 2>&1 &
broker_pid=$!
admin() { "$ccbox" keybroker "$@" --state-dir "$kb" --url "$url"; }
for _ in $(seq 100); do admin key list >/dev/null 2>&1 && break; sleep 0.1; done
mrenclave=$("$ccbox" inspect --json "$app/analytics_enc_release_only.signed" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["mrenclave"])')
printf '{"allOf":[{"claim":"mrenclave","equals":"%s"},{"claim":"svn","greaterOrEquals":1}]}\n' "$mrenclave" \
    > "$work/policy.json"
for k in sales results; do
    admin key create "$k" >/dev/null
    admin policy set "$k" "$work/policy.json" >/dev/null
done
admin key export sales --out "$work/data.key" >/dev/null
admin key export results --out "$work/result.key" >/dev/null

marker=ZZBROKERMARKERZZ
python3 "$src/generate.py" "$work/data.csv" 1000000 --groups 9 --marker "$marker"
"$ccbox" box encrypt --key "$work/data.key" --key-id sales --result-key "$work/result.key" --chunk-size 65536 \
    "$work/data.csv" "$work/data.box"
release() {
    "$app/analytics_host" "$1" --in "$work/data.box" --out "$2" --result-key-id results \
        --broker "$url" --ca "$kb/tls/cert.pem" --data-key-id sales
}
for backend in sim isolated; do
    if [ "$backend" = sim ]; then export CCBOX_SIMULATE=1; else unset CCBOX_SIMULATE; fi
    release "$app/analytics_enc_release_only.signed" "$work/result.$backend.box" 2>"$work/err" ||
        { cat "$work/err" "$work/broker.log"; exit 1; }
    grep -q "key 'sales' version 1 released" "$work/err" || { cat "$work/err"; exit 1; }
    "$ccbox" box decrypt --key "$work/result.key" "$work/result.$backend.box" "$work/result.$backend.csv"
    python3 "$src/check.py" "$work/data.csv" "$work/result.$backend.csv"
    grep -q "$marker" "$work/result.$backend.csv" || { echo "the marker is not in the result"; exit 1; }
    for f in "$work/data.box" "$work/result.$backend.box" "$work/err"; do
        if grep -q "$marker" "$f"; then echo "$f (handled by the host) holds the plaintext marker"; exit 1; fi
    done
    if release "$app/analytics_enc.signed" "$work/stolen.box" 2>"$work/err"; then
        echo "$backend: the development build (another MRENCLAVE) was given the key"; exit 1
    fi
    grep -q "refused to release key 'sales' (policy_denied" "$work/err" || { cat "$work/err"; exit 1; }
    [ ! -e "$work/stolen.box" ] || { echo "a refused job left a result file"; exit 1; }
    ls "$work" | grep -q '^stolen' && { echo "a refused job left a temporary file"; exit 1; }
    echo "$backend: released, aggregated, checked; the modified enclave was refused"
done
admin audit export > "$work/audit.txt"
grep -q policy_denied "$work/audit.txt" || { cat "$work/audit.txt"; exit 1; }
"$ccbox" keybroker audit verify --state-dir "$kb" >/dev/null
echo "analytics through the broker: ok"
