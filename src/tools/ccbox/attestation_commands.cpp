#include "tools/ccbox/attestation_commands.hpp"

#include "attestation/pki_store.hpp"
#include "attestation/verifier.hpp"
#include "host/isolated/platform_client.hpp"
#include "platform/platform_mode.hpp"
#include "platform/quoting/provisioning.hpp"
#include "platform/service/state_dir.hpp"
#include "services/collateral/pccs_server.hpp"
#include "support/file_io.hpp"
#include "support/hex.hpp"
#include "tools/ccbox/cli_numbers.hpp"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <iostream>

#include <sys/stat.h>
#include <unistd.h>

namespace ccbox {
namespace {

using namespace attestation;
using nlohmann::ordered_json;

int report_error(const Error& e) {
    std::fprintf(stderr, "ccbox: error: %s\n", e.message().c_str());
    return 1;
}
int run_result(const Result<void>& r) { return r.ok() ? 0 : report_error(r.error()); }

Result<std::string> read_text(const std::string& path, uint64_t max = 8 << 20) {
    CCBOX_ASSIGN_OR_RETURN(Bytes bytes, read_file(path, max));
    return std::string(bytes.begin(), bytes.end());
}

Result<void> write_text(const std::string& path, const std::string& text) {
    return write_file_atomic(path, std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()), 0644);
}

Result<int64_t> time_option(const std::string& text, int64_t fallback, const char* what) {
    if (text.empty())
        return fallback;
    if (auto t = parse_utc_time(text))
        return *t;
    CCBOX_ASSIGN_OR_RETURN(uint64_t v, parse_u64_option(text, what));
    if (v > static_cast<uint64_t>(INT64_MAX))
        return Error(CCBOX_INVALID_PARAMETER, std::string(what) + ": out of range");
    return static_cast<int64_t>(v);
}

int64_t now() { return static_cast<int64_t>(std::time(nullptr)); }


class Commands final : public AttestationCommands {
public:
    Commands(CLI::App& app, CLI::App& platform_cmd) {
        auto* pki = app.add_subcommand("pki", "Make and manage a provisioning PKI (root CA, PCK CA, TCB signing)");
        pki->require_subcommand(1);
        init_ = pki->add_subcommand("init", "Make a new PKI in DIR");
        init_->add_option("--out", dir_, "the PKI directory to create")->required();
        init_->add_flag("--development", development_, "a development PKI (never certifies production)");
        init_->add_option("--years", years_, "validity of the CA certificates")->check(CLI::Range(1, 30));
        revoke_ = pki->add_subcommand("revoke", "Revoke a PCK certificate, or the PCK CA");
        revoke_->add_option("--pki", dir_, "the PKI directory")->required();
        auto* cert_opt = revoke_->add_option("--cert", cert_, "a PCK certificate (PEM, the first of a chain)");
        revoke_->add_flag("--pck-ca", revoke_ca_, "revoke the PCK CA itself")->excludes(cert_opt);
        recovery_ = pki->add_subcommand("tcb-recovery", "Publish a new TCB level; older levels become OutOfDate");
        recovery_->add_option("--pki", dir_, "the PKI directory")->required();
        recovery_->add_option("--components", components_, "the 16 component SVNs, 32 hex digits")->required();
        recovery_->add_option("--pcesvn", pcesvn_, "the PCESVN of the new level")->required();
        recovery_->add_option("--date", date_, "the new level's tcbDate (default today)");
        advisory_ = pki->add_subcommand("advisory", "Attach advisory IDs to a TCB level (0 = highest)");
        advisory_->add_option("--pki", dir_, "the PKI directory")->required();
        advisory_->add_option("--level", level_, "the TCB level's index")->required();
        advisory_->add_option("--ids", ids_, "advisory IDs, comma-separated (empty clears)")->required()->delimiter(',');

        provision_ = platform_cmd.add_subcommand("provision", "Give the platform its PCK certificate from a PKI");
        provision_->add_option("--pki", dir_, "the PKI directory")->required();
        provision_->add_option("--state-dir", state_dir_, "the platform's state directory");

        collateral_ = app.add_subcommand("collateral", "Write TCB Info, QE Identity and CRLs, signed (PCS formats)");
        collateral_->add_option("--pki", dir_, "the PKI directory")->required();
        collateral_->add_option("--out", out_, "the collateral JSON file")->required();
        collateral_->add_option("--issue-date", issue_, "issueDate/thisUpdate (UTC time or UNIX seconds; default now)");
        collateral_->add_option("--next-update", next_, "nextUpdate (default issue date + 30 days)");

        auto* pccs = app.add_subcommand("pccs", "Serve collateral on the PCS/PCCS v4 paths over HTTPS");
        pccs->require_subcommand(1);
        serve_ = pccs->add_subcommand("serve", "Serve a collateral JSON (and issued PCK certificates)");
        serve_->add_option("--collateral", pccs_.collateral_path, "the collateral JSON of `ccbox collateral`")->required();
        serve_->add_option("--pki", dir_, "the PKI directory, for its issued PCK certificates");
        serve_->add_option("--tls-cert", pccs_.tls_cert, "the server's TLS certificate (PEM)")->required();
        serve_->add_option("--tls-key", pccs_.tls_key, "its private key (PEM)")->required();
        serve_->add_option("--listen", pccs_.listen, "the address to listen on (default 127.0.0.1)");
        serve_->add_option("--port", pccs_.port, "the port (default 8081; 0: any free port)")->check(CLI::Range(0, 65535));

        auto* quote = app.add_subcommand("quote", "Verify or inspect a DCAP ECDSA quote");
        quote->require_subcommand(1);
        verify_ = quote->add_subcommand("verify", "Verify a quote against collateral and trusted roots");
        verify_->add_option("quote", quote_, "the quote file")->required();
        verify_->add_option("--collateral", out_, "the collateral JSON")->required();
        verify_->add_option("--root", roots_, "a trusted root CA (PEM); repeatable")->required();
        verify_->add_option("--at", at_, "verification time (UNIX seconds or UTC time; default now)");
        verify_->add_flag("--require-production", policy_.require_production, "refuse development platforms");
        verify_->add_flag("--no-debug", no_debug_, "refuse debug enclaves");
        verify_->add_flag("--json", json_, "print JSON");
        inspect_ = quote->add_subcommand("inspect", "Print a quote's fields without verifying it");
        inspect_->add_option("quote", quote_, "the quote file")->required();
        inspect_->add_flag("--json", json_, "print JSON");
    }

