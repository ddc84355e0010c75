#!/bin/sh
# attested-tls (issue 12): the enclave's certificate decodes and verifies with `ccbox tls
# inspect-cert`; `openssl s_client` completes a TLS 1.3 handshake with the enclave server and the
# certificate it receives verifies; a host client verifies the enclave and is refused an
# unexpected identity, a debug enclave under a production policy and a development platform
# under a production policy; enclave <-> enclave with mutual attestation, and each side refusing
# the other. Every refusal is named at the verifying side and the other side is not left hanging.
set -eu
host=$1 image=$2
tool=${CCBOX_TOOL:-ccbox}
dir=$(mktemp -d)
server_pid= forged_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    [ -n "$forged_pid" ] && kill "$forged_pid" 2>/dev/null || true
    rm -rf "$dir"
}
trap cleanup EXIT
state=${CCBOX_STATE_DIR:?the sample test sets CCBOX_STATE_DIR}
fail() { echo "attested-tls: $*"; for f in "$dir"/*.log; do [ -f "$f" ] && { echo "--- $f"; cat "$f"; }; done; exit 1; }
expect() { case "$1" in *"$2"*) ;; *) fail "expected '$2' in: $1" ;; esac; }

# The enclave's certificate, decoded, then verified with the PKI the platform made on first use.
timeout 60 "$host" "$image" cert "$dir/cert.pem" >/dev/null
pki="$state/development-pki"
"$tool" collateral --pki "$pki" --out "$dir/collateral.json"
out=$("$tool" tls inspect-cert "$dir/cert.pem")
expect "$out" "Open Enclave evidence under 1.3.6.1.4.1.311.105.2"
expect "$out" "the bound key is this certificate's"
out=$("$tool" tls inspect-cert "$dir/cert.pem" --collateral "$dir/collateral.json" --root "$pki/root_ca.pem")
expect "$out" "verification: ok"
mrenclave=$("$tool" tls inspect-cert "$dir/cert.pem" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["mrenclave"])')
mrsigner=$("$tool" tls inspect-cert "$dir/cert.pem" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["mrsigner"])')
other=0000000000000000000000000000000000000000000000000000000000000001
policy="$dir/collateral.json $pki/root_ca.pem"

# Starts the enclave server (ARGS...) in the background; sets $port.
start_server() {
    : >"$dir/server.log"
    timeout 120 "$host" "$image" serve 0 "$@" >"$dir/server.log" 2>&1 &
    server_pid=$!
    port=
    for _ in $(seq 1 200); do
        port=$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$dir/server.log")
        [ -n "$port" ] && return 0
        kill -0 "$server_pid" 2>/dev/null || fail "the server exited early"
        sleep 0.05
    done
    fail "the server did not start listening"
}
wait_server() {
    wait "$server_pid" || true
    server_pid=
}

# ---- host clients and openssl s_client against the enclave server ----
start_server 6
echo | timeout 20 openssl s_client -connect "127.0.0.1:$port" -tls1_3 -showcerts >"$dir/s_client.log" 2>&1 ||
    fail "openssl s_client failed"
grep -q "New, TLSv1.3" "$dir/s_client.log" || fail "s_client did not negotiate TLS 1.3"
sed -n '/-----BEGIN CERTIFICATE-----/,/-----END CERTIFICATE-----/p' "$dir/s_client.log" >"$dir/received.pem"
out=$("$tool" tls inspect-cert "$dir/received.pem" --collateral "$dir/collateral.json" --root "$pki/root_ca.pem")
expect "$out" "verification: ok"
expect "$out" "$mrenclave"

out=$(timeout 20 "$host" client "$port" $policy --mrenclave "$mrenclave" --mrsigner "$mrsigner" 2>&1) ||
    fail "host client refused the right enclave: $out"
expect "$out" "unique_id: $mrenclave"
expect "$out" "reply: hello from the enclave, host client"

for case in "--mrenclave $other|claims_refused|MRENCLAVE" "--mrsigner $other|claims_refused|MRSIGNER" \
            "--no-debug|policy_debug_enclave|debug" "--production|policy_development_platform|development"; do
    opts=${case%%|*} rest=${case#*|}
    reason=${rest%%|*} detail=${rest#*|}
    # shellcheck disable=SC2086
    if out=$(timeout 20 "$host" client "$port" $policy $opts 2>&1); then
        fail "host client accepted the enclave with $opts: $out"
    fi
    expect "$out" "handshake failed: $reason"
    expect "$out" "$detail"
done
wait_server
# The server saw an alert for each refusal (and served two connections).
out=$(cat "$dir/server.log")
expect "$out" "served 2, refused 4"
[ "$(grep -c 'alert' "$dir/server.log")" -eq 4 ] || fail "the server did not see 4 alerts"

# ---- enclave <-> enclave, mutual attestation ----
start_server 3 --mutual $policy --mrenclave "$mrenclave"
out=$(timeout 30 "$host" "$image" connect "$port" $policy --mrenclave "$mrenclave" 2>&1) ||
    fail "enclave client failed: $out"
expect "$out" "enclave client: reply: hello from the enclave, enclave client"
expect "$out" "unique_id: $mrenclave"
# The client refuses the server (another MRSIGNER expected).
if out=$(timeout 30 "$host" "$image" connect "$port" $policy --mrsigner "$other" 2>&1); then
    fail "enclave client accepted an unexpected server: $out"
fi
expect "$out" "handshake failed: claims_refused"
# A host client has no attestation certificate: the mutual server refuses it.
if out=$(timeout 20 "$host" client "$port" $policy 2>&1); then
    fail "a mutual server served a client without evidence: $out"
fi
expect "$out" "alert"
wait_server
out=$(cat "$dir/server.log")
expect "$out" "served 1, refused 2"

# The server refuses the client: it expects another MRENCLAVE.
start_server 1 --mutual $policy --mrenclave "$other"
if out=$(timeout 30 "$host" "$image" connect "$port" $policy 2>&1); then
    fail "the server accepted an unexpected client: $out"
fi
expect "$out" "the server closed the connection"
expect "$out" "alert"
wait_server
out=$(cat "$dir/server.log")
expect "$out" "handshake failed: claims_refused"
expect "$out" "MRENCLAVE $mrenclave is not the expected $other"

# ---- a certificate altered outside the enclave: its evidence extension on a new key ----
# Served by openssl s_server; the host client (host API) and the enclave client (the verifier
# inside the enclave) both refuse it: the evidence does not bind the server's key.
python3 - "$dir/cert.pem" "$dir/ext.hex" <<'PY'
import base64, sys
pem = open(sys.argv[1]).read().split("-----")[2]
der = base64.b64decode("".join(pem.split()))
oid = bytes([0x06, 0x09, 0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x69, 0x02])
i = der.index(oid) + len(oid)
assert der[i] == 0x04
n = der[i + 1]
if n & 0x80:
    k = n & 0x7F
    length = int.from_bytes(der[i + 2:i + 2 + k], "big")
    value = der[i + 2 + k:i + 2 + k + length]
else:
    value = der[i + 2:i + 2 + n]
open(sys.argv[2], "w").write(value.hex())
PY
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/forged.key" -out "$dir/forged.pem" \
    -days 1 -subj "/CN=forged" -addext "1.3.6.1.4.1.311.105.2=DER:$(cat "$dir/ext.hex")" >/dev/null 2>&1 ||
    fail "openssl could not make the forged certificate"
out=$("$tool" tls inspect-cert "$dir/forged.pem" --collateral "$dir/collateral.json" --root "$pki/root_ca.pem" 2>&1) &&
    fail "inspect-cert verified a forged certificate: $out"
expect "$out" "key_not_bound"
fport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
openssl s_server -accept "127.0.0.1:$fport" -cert "$dir/forged.pem" -key "$dir/forged.key" -tls1_3 -quiet \
    >"$dir/s_server.log" 2>&1 </dev/null &
forged_pid=$!
for _ in $(seq 1 200); do
    python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $fport), 1)" 2>/dev/null && break
    sleep 0.05
done
if out=$(timeout 20 "$host" client "$fport" $policy 2>&1); then
    fail "the host client accepted a forged certificate: $out"
fi
expect "$out" "handshake failed: key_not_bound"
if out=$(timeout 30 "$host" "$image" connect "$fport" $policy 2>&1); then
    fail "the enclave client accepted a forged certificate: $out"
fi
expect "$out" "handshake failed: key_not_bound"
kill "$forged_pid" 2>/dev/null || true
forged_pid=
