// Fetches collateral for a quote from a PCCS URL with @phala/dcap-qvl's own client
// (getCollateral: PCS/PCCS v4 paths and headers), then verifies the quote with it.
// Usage: node fetch_with_dcap_qvl.js PCCS_URL QUOTE ROOT.pem UNIX_TIME
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const { QuoteVerifier, getCollateral } = require('@phala/dcap-qvl');

const [url, quotePath, rootPath, time] = process.argv.slice(2);
const quote = fs.readFileSync(quotePath);
const rootDer = new crypto.X509Certificate(fs.readFileSync(rootPath)).raw;
getCollateral(url, quote).then((collateral) => {
    const result = QuoteVerifier.newWithRootCa(rootDer).verify(quote, collateral, Number(time));
    console.log(JSON.stringify({ status: result.status, advisory_ids: result.advisory_ids }));
}).catch((e) => {
    console.log('dcap-qvl: ' + e.message + (e.cause ? ' (' + e.cause.message + ')' : ''));
    process.exit(1);
});
