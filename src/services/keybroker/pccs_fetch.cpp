#include "services/keybroker/pccs_fetch.hpp"

#include "attestation/collateral.hpp"
#include "support/hex.hpp"

#include <httplib.h>

namespace ccbox::keybroker {
namespace {

std::string url_decode(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            auto v = from_hex(s.substr(i + 1, 2), 1, "%");
            if (v) {
                out += static_cast<char>((*v)[0]);
                i += 2;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

// {"<member>":BODY,"signature":"HEX"}: BODY byte for byte (it is what was signed) and the signature.
Result<void> split_signed(const std::string& text, const std::string& member, std::string* body,
                          std::array<uint8_t, 64>* signature) {
    const std::string head = "{\"" + member + "\":";
    const std::string tail = ",\"signature\":\"";
    const size_t at = text.rfind(tail);
    if (text.compare(0, head.size(), head) != 0 || at == std::string::npos || at < head.size() || text.size() < at + tail.size() + 130 ||
        text.substr(text.size() - 2) != "\"}")
        return Error(CCBOX_INVALID_ENDORSEMENT, "pccs: the " + member + " answer is not {\"" + member + "\":…,\"signature\":…}");
    *body = text.substr(head.size(), at - head.size());
    CCBOX_ASSIGN_OR_RETURN(auto sig, from_hex(text.substr(at + tail.size(), text.size() - 2 - at - tail.size()), 64,
                                              "pccs: " + member + " signature"));
    std::copy(sig.begin(), sig.end(), signature->begin());
    return ok_result();
}

}  // namespace

Result<std::string> fetch_pccs_collateral(const std::string& url, const std::string& ca_file,
                                          const std::string& fmspc_hex) {
    const std::string scheme = "https://";
    if (url.compare(0, scheme.size(), scheme) != 0)
        return Error(CCBOX_INVALID_PARAMETER, "--pccs: expected https://HOST:PORT, got " + url);
    std::string rest = url.substr(scheme.size());
    if (!rest.empty() && rest.back() == '/')
        rest.pop_back();
    const size_t colon = rest.rfind(':');
    const std::string host = colon == std::string::npos ? rest : rest.substr(0, colon);
    int port = 443;
    if (colon != std::string::npos) {
        const std::string p = rest.substr(colon + 1);
        if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos)
            return Error(CCBOX_INVALID_PARAMETER, "--pccs: bad port in " + url);
        port = std::stoi(p);
    }
    httplib::SSLClient http(host, port);
    if (!ca_file.empty())
        http.set_ca_cert_path(ca_file.c_str());
    http.enable_server_certificate_verification(true);
    http.set_connection_timeout(5, 0);
    http.set_read_timeout(10, 0);
    const std::string base = "/sgx/certification/v4";
    auto get = [&](const std::string& path) -> Result<httplib::Result> {
        auto r = http.Get((base + path).c_str());
        if (!r)
            return Error(CCBOX_SERVICE_UNAVAILABLE, "pccs: " + url + base + path + ": " + httplib::to_string(r.error()));
        if (r->status != 200)
            return Error(CCBOX_SERVICE_UNAVAILABLE, "pccs: " + url + base + path + ": HTTP " + std::to_string(r->status));
        return r;
    };
    attestation::CollateralBundle b;
    CCBOX_ASSIGN_OR_RETURN(auto tcb, get("/tcb?fmspc=" + fmspc_hex));
    CCBOX_TRY(split_signed(tcb->body, "tcbInfo", &b.tcb_info, &b.tcb_info_signature));
    b.tcb_info_issuer_chain = url_decode(tcb->get_header_value("SGX-TCB-Info-Issuer-Chain"));
    CCBOX_ASSIGN_OR_RETURN(auto qe, get("/qe/identity"));
    CCBOX_TRY(split_signed(qe->body, "enclaveIdentity", &b.qe_identity, &b.qe_identity_signature));
    b.qe_identity_issuer_chain = url_decode(qe->get_header_value("SGX-Enclave-Identity-Issuer-Chain"));
    CCBOX_ASSIGN_OR_RETURN(auto crl, get("/pckcrl?ca=platform"));
    CCBOX_ASSIGN_OR_RETURN(b.pck_crl, from_hex(crl->body, 0, "pccs: PCK CRL"));
    b.pck_crl_issuer_chain = url_decode(crl->get_header_value("SGX-PCK-CRL-Issuer-Chain"));
    CCBOX_ASSIGN_OR_RETURN(auto root_crl, get("/rootcacrl"));
    CCBOX_ASSIGN_OR_RETURN(b.root_ca_crl, from_hex(root_crl->body, 0, "pccs: root CA CRL"));
    return attestation::collateral_bundle_json(b);
}

}  // namespace ccbox::keybroker
