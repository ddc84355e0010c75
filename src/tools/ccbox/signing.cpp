#include "tools/ccbox/signing.hpp"

#include "platform/enclave_config.hpp"
#include "tools/ccbox/cli_numbers.hpp"
#include "support/file_io.hpp"

#include <cstring>
#include <sys/stat.h>

namespace ccbox {
namespace {

bool file_sets(const ResolvedEnclave& enclave, const std::string& key) {
    return enclave.config_file && enclave.config_file->lines.count(key) != 0;
}

// Where the effective value of `key` came from, for messages: "FILE:LINE", the image's
// embedded properties, or the default.
std::string source_of(const ResolvedEnclave& enclave, const std::string& key) {
    if (file_sets(enclave, key))
        return enclave.config_file->path + ":" + std::to_string(enclave.config_file->lines.at(key));
    return enclave.image.embedded_properties() ? "the embedded properties" : "the default";
}

// "FILE:LINE: KEY", "IMAGE: embedded properties (section .ccbox.props): KEY" or "IMAGE: KEY (default)".
std::string where_set(const ResolvedEnclave& enclave, const std::string& key) {
    if (file_sets(enclave, key))
        return enclave.config_file->where(key);
    if (enclave.image.embedded_properties())
        return enclave.image.origin() + ": embedded properties (section " + kPropertiesSectionName + "): " + key;
    return enclave.image.origin() + ": " + key + " (default)";
}

// The layout refused the configuration because the enclave does not fit ELRANGE: names the
// setting responsible (the heap, or the threads' stacks) and where it was set. The image itself
// being the largest part keeps the layout's message, which names the image.
Error attribute_elrange_error(const ResolvedEnclave& enclave, const Error& layout_error) {
    const ccbox_enclave_config_t& c = enclave.config;
    const uint64_t image = enclave.image.elf().image_size();
    const uint64_t heap = c.num_heap_pages * sgx::kPageSize;
    const uint64_t stacks = uint64_t(c.num_tcs) * c.num_stack_pages * sgx::kPageSize;
    if (image >= heap && image >= stacks)
        return layout_error;
    std::string detail = layout_error.message();
    const std::string image_prefix = enclave.image.origin() + ": ";
    if (detail.starts_with(image_prefix))
        detail.erase(0, image_prefix.size());
    std::string cause;
    if (heap >= stacks) {
        cause = where_set(enclave, "NumHeapPages") + ": " + std::to_string(c.num_heap_pages) + " heap pages";
    } else {
        // Both keys multiply; name the one the file sets, the stack size when it sets both.
        const bool file_sets_tcs_only = file_sets(enclave, "NumTCS") && !file_sets(enclave, "NumStackPages");
        const std::string key = file_sets_tcs_only ? "NumTCS" : "NumStackPages";
        const std::string other = file_sets_tcs_only ? "NumStackPages" : "NumTCS";
        cause = where_set(enclave, key) + ": " + std::to_string(c.num_tcs) + " threads x " +
                std::to_string(c.num_stack_pages) + " stack pages (" + other + " from " + source_of(enclave, other) +
                ")";
    }
    return Error(layout_error.code(), cause + " are too large: " + detail);
}

}  // namespace

Result<ResolvedEnclave> resolve_enclave(const std::string& image_path, const std::optional<std::string>& config_path) {
    CCBOX_ASSIGN_OR_RETURN(EnclaveImage image, EnclaveImage::load(image_path));
    ResolvedEnclave out{std::move(image), {}, std::nullopt};
    out.config = out.image.base_config();
    if (config_path) {
        CCBOX_ASSIGN_OR_RETURN(ConfigFile file, load_config_file(*config_path));
        out.config = file.apply(out.config);
        out.config_file = std::move(file);
    }
    const std::string origin = config_path ? *config_path : image_path;
    CCBOX_TRY(validate_enclave_config(out.config, origin));
    auto layout = EnclaveLayout::compute(out.image.elf(), out.config);
    if (!layout.ok())
        return attribute_elrange_error(out, layout.error());
    return out;
}

Result<Digest256> measure_enclave(const ResolvedEnclave& enclave, MeasurementSink sink) {
    CCBOX_ASSIGN_OR_RETURN(EnclaveLayout layout, EnclaveLayout::compute(enclave.image.elf(), enclave.config));
    MeasurementBuilder builder(std::move(sink));
    layout.measure(builder);
    return builder.finish();
}

SigstructFields sigstruct_fields_for(const ccbox_enclave_config_t& config, const Digest256& mrenclave, uint32_t date) {
    SigstructFields f;
    f.date = date;
    // Debug=1 signs the DEBUG attribute and leaves it out of the mask, so the enclave may be
    // launched either way; Debug=0 masks DEBUG to 0, so EINIT refuses a debug launch.
    f.attributes = secs_attributes_for(config, config_allows_debug(config));
    f.attributemask.flags = config_allows_debug(config) ? ~sgx::attr::kDebug : ~uint64_t(0);
    f.miscselect = kSecsMiscselect;
    f.isvprodid = config.product_id;
    f.isvsvn = config.security_version;
    std::memcpy(f.isvfamilyid, config.family_id, 16);
    std::memcpy(f.isvextprodid, config.extended_product_id, 16);
    f.enclavehash = mrenclave;
    return f;
}

Result<void> write_signed_image(const ResolvedEnclave& enclave, const sgx::Sigstruct& sigstruct,
                                const std::string& out_path) {
    const EnclaveImage& image = enclave.image;
    if (!image.has_signature_section())
        return Error(CCBOX_INVALID_IMAGE, image.origin() + ": has no " + std::string(kSignatureSectionName) +
                                              " section to hold the signature; link it with libccbox_enclave.a");
    SignatureSection section{};
    section.magic = kSignatureMagic;
    section.version = kSignatureVersion;
    section.size = sizeof section;
    section.config = enclave.config;
    section.sigstruct = sigstruct;
    auto bytes = image.elf().bytes();
    Bytes out(bytes.begin(), bytes.end());
    std::memcpy(out.data() + image.signature_section_offset(), &section, sizeof section);
    struct stat st {};
    unsigned mode = ::stat(image.origin().c_str(), &st) == 0 ? (st.st_mode & 0777) : 0755;
    return write_file_atomic(out_path, out, mode);
}

namespace {

Result<uint32_t> resolve_date(const std::string& text) {
    if (text.empty())
        return bcd_date_today();
    return parse_date_yyyymmdd(text);
}

std::optional<std::string> optional_path(const std::string& s) {
    return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

Result<sgx::Sigstruct> unsigned_sigstruct_for(const ResolvedEnclave& enclave, const std::string& date_text) {
    CCBOX_ASSIGN_OR_RETURN(uint32_t date, resolve_date(date_text));
    CCBOX_ASSIGN_OR_RETURN(Digest256 mrenclave, measure_enclave(enclave));
    return make_unsigned_sigstruct(sigstruct_fields_for(enclave.config, mrenclave, date));
}

}  // namespace

Result<void> sign_image(const SignRequest& o) {
    if (o.key_path.empty() == !o.public_key.has_value() || (o.public_key && o.signature_path.empty()))
        return Error(CCBOX_INVALID_PARAMETER, "signing needs either a private key, or a public key and a signature");
    CCBOX_ASSIGN_OR_RETURN(ResolvedEnclave enclave, resolve_enclave(o.image, optional_path(o.config)));
    CCBOX_ASSIGN_OR_RETURN(sgx::Sigstruct unsigned_sig, unsigned_sigstruct_for(enclave, o.date));
    sgx::Sigstruct sig;
    if (!o.key_path.empty()) {
        CCBOX_ASSIGN_OR_RETURN(RsaKey key, RsaKey::load_pem_file(o.key_path, false));
        CCBOX_TRY(require_sgx_signing_key(key, o.key_path));
        CCBOX_ASSIGN_OR_RETURN(sig, sign_sigstruct(unsigned_sig, key));
    } else {
        CCBOX_TRY(require_sgx_signing_key(*o.public_key, o.public_key_origin));
        CCBOX_ASSIGN_OR_RETURN(Bytes signature, read_file(o.signature_path, 4096));
        auto attached = attach_signature(unsigned_sig, *o.public_key, signature);
        if (!attached.ok())
            return attached.error().with_context(o.signature_path + ": ");
        sig = attached.value();
    }
    return write_signed_image(enclave, sig, o.out.empty() ? o.image + ".signed" : o.out);
}

Result<void> write_signing_digest(const std::string& image, const std::string& config, const std::string& date,
                                  const std::string& out) {
    CCBOX_ASSIGN_OR_RETURN(ResolvedEnclave enclave, resolve_enclave(image, optional_path(config)));
    CCBOX_ASSIGN_OR_RETURN(sgx::Sigstruct unsigned_sig, unsigned_sigstruct_for(enclave, date));
    Digest256 digest = sigstruct_signing_digest(unsigned_sig);
    return write_file_atomic(out, digest, 0644);
}

}  // namespace ccbox