    int run() override {
        if (*init_)
            return run_result(pki_init());
        if (*revoke_ || *recovery_ || *advisory_)
            return run_result(pki_edit());
        if (*provision_)
            return run_result(platform_provision());
        if (*collateral_)
            return run_result(write_collateral());
        if (*serve_)
            return run_result(pccs_serve());
        if (*verify_)
            return quote_verify();
        if (*inspect_)
            return quote_inspect();
        return -1;
    }

private:
    Result<void> pki_init() {
        const PlatformMode mode = development_ ? PlatformMode::kDevelopment : PlatformMode::kProduction;
        CCBOX_ASSIGN_OR_RETURN(Pki pki, Pki::create(development_, now(), years_, quoting::model_tcb(mode),
                                                    quoting::model_qe_identity()));
        CCBOX_TRY(pki.save(dir_));
        std::printf("made a %s PKI in %s (root CA %s/root_ca.pem)\n", development_ ? "development" : "production",
                    dir_.c_str(), dir_.c_str());
        return ok_result();
    }

    Result<void> pki_edit() {
        CCBOX_ASSIGN_OR_RETURN(Pki pki, Pki::load(dir_));
        if (*revoke_) {
            if (revoke_ca_) {
                pki.revoke_pck_ca(now());
            } else {
                if (cert_.empty())
                    return Error(CCBOX_INVALID_PARAMETER, "pki revoke: give --cert PCK.pem or --pck-ca");
                CCBOX_ASSIGN_OR_RETURN(std::string pem, read_text(cert_, 1 << 20));
                CCBOX_ASSIGN_OR_RETURN(auto certs, parse_pem_certificates(pem, cert_));
                if (X509_NAME_cmp(X509_get_issuer_name(certs[0].get()), X509_get_subject_name(pki.pck_ca())) != 0)
                    return Error(CCBOX_INVALID_PARAMETER, cert_ + ": was not issued by this PKI's PCK CA");
                pki.revoke_pck(certs[0].get(), now());
            }
        } else if (*recovery_) {
            CCBOX_ASSIGN_OR_RETURN(auto bytes, from_hex(components_, 16, "--components"));
            std::array<uint8_t, 16> comps;
            std::copy(bytes.begin(), bytes.end(), comps.begin());
            if (pcesvn_ > 65535)
                return Error(CCBOX_INVALID_PARAMETER, "--pcesvn: expected 0..65535");
            const int64_t t = now();
            pki.tcb_recovery(comps, static_cast<uint16_t>(pcesvn_), date_.empty() ? format_utc_time(t - t % 86400) : date_);
            if (!date_.empty() && !parse_utc_time(date_))
                return Error(CCBOX_INVALID_PARAMETER, "--date: expected a UTC time like 2026-05-01T00:00:00Z");
        } else {
            std::vector<std::string> ids;
            for (auto& id : ids_)
                if (!id.empty())
                    ids.push_back(id);
            CCBOX_TRY(pki.set_advisories(level_, ids));
        }
        return pki.save(dir_);
    }

