#include "tools/ccbox/keybroker_commands.hpp"

#include "platform/quoting/provisioning.hpp"
#include "platform/service/state_dir.hpp"
#include "services/keybroker/audit.hpp"
#include "services/keybroker/base64url.hpp"
#include "services/keybroker/broker.hpp"
#include "services/keybroker/client.hpp"
#include "services/keybroker/state.hpp"
#include "services/keybroker/store.hpp"
#include "support/file_io.hpp"

#include <openssl/crypto.h>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <pthread.h>
#include <thread>

namespace ccbox {
namespace {

using namespace keybroker;

int report_error(const std::string& message) {
    std::fprintf(stderr, "ccbox: error: %s\n", message.c_str());
    return 1;
}

class Commands final : public KeybrokerCommands {
public:
    explicit Commands(CLI::App& app) {
        auto* kb = app.add_subcommand("keybroker", "The key broker: attestation-gated key release (docs/keybroker.md)");
        kb->require_subcommand(1);
        auto state = [this](CLI::App* c) {
            c->add_option("--state-dir", state_dir_, "the broker's state directory (default $CCBOX_KEYBROKER_DIR or "
                                                     "~/.local/share/ccbox/keybroker)");
        };
        auto remote = [this, &state](CLI::App* c) {
            state(c);
            c->add_option("--url", url_, "the broker (default https://127.0.0.1:8443)");
            c->add_option("--ca", ca_, "the broker's certificate to pin (default STATE_DIR/tls/cert.pem)");
            c->add_option("--token", token_file_, "the admin token file (default STATE_DIR/admin.token)");
        };
        init_ = kb->add_subcommand("init", "Make the state directory: database, admin token (0600), TLS certificate");
        state(init_);
        serve_ = kb->add_subcommand("serve", "Serve the release protocol and the admin API over HTTPS");
        state(serve_);
        serve_->add_option("--listen", listen_, "HOST:PORT (default 127.0.0.1:8443; port 0: any free port)");
        serve_->add_option("--nonce-ttl", nonce_ttl_, "challenge lifetime in seconds (fractions allowed; default 30)")
            ->check(CLI::Range(0.001, 86400.0));
        auto* coll = serve_->add_option("--collateral", collateral_, "collateral JSON (`ccbox collateral`)");
        auto* root = serve_->add_option("--root", root_, "trusted root CA(s) for --collateral (PEM)");
        coll->needs(root);
        root->needs(coll);
        serve_->add_option("--pki", pki_dir_, "issue collateral from this PKI directory (default: the local platform's "
                                              "development PKI)")
            ->excludes(coll);
        serve_->add_option("--threads", threads_, "worker threads (default 128)")->check(CLI::Range(4, 1024));

        auto* key = kb->add_subcommand("key", "Create, import, rotate, revoke, list or export keys (admin)");
        key->require_subcommand(1);
        create_ = key->add_subcommand("create", "Create a key (32 random bytes) or import one");
        create_->add_option("key_id", key_id_)->required();
        create_->add_option("--import", import_, "the key material file (16..512 bytes)");
        rotate_ = key->add_subcommand("rotate", "Add a new version (older versions are kept)");
        rotate_->add_option("key_id", key_id_)->required();
        rotate_->add_option("--import", import_, "the new version's key material file");
        revoke_ = key->add_subcommand("revoke", "Revoke a key (every version) or one version");
        revoke_->add_option("key_id", key_id_)->required();
        revoke_->add_option("--version", version_, "only this version")->check(CLI::Range(1, 1 << 30));
        list_ = key->add_subcommand("list", "List keys");
        list_->add_flag("--json", json_, "print JSON");
        export_ = key->add_subcommand("export", "Write a key's material to a file (0600), for `ccbox box encrypt`");
        export_->add_option("key_id", key_id_)->required();
        export_->add_option("--out", out_, "the key file")->required();
        export_->add_option("--version", version_, "this version (default the newest)")->check(CLI::Range(1, 1 << 30));

        auto* policy = kb->add_subcommand("policy", "Set or show a key's release policy (admin)");
        policy->require_subcommand(1);
        policy_set_ = policy->add_subcommand("set", "Set the policy from a JSON file");
        policy_set_->add_option("key_id", key_id_)->required();
        policy_set_->add_option("file", file_, "the policy JSON")->required();
        policy_set_->add_flag("--immutable", immutable_, "the policy can never be changed again");
        policy_show_ = policy->add_subcommand("show", "Print the policy");
        policy_show_->add_option("key_id", key_id_)->required();

        auto* audit = kb->add_subcommand("audit", "Export or verify the audit log");
        audit->require_subcommand(1);
        audit_export_ = audit->add_subcommand("export", "Print the audit log (admin)");
        audit_export_->add_flag("--json", json_, "JSON lines");
        audit_verify_ = audit->add_subcommand("verify", "Check the hash chain offline (opens the database read-only)");
        state(audit_verify_);
        for (auto* c : {create_, rotate_, revoke_, list_, export_, policy_set_, policy_show_, audit_export_})
            remote(c);
    }

