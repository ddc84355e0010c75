// Verifies a quote with Phala's @phala/dcap-qvl (a DCAP verifier ccbox did not write), given
// our collateral JSON (dcap-qvl's own layout) and a trusted root CA.
// Usage: node verify_with_dcap_qvl.js QUOTE COLLATERAL.json ROOT.pem UNIX_TIME
// Prints {"status": ..., "advisory_ids": [...]} and exits 0, or prints the error and exits 1.
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const { QuoteVerifier } = require('@phala/dcap-qvl');

const [quotePath, collateralPath, rootPath, time] = process.argv.slice(2);
const quote = fs.readFileSync(quotePath);
const collateral = JSON.parse(fs.readFileSync(collateralPath, 'utf-8'));
const rootDer = new crypto.X509Certificate(fs.readFileSync(rootPath)).raw;
try {
    const result = QuoteVerifier.newWithRootCa(rootDer).verify(quote, collateral, Number(time));
    console.log(JSON.stringify({ status: result.status, advisory_ids: result.advisory_ids }));
} catch (e) {
    console.log('dcap-qvl: ' + e.message + (e.cause ? ' (' + e.cause.message + ')' : ''));
    process.exit(1);
}
