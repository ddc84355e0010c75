#!/bin/sh
# The attestation commands end to end: pki init, platform provision, collateral, owner edits
# (revoke, TCB recovery, advisories) and quote verify|inspect on the real Intel quote.
# Usage: cli_test.sh CCBOX TESTDATA_DIR CCBOXD
set -eu
ccbox=$1 testdata=$2 ccboxd=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# The real Intel quote: verified inside the window, expired after it, inspected.
if [ -f "$testdata/dcap/sgx_quote.bin" ]; then
    d=$testdata/dcap
    out=$("$ccbox" quote verify "$d/sgx_quote.bin" --collateral "$d/sgx_quote_collateral.json" \
          --root "$d/intel_sgx_root_ca.pem" --at 1750330571 --json)
    echo "$out" | grep -q '"tcb_status": "ConfigurationAndSWHardeningNeeded"' || fail "status: $out"
    echo "$out" | grep -q '"INTEL-SA-00289"' || fail "advisories: $out"
    if out=$("$ccbox" quote verify "$d/sgx_quote.bin" --collateral "$d/sgx_quote_collateral.json" \
             --root "$d/intel_sgx_root_ca.pem" --at 2025-07-19T10:05:00Z 2>&1); then fail "expired verified"; fi
    echo "$out" | grep -q "qe_identity_expired: QE Identity expired at 2025-07-19T10:01:18Z" || fail "expiry: $out"
    "$ccbox" quote inspect "$d/sgx_quote.bin" | grep -q "FMSPC 00a067110000" || fail "inspect"
    "$ccbox" quote inspect "$d/sgx_quote.bin" --json | grep -q '"qe_svn": 10' || fail "inspect --json"
else
    echo "skipping the real-quote checks: $testdata/dcap is absent"
fi

# Our PKI: a production PKI refuses a development platform; a development PKI provisions it.
"$ccbox" pki init --out "$dir/prod" >/dev/null
"$ccbox" pki init --out "$dir/dev" --development >/dev/null
[ "$(stat -c %a "$dir/dev/root_ca.key.pem")" = 600 ] || fail "the root key is not 0600"
# Offline, provisioning certifies the TCB the platform will have when the same user starts it: an
# ordinary user's platform is development, so the production PKI refuses it.
mkdir -p "$dir/user" && cp -r "$dir/prod" "$dir/user/prod" && chown -R nobody "$dir/user" && chmod 755 "$dir"
if out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
         "$ccbox" platform provision --pki "$dir/user/prod" --state-dir "$dir/user/state" 2>&1); then
    fail "a production PKI certified a development platform"
fi
echo "$out" | grep -q "development platform" || fail "refusal: $out"
# Root's platform is production: the production PKI certifies it.
"$ccbox" platform provision --pki "$dir/prod" --state-dir "$dir/rootstate" >/dev/null || fail "production refused"
"$ccbox" platform provision --pki "$dir/dev" --state-dir "$dir/state" >/dev/null
openssl x509 -in "$dir/state/pck_chain.pem" -noout -text | grep -q "1.2.840.113741.1.13.1" || fail "no SGX extension"
openssl verify -CAfile "$dir/dev/root_ca.pem" -untrusted "$dir/dev/pck_ca.pem" "$dir/state/pck_chain.pem" >/dev/null \
    || fail "openssl does not verify the PCK chain"

# A running platform is provisioned through its socket: it makes the CSR, the PKI keeps a copy.
export CCBOX_PLATFORM_PATH=$ccboxd
"$ccbox" platform start --state-dir "$dir/running" >/dev/null
out=$("$ccbox" platform provision --pki "$dir/dev" --state-dir "$dir/running" 2>&1) || \
    { "$ccbox" platform stop --state-dir "$dir/running" >/dev/null 2>&1; fail "provision via the platform: $out"; }
"$ccbox" platform stop --state-dir "$dir/running" >/dev/null
echo "$out" | grep -q "provisioned the running platform" || fail "not provisioned through the platform: $out"
[ -f "$dir/running/pck_chain.pem" ] || fail "the platform did not store its chain"
[ "$(ls "$dir/dev/issued" | wc -l)" = 2 ] || fail "the PKI did not keep the issued certificates"

# Collateral with owner edits, in dcap-qvl's JSON layout, and CRLs that openssl reads.
"$ccbox" pki tcb-recovery --pki "$dir/dev" --components 20202020202020202020202020202020 --pcesvn 3
"$ccbox" pki advisory --pki "$dir/dev" --level 1 --ids CCBOX-SA-0001,CCBOX-SA-0002
"$ccbox" pki revoke --pki "$dir/dev" --cert "$dir/state/pck_chain.pem"
"$ccbox" collateral --pki "$dir/dev" --out "$dir/c.json" --issue-date 2026-01-01T00:00:00Z \
    --next-update 2026-02-01T00:00:00Z
python3 - "$dir/c.json" <<'PY'
import json, subprocess, sys
c = json.load(open(sys.argv[1]))
for key in ("tcb_info", "qe_identity", "tcb_info_signature", "qe_identity_signature", "root_ca_crl", "pck_crl",
            "tcb_info_issuer_chain", "qe_identity_issuer_chain", "pck_crl_issuer_chain"):
    assert key in c, key
tcb = json.loads(c["tcb_info"])
assert tcb["version"] == 3 and tcb["id"] == "SGX" and tcb["issueDate"] == "2026-01-01T00:00:00Z", tcb
assert tcb["tcbLevels"][0]["tcbStatus"] == "UpToDate" and tcb["tcbLevels"][1]["tcbStatus"] == "OutOfDate", tcb
assert tcb["tcbLevels"][1]["advisoryIDs"] == ["CCBOX-SA-0001", "CCBOX-SA-0002"], tcb
qe = json.loads(c["qe_identity"])
assert qe["version"] == 2 and qe["id"] == "QE", qe
crl = subprocess.run(["openssl", "crl", "-inform", "der", "-noout", "-text"], input=bytes.fromhex(c["pck_crl"]),
                     capture_output=True, check=True).stdout.decode()
assert "Serial Number" in crl, crl
PY
# Bad input names the file and field.
echo '{"tcb_info": 1}' > "$dir/bad.json"
if out=$("$ccbox" quote verify "$dir/c.json" --collateral "$dir/bad.json" --root "$dir/dev/root_ca.pem" 2>&1); then
    fail "bad collateral accepted"
fi
echo "$out" | grep -q "bad.json: collateral: pck_crl_issuer_chain: missing" || fail "bad collateral message: $out"
if out=$("$ccbox" quote inspect "$dir/c.json" 2>&1); then fail "a JSON file inspected as a quote"; fi
echo "$out" | grep -q "unsupported_quote_version\|quote_malformed" || fail "inspect message: $out"
echo "cli: ok"