    int run() override {
        try {
            if (*init_)
                return init();
            if (*serve_)
                return serve();
            if (*audit_verify_)
                return audit_verify();
            if (*create_ || *rotate_ || *revoke_ || *list_ || *export_ || *policy_set_ || *policy_show_ ||
                *audit_export_)
                return admin();
        } catch (const ReleaseRefused& e) {
            return report_error(e.status ? "the broker refused (" + std::to_string(e.status) + " " + e.error + "): " + e.reason
                                         : e.reason);
        }
        return -1;
    }

private:
    int init() {
        const StatePaths p = state_paths(state_dir_);
        if (auto r = init_state(p); !r)
            return report_error(r.error().message());
        std::printf("initialised the key broker in %s\n  admin token  %s (0600)\n  certificate  %s (clients pin it "
                    "with --ca)\n",
                    p.dir.c_str(), p.token.c_str(), p.cert.c_str());
        return 0;
    }

    int serve() {
        BrokerOptions o;
        o.paths = state_paths(state_dir_);
        const size_t colon = listen_.rfind(':');
        if (colon == std::string::npos)
            return report_error("--listen: expected HOST:PORT, got " + listen_);
        o.host = listen_.substr(0, colon);
        try {
            o.port = std::stoi(listen_.substr(colon + 1));
        } catch (...) {
            o.port = -1;
        }
        if (o.port < 0 || o.port > 65535)
            return report_error("--listen: bad port in " + listen_);
        o.nonce_ttl_ms = static_cast<int>(nonce_ttl_ * 1000);
        o.threads = threads_;
        std::string source;
        if (!collateral_.empty()) {
            auto c = CollateralSource::from_files(collateral_, root_);
            if (!c)
                return report_error(c.error().message());
            o.collateral = std::move(*c);
            source = collateral_;
        } else {
            const std::string dir = pki_dir_.empty() ? platform_paths_chosen("", "").state_dir + "/" +
                                                           quoting::kDevelopmentPkiDir
                                                     : pki_dir_;
            o.collateral = CollateralSource::from_pki(dir);
            source = "collateral issued from the PKI in " + dir;
        }
        // SIGINT/SIGTERM stop the server from a thread of its own.
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &set, nullptr);
        std::signal(SIGPIPE, SIG_IGN);
        auto broker = Broker::create(std::move(o));
        if (!broker)
            return report_error(broker.error().message());
        Broker* b = broker->get();
        std::thread([set, b]() mutable {
            int sig = 0;
            sigwait(&set, &sig);
            b->stop();
        }).detach();
        std::printf("key broker listening on https://%s:%d (%s)\n", listen_.substr(0, colon).c_str(), b->port(),
                    source.c_str());
        std::fflush(stdout);
        b->run();
        return 0;
    }

    int audit_verify() {
        const StatePaths p = state_paths(state_dir_);
        auto store = Store::open(p.db, true);
        if (!store)
            return report_error(store.error().message());
        auto entries = (*store)->audit_entries();
        if (!entries)
            return report_error(entries.error().message());
        const AuditVerification v = verify_audit_chain(*entries);
        if (!v.ok()) {
            std::fprintf(stderr, "ccbox: error: audit log %s: entry %lld is bad: %s (%zu entries before it verify)\n",
                         p.db.c_str(), static_cast<long long>(*v.first_bad), v.problem.c_str(), v.entries);
            return 1;
        }
        std::printf("audit log verified: %zu entries, head %s\n", v.entries, v.head.c_str());
        return 0;
    }