    Result<void> platform_provision() {
        CCBOX_ASSIGN_OR_RETURN(Pki pki, Pki::load(dir_));
        const PlatformPaths paths = platform_paths_chosen(state_dir_, "");
        std::string chain;
        if (auto fd = host::connect_platform(paths, false); fd) {
            // A running platform derives its PCK key and makes the request itself.
            auto done = provision_via_platform(*fd, pki, &chain);
            ::close(*fd);
            CCBOX_TRY(done);
            std::printf("provisioned the running platform at %s\n", paths.socket.c_str());
        } else {
            CCBOX_TRY(prepare_state_dir(paths.state_dir));
            CCBOX_ASSIGN_OR_RETURN(PlatformSecrets secrets, load_or_create_secrets(paths.state_dir));
            // Not running: certify the TCB the platform will have when root or this user starts it
            // (root's platform is production, a user's own development).
            secrets.cpusvn = cpusvn_for_mode(secrets.cpusvn, ::geteuid() == 0 ? PlatformMode::kProduction
                                                                              : PlatformMode::kDevelopment);
            CCBOX_TRY(quoting::provision(paths.state_dir, secrets, pki, now()));
            const std::string path = quoting::pck_chain_path(paths.state_dir, secrets);
            CCBOX_ASSIGN_OR_RETURN(chain, read_text(path, 1 << 20));
            std::printf("provisioned the platform in %s: PCK certificate chain in %s\n", paths.state_dir.c_str(),
                        path.c_str());
        }
        // The PKI keeps what it issued, by PPID, for `ccbox pccs serve`'s pckcert path.
        CCBOX_ASSIGN_OR_RETURN(auto certs, parse_pem_certificates(chain, "PCK chain"));
        CCBOX_ASSIGN_OR_RETURN(auto ext, sgx_extension_of(certs[0].get()));
        std::string ppid = to_hex(ext.ppid);
        for (char& c : ppid)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        ::mkdir((dir_ + "/issued").c_str(), 0755);
        return write_text(dir_ + "/issued/" + ppid + ".pem", certificate_pem(certs[0].get()));
    }

    Result<void> provision_via_platform(int fd, const Pki& pki, std::string* chain) {
        CCBOX_ASSIGN_OR_RETURN(protocol::Message reply, host::platform_request(fd, protocol::Type::kPckRequest));
        reply.close_fds();
        uint32_t csr_size = 0;
        if (reply.type != protocol::Type::kPckRequestReply || reply.payload.size() < 4 ||
            (std::memcpy(&csr_size, reply.payload.data(), 4), csr_size > reply.payload.size() - 4))
            return Error(CCBOX_PROTOCOL_ERROR, "provisioning: malformed PCK request from the platform");
        const auto payload = std::span(reply.payload);
        CCBOX_ASSIGN_OR_RETURN(SgxExtension fields, parse_sgx_extension(payload.subspan(4 + csr_size)));
        CCBOX_ASSIGN_OR_RETURN(Cert cert, pki.issue_pck(payload.subspan(4, csr_size), fields, now()));
        *chain = pki.pck_chain_pem(cert.get());
        CCBOX_ASSIGN_OR_RETURN(protocol::Message stored,
                               host::platform_request(fd, protocol::Type::kStorePckChain,
                                                      std::span(reinterpret_cast<const uint8_t*>(chain->data()),
                                                                chain->size())));
        stored.close_fds();
        if (stored.type != protocol::Type::kOk)
            return Error(CCBOX_PROTOCOL_ERROR, "provisioning: the platform did not store its certificate");
        return ok_result();
    }

    Result<void> pccs_serve() {
        if (!dir_.empty())
            pccs_.pck_dir = dir_ + "/issued";
        CCBOX_ASSIGN_OR_RETURN(auto server, services::PccsServer::create(pccs_));
        std::printf("serving collateral on https://%s:%d/sgx/certification/v4/\n", pccs_.listen.c_str(),
                    server->port());
        std::fflush(stdout);
        server->run();
        return ok_result();
    }

