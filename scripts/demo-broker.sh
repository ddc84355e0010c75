# Sourced by scripts/demo.sh when `ccbox keybroker` is built: a development PKI, a key broker on
# loopback holding the owner's keys under a policy that names the analytics enclave, and (step 9)
# a refused release for a modified enclave. Sets ENCLAVE, KEYS and REFUSAL for demo.sh.

step "3. a development PKI"
say "Quotes are signed under a PCK certificate. The platform certifies itself on first use under"
say "the development PKI in its state directory (a real deployment uses Intel's PKI or its own);"
say "the broker issues the collateral that verifies quotes from the same PKI."
pki="$state/development-pki"
"$CCBOX" pki init --out "$pki" --development >/dev/null
ls "$pki" | sed 's/^/   pki: /'

step "3b. the key broker on loopback"
kb="$work/broker"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="https://127.0.0.1:$port"
indent "$CCBOX" keybroker init --state-dir "$kb"
"$CCBOX" keybroker serve --state-dir "$kb" --listen "127.0.0.1:$port" --pki "$pki" >"$work/broker.log" 2>&1 &
broker_pid=$!
admin() { "$CCBOX" keybroker "$@" --state-dir "$kb" --url "$url"; }
admin_ok() { admin "$@" >/dev/null 2>&1; }
for _ in $(seq 100); do admin_ok key list && break; sleep 0.1; done
say "broker: $url (pid $broker_pid), state in $kb; TLS certificate pinned by its clients"
indent admin key create sales
indent admin key create results
cat > "$work/policy.json" <<POLICY
{"allOf":[{"claim":"mrenclave","equals":"$MRENCLAVE"},
          {"claim":"svn","greaterOrEquals":1}]}
POLICY
say "Release policy for both keys: only the enclave with MRENCLAVE ${MRENCLAVE%"${MRENCLAVE#????????????????}"}…, SVN >= 1:"
sed 's/^/     /' "$work/policy.json"
indent admin policy set sales "$work/policy.json"
indent admin policy set results "$work/policy.json"
say "The owner (the broker's admin) exports the data key to encrypt, and the result key to read:"
indent admin key export sales --out "$work/data.key"
indent admin key export results --out "$work/result.key"

ENCLAVE=$APP/analytics_enc_release_only.signed
KEYS="--broker $url --ca $kb/tls/cert.pem --data-key-id sales"
REFUSAL='
say "The development build of the same sample (it also accepts keys from the host, so it has"
say "another MRENCLAVE) asks for the same key id. The broker refuses it by policy:"
"$CCBOX" inspect "$APP/analytics_enc.signed" | grep mrenclave | sed "s/^/   /"
if "$APP/analytics_host" "$APP/analytics_enc.signed" --in "$work/data.box" --out "$work/stolen.box" \
    --result-key-id results $KEYS 2>"$work/refused.txt"; then
    say "the modified enclave got the key"; exit 1
fi
sed "s/^/   /" "$work/refused.txt"
[ ! -e "$work/stolen.box" ] && say "no result file was written."
say "The audit log has both decisions:"
admin audit export | tail -3 | sed "s/^/   /"
'
