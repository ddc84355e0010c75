// ccbox_tls_cert_verify_callback (include/ccbox/tls.h): OpenSSL's whole chain verification is
// replaced by the attestation certificate's (a self-signed certificate has no chain to a CA;
// its trust is the evidence). Built for the host and for enclaves.
#include <ccbox/tls.h>

#include <openssl/x509.h>

#include <cstdio>
#include <cstring>

extern "C" int ccbox_tls_cert_verify_callback(X509_STORE_CTX* ctx, void* arg) {
    auto* v = static_cast<ccbox_tls_verifier_t*>(arg);
    if (!v)
        return 0;
    X509* peer = X509_STORE_CTX_get0_cert(ctx);
    unsigned char* der = nullptr;
    const int n = peer ? i2d_X509(peer, &der) : -1;
    if (n <= 0) {
        v->result = CCBOX_INVALID_PARAMETER;
        std::snprintf(v->error, sizeof v->error, "attestation_certificate_malformed: the peer sent no certificate");
        X509_STORE_CTX_set_error(ctx, X509_V_ERR_APPLICATION_VERIFICATION);
        return 0;
    }
    v->result = ccbox_verify_attestation_certificate_with_evidence(der, static_cast<size_t>(n), v->endorsements,
                                                                   v->endorsements_size, v->policies,
                                                                   v->policies_size, v->callback, v->arg);
    OPENSSL_free(der);
    std::snprintf(v->error, sizeof v->error, "%s", v->result == CCBOX_OK ? "" : ccbox_verifier_last_error());
    if (v->result != CCBOX_OK) {
        X509_STORE_CTX_set_error(ctx, X509_V_ERR_APPLICATION_VERIFICATION);
        return 0;
    }
    return 1;
}