    int admin() {
        const StatePaths p = state_paths(state_dir_);
        auto token = read_admin_token(token_file_.empty() ? p.token : token_file_);
        if (!token)
            return report_error(token.error().message());
        Client client(url_, ca_.empty() ? p.cert : ca_, *token);
        auto material_of = [&](nlohmann::json* body) -> bool {
            if (import_.empty())
                return true;
            auto bytes = read_file(import_, 4096);
            if (!bytes)
                return report_error(bytes.error().message()), false;
            (*body)["key"] = b64url_encode(*bytes);
            OPENSSL_cleanse(bytes->data(), bytes->size());
            return true;
        };
        if (*create_ || *rotate_) {
            nlohmann::json body = *create_ ? nlohmann::json{{"key_id", key_id_}} : nlohmann::json::object();
            if (!material_of(&body))
                return 1;
            auto r = client.admin("POST", *create_ ? "/keys" : "/keys/" + key_id_ + "/rotate", body);
            std::printf("key %s version %lld\n", key_id_.c_str(), static_cast<long long>(r.value("version", 0)));
            return 0;
        }
        if (*revoke_) {
            nlohmann::json body = nlohmann::json::object();
            if (version_)
                body["version"] = version_;
            client.admin("POST", "/keys/" + key_id_ + "/revoke", body);
            std::printf("revoked key %s%s\n", key_id_.c_str(),
                        version_ ? (" version " + std::to_string(version_)).c_str() : " (every version)");
            return 0;
        }
        if (*list_) {
            auto r = client.admin("GET", "/keys");
            if (json_) {
                std::cout << r.dump(2) << "\n";
                return 0;
            }
            for (const auto& k : r["keys"])
                std::printf("%-32s versions %-4lld %s%s\n", k["key_id"].get<std::string>().c_str(),
                            static_cast<long long>(k["versions"].get<int64_t>()),
                            k["revoked"].get<bool>() ? "revoked " : "",
                            !k["policy"].get<bool>() ? "no policy" : k["immutable"].get<bool>() ? "immutable policy" : "policy");
            return 0;
        }
        if (*export_) {
            auto r = client.admin("GET", "/keys/" + key_id_ + "/export" +
                                             (version_ ? "?version=" + std::to_string(version_) : std::string()));
            auto bytes = r.contains("key") && r["key"].is_string() ? b64url_decode(r["key"].get<std::string>())
                                                                 : std::nullopt;
            if (!bytes)
                return report_error("the broker's export answer has no key");
            auto w = write_file_atomic(out_, *bytes, 0600);
            OPENSSL_cleanse(bytes->data(), bytes->size());
            if (!w)
                return report_error(w.error().message());
            std::printf("wrote key %s version %lld to %s (0600)\n", key_id_.c_str(),
                        static_cast<long long>(r.value("version", 0)), out_.c_str());
            return 0;
        }
        if (*policy_set_) {
            auto text = read_file(file_, 1 << 20);
            if (!text)
                return report_error(text.error().message());
            auto policy = nlohmann::json::parse(text->begin(), text->end(), nullptr, false);
            if (policy.is_discarded())
                return report_error(file_ + ": not JSON");
            client.admin("POST", "/keys/" + key_id_ + "/policy", {{"policy", policy}, {"immutable", immutable_}});
            std::printf("set the %spolicy of key %s\n", immutable_ ? "immutable " : "", key_id_.c_str());
            return 0;
        }
        if (*policy_show_) {
            auto r = client.admin("GET", "/keys/" + key_id_ + "/policy");
            std::cout << r.dump(2) << "\n";
            return 0;
        }
        auto r = client.admin("GET", "/audit");
        const std::string text = r.is_string() ? r.get<std::string>() : r.dump() + "\n";
        if (json_) {
            std::fputs(text.c_str(), stdout);
            return 0;
        }
        size_t start = 0;
        while (start < text.size()) {
            const size_t end = text.find('\n', start);
            auto e = nlohmann::json::parse(text.substr(start, end - start), nullptr, false);
            start = end == std::string::npos ? text.size() : end + 1;
            if (!e.is_object())
                continue;
            std::printf("%6lld %s %-24s v%-3lld %-8s %s\n", static_cast<long long>(e.value("seq", 0)),
                        std::to_string(e.value("time_ms", int64_t{0})).c_str(), e.value("key_id", "").c_str(),
                        static_cast<long long>(e.value("version", 0)), e.value("verdict", "").c_str(),
                        e.value("reason", "").c_str());
        }
        return 0;
    }

    CLI::App *init_, *serve_, *create_, *rotate_, *revoke_, *list_, *export_, *policy_set_, *policy_show_;
    CLI::App *audit_export_, *audit_verify_;
    std::string state_dir_, url_ = "https://127.0.0.1:8443", ca_, token_file_;
    std::string listen_ = "127.0.0.1:8443", collateral_, root_, pki_dir_;
    double nonce_ttl_ = 30;
    size_t threads_ = 128;
    std::string key_id_, import_, out_, file_;
    int64_t version_ = 0;
    bool json_ = false, immutable_ = false;
};

}  // namespace

std::unique_ptr<KeybrokerCommands> register_keybroker_commands(CLI::App& app) { return std::make_unique<Commands>(app); }

}  // namespace ccbox