    Result<void> write_collateral() {
        CCBOX_ASSIGN_OR_RETURN(Pki pki, Pki::load(dir_));
        CCBOX_ASSIGN_OR_RETURN(int64_t issue, time_option(issue_, now(), "--issue-date"));
        CCBOX_ASSIGN_OR_RETURN(int64_t next, time_option(next_, issue + 30 * 86400, "--next-update"));
        if (next <= issue)
            return Error(CCBOX_INVALID_PARAMETER, "--next-update must be after --issue-date");
        CCBOX_ASSIGN_OR_RETURN(CollateralBundle bundle, pki.collateral(issue, next));
        CCBOX_TRY(pki.save(dir_));  // the CRL number moved on
        return write_text(out_, collateral_bundle_json(bundle));
    }

    int quote_verify() {
        auto quote = read_file(quote_, kQuoteMaxSize);
        if (!quote)
            return report_error(quote.error());
        auto text = read_text(out_);
        if (!text)
            return report_error(text.error());
        auto bundle = parse_collateral_bundle(*text);
        if (!bundle)
            return report_error(bundle.error().with_context(out_ + ": "));
        std::vector<TrustedRoot> roots;
        for (const auto& path : roots_) {
            auto pem = read_text(path, 1 << 20);
            if (!pem)
                return report_error(pem.error());
            auto certs = parse_pem_certificates(*pem, path);
            if (!certs)
                return report_error(certs.error());
            for (auto& c : *certs) {
                RootKind kind = infer_root_kind(c.get());
                roots.push_back({std::move(c), kind});
            }
        }
        auto at = time_option(at_, now(), "--at");
        if (!at)
            return report_error(at.error());
        auto result = verify_quote(*quote, *bundle, roots, *at);
        policy_.allow_debug = !no_debug_;
        if (result.ok())
            result.error = check_policy(result.verdict, policy_);
        if (!result.ok()) {
            if (json_)
                std::cout << ordered_json{{"ok", false},
                                          {"error", failure_id(result.error.failure)},
                                          {"expired", is_expiry(result.error.failure)},
                                          {"message", result.error.message}}
                                 .dump(2)
                          << "\n";
            else
                std::fprintf(stderr, "ccbox: error: %s: %s\n", std::string(failure_id(result.error.failure)).c_str(),
                             result.error.message.c_str());
            return 1;
        }
        const Verdict& v = result.verdict;
        const sgx::Reportbody& r = v.report;
        std::string advisories;
        for (const auto& id : v.advisory_ids)
            advisories += (advisories.empty() ? "" : ",") + id;
        ordered_json j = {{"ok", true},
                          {"tcb_status", tcb_status_name(v.tcb_status)},
                          {"advisory_ids", v.advisory_ids},
                          {"platform_mode", platform_mode_name(v.platform_mode)},
                          {"root", root_kind_name(v.root_kind)},
                          {"debug", v.debug},
                          {"unique_id", to_hex(std::span(r.mrenclave))},
                          {"signer_id", to_hex(std::span(r.mrsigner))},
                          {"product_id", r.isvprodid},
                          {"security_version", r.isvsvn},
                          {"attributes", to_hex(std::span(reinterpret_cast<const uint8_t*>(&r.attributes), 16))},
                          {"sgx_report_data", to_hex(std::span(r.reportdata))},
                          {"sgx_cpu_svn", to_hex(std::span(r.cpusvn))},
                          {"fmspc", to_hex(v.pck.fmspc)},
                          {"tcb_date", v.tcb_date},
                          {"validity_from", format_utc_time(v.validity_from)},
                          {"validity_until", format_utc_time(v.validity_until)}};
        if (json_) {
            std::cout << j.dump(2) << "\n";
        } else {
            std::printf("quote verified\n");
            for (auto& [key, value] : j.items())
                if (key != "ok")
                    std::printf("  %-17s %s\n", key.c_str(),
                                key == "advisory_ids" ? advisories.c_str()
                                : value.is_string()   ? value.get<std::string>().c_str()
                                                      : value.dump().c_str());
        }
        return 0;
    }

