#include "services/collateral/pccs_server.hpp"

#include "attestation/ossl.hpp"
#include "attestation/sgx_extension.hpp"
#include "support/file_io.hpp"
#include "support/hex.hpp"

#include <httplib.h>

#include <cctype>
#include <cstdio>

namespace ccbox::services {
namespace {

std::string url_encode(const std::string& s) {
    std::string out;
    char buf[4];
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

std::string upper(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

struct PccsServer::Impl {
    attestation::CollateralBundle bundle;
    std::string fmspc_hex;  // uppercase
    std::string pck_dir;
    std::unique_ptr<httplib::SSLServer> server;
    int port = 0;
};

Result<std::unique_ptr<PccsServer>> PccsServer::create(const PccsOptions& o) {
    CCBOX_ASSIGN_OR_RETURN(Bytes text, read_file(o.collateral_path, 8 << 20));
    auto bundle = attestation::parse_collateral_bundle(std::string(text.begin(), text.end()));
    if (!bundle)
        return bundle.error().with_context(o.collateral_path + ": ");
    auto tcb = attestation::parse_tcb_info(bundle->tcb_info);
    if (!tcb)
        return tcb.error().with_context(o.collateral_path + ": ");
    for (const auto& path : {o.tls_cert, o.tls_key})
        if (auto f = read_file(path, 1 << 20); !f)
            return f.error().with_context("TLS: ");
    std::unique_ptr<PccsServer> s(new PccsServer());
    s->impl_ = std::make_unique<Impl>();
    Impl& impl = *s->impl_;
    impl.bundle = std::move(*bundle);
    impl.fmspc_hex = upper(to_hex(tcb->fmspc));
    impl.pck_dir = o.pck_dir;
    impl.server = std::make_unique<httplib::SSLServer>(o.tls_cert.c_str(), o.tls_key.c_str());
    if (!impl.server->is_valid())
        return Error(CCBOX_INVALID_PARAMETER, "TLS: " + o.tls_cert + " / " + o.tls_key +
                                                  " is not a certificate and its private key (PEM)");
    httplib::SSLServer& srv = *impl.server;
    const std::string base = "/sgx/certification/v4";
    Impl* p = &impl;
    srv.Get(base + "/tcb", [p](const httplib::Request& req, httplib::Response& res) {
        if (upper(req.get_param_value("fmspc")) != p->fmspc_hex) {
            res.status = 404;
            res.set_content("no TCB Info for this FMSPC", "text/plain");
            return;
        }
        res.set_header("SGX-TCB-Info-Issuer-Chain", url_encode(p->bundle.tcb_info_issuer_chain));
        res.set_content("{\"tcbInfo\":" + p->bundle.tcb_info + ",\"signature\":\"" +
                            to_hex(p->bundle.tcb_info_signature) + "\"}",
                        "application/json");
    });
    srv.Get(base + "/qe/identity", [p](const httplib::Request&, httplib::Response& res) {
        res.set_header("SGX-Enclave-Identity-Issuer-Chain", url_encode(p->bundle.qe_identity_issuer_chain));
        res.set_content("{\"enclaveIdentity\":" + p->bundle.qe_identity + ",\"signature\":\"" +
                            to_hex(p->bundle.qe_identity_signature) + "\"}",
                        "application/json");
    });
    srv.Get(base + "/pckcrl", [p](const httplib::Request& req, httplib::Response& res) {
        const std::string ca = req.get_param_value("ca");
        if (ca != "platform" && ca != "processor") {
            res.status = 400;
            res.set_content("ca must be platform or processor", "text/plain");
            return;
        }
        res.set_header("SGX-PCK-CRL-Issuer-Chain", url_encode(p->bundle.pck_crl_issuer_chain));
        if (req.get_param_value("encoding") == "der")
            res.set_content(std::string(p->bundle.pck_crl.begin(), p->bundle.pck_crl.end()), "application/pkix-crl");
        else
            res.set_content(to_hex(p->bundle.pck_crl), "text/plain");
    });
    srv.Get(base + "/rootcacrl", [p](const httplib::Request&, httplib::Response& res) {
        res.set_content(to_hex(p->bundle.root_ca_crl), "text/plain");
    });
    srv.Get(base + "/pckcert", [p](const httplib::Request& req, httplib::Response& res) {
        const std::string ppid = upper(req.get_param_value("encrypted_ppid"));
        bool hex = ppid.size() == 32;
        for (char c : ppid)
            hex = hex && std::isxdigit(static_cast<unsigned char>(c));
        auto file = hex && !p->pck_dir.empty() ? read_file(p->pck_dir + "/" + ppid + ".pem", 1 << 20)
                                               : Result<Bytes>(Error(CCBOX_NOT_FOUND, ""));
        if (!file) {
            res.status = 404;
            res.set_content("no PCK certificate for this PPID", "text/plain");
            return;
        }
        const std::string pem(file->begin(), file->end());
        auto certs = attestation::parse_pem_certificates(pem, "pck");
        auto ext = certs ? attestation::sgx_extension_of((*certs)[0].get())
                         : Result<attestation::SgxExtension>(Error(CCBOX_NOT_FOUND, ""));
        if (!ext) {
            res.status = 500;
            return;
        }
        std::vector<uint8_t> tcbm(ext->cpusvn.begin(), ext->cpusvn.end());
        tcbm.push_back(static_cast<uint8_t>(ext->pcesvn));
        tcbm.push_back(static_cast<uint8_t>(ext->pcesvn >> 8));
        res.set_header("SGX-TCBm", upper(to_hex(tcbm)));
        res.set_header("SGX-FMSPC", upper(to_hex(ext->fmspc)));
        res.set_header("SGX-PCK-Certificate-Issuer-Chain", url_encode(p->bundle.pck_crl_issuer_chain));
        res.set_content(attestation::certificate_pem((*certs)[0].get()), "application/x-pem-file");
    });
    if (o.port == 0) {
        impl.port = srv.bind_to_any_port(o.listen.c_str());
        if (impl.port <= 0)
            return Error(CCBOX_IO_ERROR, "pccs: cannot listen on " + o.listen);
    } else {
        if (!srv.bind_to_port(o.listen.c_str(), o.port))
            return Error(CCBOX_IO_ERROR, "pccs: cannot listen on " + o.listen + ":" + std::to_string(o.port));
        impl.port = o.port;
    }
    return s;
}

PccsServer::~PccsServer() = default;
int PccsServer::port() const { return impl_->port; }
void PccsServer::run() { impl_->server->listen_after_bind(); }
void PccsServer::stop() { impl_->server->stop(); }

}  // namespace ccbox::services
