#include "attestation/sgx_extension.hpp"

#include <openssl/asn1.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <memory>
#include <string>

namespace ccbox::attestation {
namespace {

struct SeqFree {
    void operator()(ASN1_SEQUENCE_ANY* s) const { sk_ASN1_TYPE_pop_free(s, ASN1_TYPE_free); }
};
using Seq = std::unique_ptr<ASN1_SEQUENCE_ANY, SeqFree>;
struct ObjFree { void operator()(ASN1_OBJECT* o) const { ASN1_OBJECT_free(o); } };

Error bad(const std::string& field, const std::string& what) {
    return Error(CCBOX_INVALID_SGX_CERTIFICATE_EXTENSIONS, "SGX extension: " + field + ": " + what);
}

std::string oid_text(const ASN1_OBJECT* obj) {
    char buf[96];
    int n = OBJ_obj2txt(buf, sizeof buf, obj, 1);
    return n > 0 && static_cast<size_t>(n) < sizeof buf ? std::string(buf) : std::string("?");
}

Result<Seq> decode_sequence(std::span<const uint8_t> der, const std::string& field) {
    const unsigned char* p = der.data();
    ASN1_SEQUENCE_ANY* seq = d2i_ASN1_SEQUENCE_ANY(nullptr, &p, static_cast<long>(der.size()));
    if (!seq || p != der.data() + der.size()) {
        sk_ASN1_TYPE_pop_free(seq, ASN1_TYPE_free);
        return bad(field, "not a DER SEQUENCE");
    }
    return Seq(seq);
}

// One {OID, value} pair of the extension: returns the OID's dotted text and the value.
Result<std::pair<std::string, ASN1_TYPE*>> pair_of(ASN1_TYPE* element, const std::string& where, Seq& holder) {
    if (ASN1_TYPE_get(element) != V_ASN1_SEQUENCE)
        return bad(where, "an element is not a SEQUENCE {OID, value}");
    const ASN1_STRING* s = element->value.sequence;
    auto inner = decode_sequence(std::span(ASN1_STRING_get0_data(s), static_cast<size_t>(ASN1_STRING_length(s))),
                                 where);
    if (!inner)
        return std::move(inner).error();
    holder = std::move(*inner);
    if (sk_ASN1_TYPE_num(holder.get()) != 2 || ASN1_TYPE_get(sk_ASN1_TYPE_value(holder.get(), 0)) != V_ASN1_OBJECT)
        return bad(where, "an element is not a SEQUENCE {OID, value}");
    return std::pair(oid_text(sk_ASN1_TYPE_value(holder.get(), 0)->value.object), sk_ASN1_TYPE_value(holder.get(), 1));
}

template <size_t N>
Result<std::array<uint8_t, N>> octets(ASN1_TYPE* v, const std::string& field) {
    if (ASN1_TYPE_get(v) != V_ASN1_OCTET_STRING)
        return bad(field, "expected an OCTET STRING");
    const ASN1_STRING* s = v->value.octet_string;
    if (static_cast<size_t>(ASN1_STRING_length(s)) != N)
        return bad(field, "expected " + std::to_string(N) + " bytes, got " + std::to_string(ASN1_STRING_length(s)));
    std::array<uint8_t, N> out;
    std::copy_n(ASN1_STRING_get0_data(s), N, out.begin());
    return out;
}

Result<uint64_t> integer(ASN1_TYPE* v, int type, uint64_t max, const std::string& field) {
    if (ASN1_TYPE_get(v) != type)
        return bad(field, type == V_ASN1_ENUMERATED ? "expected an ENUMERATED" : "expected an INTEGER");
    uint64_t value = 0;
    int ok = type == V_ASN1_ENUMERATED ? ASN1_ENUMERATED_get_int64(reinterpret_cast<int64_t*>(&value), v->value.enumerated)
                                       : ASN1_INTEGER_get_uint64(&value, v->value.integer);
    if (ok != 1 || value > max)
        return bad(field, "value out of range 0.." + std::to_string(max));
    return value;
}

Result<void> parse_tcb(ASN1_TYPE* value, const std::string& base, SgxExtension& ext) {
    if (ASN1_TYPE_get(value) != V_ASN1_SEQUENCE)
        return bad("TCB", "expected a SEQUENCE");
    const ASN1_STRING* s = value->value.sequence;
    auto seq = decode_sequence(std::span(ASN1_STRING_get0_data(s), static_cast<size_t>(ASN1_STRING_length(s))), "TCB");
    if (!seq)
        return std::move(seq).error();
    uint32_t seen = 0;
    for (int i = 0; i < sk_ASN1_TYPE_num(seq->get()); ++i) {
        Seq holder;
        auto pair = pair_of(sk_ASN1_TYPE_value(seq->get(), i), "TCB", holder);
        if (!pair)
            return std::move(pair).error();
        const std::string& oid = pair->first;
        if (oid.rfind(base + ".", 0) != 0)
            continue;  // an unknown member: ignored, as Intel's parsers do
        const std::string suffix = oid.substr(base.size() + 1);
        int index = 0;
        try {
            index = std::stoi(suffix);
        } catch (...) {
            continue;
        }
        if (suffix != std::to_string(index) || index < 1 || index > 18)
            continue;
        if (seen & (1u << index))
            return bad("TCB ." + suffix, "appears twice");
        seen |= 1u << index;
        const std::string field = index <= 16 ? "TCB component " + suffix : index == 17 ? "PCESVN" : "CPUSVN";
        if (index <= 16) {
            auto svn = integer(pair->second, V_ASN1_INTEGER, 255, field);
            if (!svn)
                return std::move(svn).error();
            ext.tcb_components[static_cast<size_t>(index - 1)] = static_cast<uint8_t>(*svn);
        } else if (index == 17) {
            auto svn = integer(pair->second, V_ASN1_INTEGER, 65535, field);
            if (!svn)
                return std::move(svn).error();
            ext.pcesvn = static_cast<uint16_t>(*svn);
        } else {
            auto cpusvn = octets<16>(pair->second, field);
            if (!cpusvn)
                return std::move(cpusvn).error();
            ext.cpusvn = *cpusvn;
        }
    }
    if (seen != 0x7fffeu)
        return bad("TCB", "must carry components .1-.16, PCESVN (.17) and CPUSVN (.18)");
    return {};
}

Result<SgxConfiguration> parse_configuration(ASN1_TYPE* value, const std::string& base) {
    if (ASN1_TYPE_get(value) != V_ASN1_SEQUENCE)
        return bad("Configuration", "expected a SEQUENCE");
    const ASN1_STRING* s = value->value.sequence;
    auto seq = decode_sequence(std::span(ASN1_STRING_get0_data(s), static_cast<size_t>(ASN1_STRING_length(s))),
                               "Configuration");
    if (!seq)
        return std::move(seq).error();
    SgxConfiguration config;
    for (int i = 0; i < sk_ASN1_TYPE_num(seq->get()); ++i) {
        Seq holder;
        auto pair = pair_of(sk_ASN1_TYPE_value(seq->get(), i), "Configuration", holder);
        if (!pair)
            return std::move(pair).error();
        std::optional<bool>* slot = pair->first == base + ".1"   ? &config.dynamic_platform
                                    : pair->first == base + ".2" ? &config.cached_keys
                                    : pair->first == base + ".3" ? &config.smt_enabled
                                                                 : nullptr;
        if (!slot)
            continue;
        if (ASN1_TYPE_get(pair->second) != V_ASN1_BOOLEAN)
            return bad("Configuration " + pair->first, "expected a BOOLEAN");
        if (slot->has_value())
            return bad("Configuration " + pair->first, "appears twice");
        *slot = pair->second->value.boolean != 0;
    }
    return config;
}

}  // namespace

Result<SgxExtension> parse_sgx_extension(std::span<const uint8_t> der) {
    auto seq = decode_sequence(der, "extension");
    if (!seq)
        return std::move(seq).error();
    const std::string base = kSgxExtensionOid;
    SgxExtension ext;
    uint32_t seen = 0;
    for (int i = 0; i < sk_ASN1_TYPE_num(seq->get()); ++i) {
        Seq holder;
        auto pair = pair_of(sk_ASN1_TYPE_value(seq->get(), i), "extension", holder);
        if (!pair)
            return std::move(pair).error();
        const std::string& oid = pair->first;
        int index = 0;
        for (int k = 1; k <= 7; ++k)
            if (oid == base + "." + std::to_string(k))
                index = k;
        if (index == 0)
            continue;  // unknown members are ignored, as Intel's parsers do
        if (seen & (1u << index))
            return bad(oid, "appears twice");
        seen |= 1u << index;
        ASN1_TYPE* v = pair->second;
        Result<void> step;
        switch (index) {
        case 1: {
            auto ppid = octets<16>(v, "PPID");
            if (!ppid)
                return std::move(ppid).error();
            ext.ppid = *ppid;
            break;
        }
        case 2:
            step = parse_tcb(v, oid, ext);
            if (!step)
                return std::move(step).error();
            break;
        case 3: {
            auto pce = octets<2>(v, "PCE-ID");
            if (!pce)
                return std::move(pce).error();
            ext.pce_id = *pce;
            break;
        }
        case 4: {
            auto fmspc = octets<6>(v, "FMSPC");
            if (!fmspc)
                return std::move(fmspc).error();
            ext.fmspc = *fmspc;
            break;
        }
        case 5: {
            auto type = integer(v, V_ASN1_ENUMERATED, 2, "SGX Type");
            if (!type)
                return std::move(type).error();
            ext.sgx_type = static_cast<SgxType>(*type);
            break;
        }
        case 6: {
            auto id = octets<16>(v, "Platform Instance ID");
            if (!id)
                return std::move(id).error();
            ext.platform_instance_id = *id;
            break;
        }
        case 7: {
            auto config = parse_configuration(v, oid);
            if (!config)
                return std::move(config).error();
            ext.configuration = *config;
            break;
        }
        }
    }
    for (int k = 1; k <= 5; ++k)
        if (!(seen & (1u << k)))
            return bad(base + "." + std::to_string(k), k == 1 ? "PPID missing" : k == 2 ? "TCB missing"
                                                               : k == 3   ? "PCE-ID missing"
                                                               : k == 4   ? "FMSPC missing"
                                                                          : "SGX Type missing");
    return ext;
}

Result<SgxExtension> sgx_extension_of(X509* cert) {
    std::unique_ptr<ASN1_OBJECT, ObjFree> oid(OBJ_txt2obj(kSgxExtensionOid, 1));
    int index = X509_get_ext_by_OBJ(cert, oid.get(), -1);
    if (index < 0)
        return bad("certificate", "the PCK certificate has no SGX extension (" + std::string(kSgxExtensionOid) + ")");
    if (X509_get_ext_by_OBJ(cert, oid.get(), index) >= 0)
        return bad("certificate", "the PCK certificate has two SGX extensions");
    const ASN1_OCTET_STRING* data = X509_EXTENSION_get_data(X509_get_ext(cert, index));
    return parse_sgx_extension(std::span(ASN1_STRING_get0_data(data), static_cast<size_t>(ASN1_STRING_length(data))));
}

// ------------------------------------------------------------------------------- encoding
namespace {

// Elements own their ASN1_TYPE until pushed into a sequence.
struct TypeFree { void operator()(ASN1_TYPE* t) const { ASN1_TYPE_free(t); } };
using Type = std::unique_ptr<ASN1_TYPE, TypeFree>;

Type sequence_of(std::vector<Type> items) {
    Seq seq(sk_ASN1_TYPE_new_null());
    for (auto& item : items)
        if (!seq || !item || !sk_ASN1_TYPE_push(seq.get(), item.get()))
            return nullptr;
        else
            item.release();
    unsigned char* der = nullptr;
    int len = i2d_ASN1_SEQUENCE_ANY(seq.get(), &der);
    if (len <= 0)
        return nullptr;
    ASN1_STRING* str = ASN1_STRING_new();
    ASN1_STRING_set0(str, der, len);
    Type t(ASN1_TYPE_new());
    ASN1_TYPE_set(t.get(), V_ASN1_SEQUENCE, str);
    return t;
}

Type oid_type(const std::string& oid) {
    Type t(ASN1_TYPE_new());
    ASN1_TYPE_set(t.get(), V_ASN1_OBJECT, OBJ_txt2obj(oid.c_str(), 1));
    return t;
}

Type octet_type(std::span<const uint8_t> bytes) {
    ASN1_OCTET_STRING* s = ASN1_OCTET_STRING_new();
    ASN1_OCTET_STRING_set(s, bytes.data(), static_cast<int>(bytes.size()));
    Type t(ASN1_TYPE_new());
    ASN1_TYPE_set(t.get(), V_ASN1_OCTET_STRING, s);
    return t;
}

Type integer_type(uint64_t value, bool enumerated) {
    Type t(ASN1_TYPE_new());
    if (enumerated) {
        ASN1_ENUMERATED* e = ASN1_ENUMERATED_new();
        ASN1_ENUMERATED_set_int64(e, static_cast<int64_t>(value));
        ASN1_TYPE_set(t.get(), V_ASN1_ENUMERATED, e);
    } else {
        ASN1_INTEGER* i = ASN1_INTEGER_new();
        ASN1_INTEGER_set_uint64(i, value);
        ASN1_TYPE_set(t.get(), V_ASN1_INTEGER, i);
    }
    return t;
}

Type boolean_type(bool value) {
    Type t(ASN1_TYPE_new());
    ASN1_TYPE_set(t.get(), V_ASN1_BOOLEAN, reinterpret_cast<void*>(static_cast<intptr_t>(value ? 0xff : 0)));
    return t;
}

Type pair_type(const std::string& oid, Type value) {
    std::vector<Type> items;
    items.push_back(oid_type(oid));
    items.push_back(std::move(value));
    return sequence_of(std::move(items));
}

}  // namespace

Result<std::vector<uint8_t>> encode_sgx_extension(const SgxExtension& ext) {
    const std::string base = kSgxExtensionOid;
    std::vector<Type> tcb;
    for (size_t i = 0; i < 16; ++i)
        tcb.push_back(pair_type(base + ".2." + std::to_string(i + 1), integer_type(ext.tcb_components[i], false)));
    tcb.push_back(pair_type(base + ".2.17", integer_type(ext.pcesvn, false)));
    tcb.push_back(pair_type(base + ".2.18", octet_type(ext.cpusvn)));
    std::vector<Type> top;
    top.push_back(pair_type(base + ".1", octet_type(ext.ppid)));
    top.push_back(pair_type(base + ".2", sequence_of(std::move(tcb))));
    top.push_back(pair_type(base + ".3", octet_type(ext.pce_id)));
    top.push_back(pair_type(base + ".4", octet_type(ext.fmspc)));
    top.push_back(pair_type(base + ".5", integer_type(static_cast<uint8_t>(ext.sgx_type), true)));
    if (ext.platform_instance_id)
        top.push_back(pair_type(base + ".6", octet_type(*ext.platform_instance_id)));
    if (ext.configuration) {
        std::vector<Type> config;
        const std::optional<bool>* flags[3] = {&ext.configuration->dynamic_platform, &ext.configuration->cached_keys,
                                               &ext.configuration->smt_enabled};
        for (int k = 0; k < 3; ++k)
            if (flags[k]->has_value())
                config.push_back(pair_type(base + ".7." + std::to_string(k + 1), boolean_type(**flags[k])));
        top.push_back(pair_type(base + ".7", sequence_of(std::move(config))));
    }
    for (auto& item : top)
        if (!item)
            return Error(CCBOX_CRYPTO_ERROR, "SGX extension: encoding failed");
    Type whole = sequence_of(std::move(top));
    if (!whole)
        return Error(CCBOX_CRYPTO_ERROR, "SGX extension: encoding failed");
    const ASN1_STRING* s = whole->value.sequence;
    return std::vector<uint8_t>(ASN1_STRING_get0_data(s), ASN1_STRING_get0_data(s) + ASN1_STRING_length(s));
}

}  // namespace ccbox::attestation