    int quote_inspect() {
        auto bytes = read_file(quote_, kQuoteMaxSize);
        if (!bytes)
            return report_error(bytes.error());
        VerifyError error;
        auto q = parse_quote(*bytes, &error);
        if (!q) {
            std::fprintf(stderr, "ccbox: error: %s: %s: %s\n", quote_.c_str(),
                         std::string(failure_id(error.failure)).c_str(), error.message.c_str());
            return 1;
        }
        auto body = [](const sgx::Reportbody& r) {
            return ordered_json{{"cpusvn", to_hex(std::span(r.cpusvn))},
                                {"miscselect", r.miscselect},
                                {"attributes", to_hex(std::span(reinterpret_cast<const uint8_t*>(&r.attributes), 16))},
                                {"mrenclave", to_hex(std::span(r.mrenclave))},
                                {"mrsigner", to_hex(std::span(r.mrsigner))},
                                {"isvprodid", r.isvprodid},
                                {"isvsvn", r.isvsvn},
                                {"reportdata", to_hex(std::span(r.reportdata))}};
        };
        ordered_json j = {{"version", q->header.version},
                          {"attestation_key_type", q->header.att_key_type},
                          {"qe_svn", q->header.qe_svn},
                          {"pce_svn", q->header.pce_svn},
                          {"qe_vendor_id", to_hex(std::span(q->header.qe_vendor_id))},
                          {"user_data", to_hex(std::span(q->header.user_data))},
                          {"isv_report", body(q->isv_report)},
                          {"isolation_svn", q->isv_report.cpusvn[kCpusvnModeComponent]},
                          {"qe_report", body(q->qe_report)},
                          {"qe_auth_data_size", q->qe_auth_data.size()},
                          {"certification_data_type", q->certification_data_type}};
        auto certs = parse_pem_certificates(q->pck_chain_pem, "certification data");
        if (certs) {
            ordered_json chain = ordered_json::array();
            for (auto& c : *certs) {
                ordered_json cj = {{"subject", name_line(X509_get_subject_name(c.get()))}};
                if (auto ext = sgx_extension_of(c.get())) {
                    cj["fmspc"] = to_hex(ext->fmspc);
                    cj["pce_id"] = to_hex(ext->pce_id);
                    cj["tcb_components"] = to_hex(ext->tcb_components);
                    cj["pcesvn"] = ext->pcesvn;
                    cj["ppid"] = to_hex(ext->ppid);
                }
                chain.push_back(cj);
            }
            j["pck_chain"] = chain;
        }
        if (json_) {
            std::cout << j.dump(2) << "\n";
            return 0;
        }
        std::printf("DCAP ECDSA quote v%u, attestation key type %u, QE SVN %u, PCE SVN %u, certification data "
                    "type %u\n",
                    q->header.version, q->header.att_key_type, q->header.qe_svn, q->header.pce_svn,
                    q->certification_data_type);
        for (const char* section : {"isv_report", "qe_report"}) {
            std::printf("%s:\n", section);
            for (auto& [key, value] : j[section].items())
                std::printf("  %-11s %s\n", key.c_str(), value.is_string() ? value.get<std::string>().c_str()
                                                                            : value.dump().c_str());
        }
        std::printf("isolation SVN (CPUSVN[15]; on a ccbox platform 0 = development): %s\n",
                    j["isolation_svn"].dump().c_str());
        if (j.contains("pck_chain"))
            for (auto& c : j["pck_chain"]) {
                std::printf("certificate: %s\n", c["subject"].get<std::string>().c_str());
                if (c.contains("fmspc"))
                    std::printf("  FMSPC %s  PCE-ID %s  TCB %s  PCESVN %s\n", c["fmspc"].get<std::string>().c_str(),
                                c["pce_id"].get<std::string>().c_str(), c["tcb_components"].get<std::string>().c_str(),
                                c["pcesvn"].dump().c_str());
            }
        return 0;
    }

    CLI::App *init_, *revoke_, *recovery_, *advisory_, *provision_, *collateral_, *serve_, *verify_, *inspect_;
    services::PccsOptions pccs_;
    std::string dir_, cert_, components_, date_, state_dir_, out_, issue_, next_, quote_, at_;
    std::vector<std::string> roots_, ids_;
    bool development_ = false, revoke_ca_ = false, no_debug_ = false, json_ = false;
    int years_ = 10;
    size_t level_ = 0;
    uint64_t pcesvn_ = 0;
    Policy policy_;
};

}  // namespace

std::unique_ptr<AttestationCommands> register_attestation_commands(CLI::App& app, CLI::App& platform_cmd) {
    return std::make_unique<Commands>(app, platform_cmd);
}

}  // namespace ccbox
