// How each parameter and each EDL struct is marshalled: the decisions the emitters share.
// Built only for a program that passed the checks. The format is described in docs/edl.md.
#pragma once

#include "program.h"
#include "symbols.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ccbox::edl {

enum class Direction { None, In, Out, InOut };

inline bool has_in(Direction d) { return d == Direction::In || d == Direction::InOut; }
inline bool has_out(Direction d) { return d == Direction::Out || d == Direction::InOut; }

// The byte length of a buffer is factor × multiplier (overflow-checked), each either a
// literal, a C expression, or the value of a parameter / struct member.
struct LengthTerm {
    std::optional<SizeValue> ref;  // a parameter / member value (or a literal)
    std::string expr;              // used when ref is empty: "sizeof(int)", "1"
};

struct ParamPlan {
    enum class Kind {
        Value,      // copied into its header slot
        UserCheck,  // pointer value in the header slot, passed through unchecked
        Buffer,     // data copied in and/or out
        String,     // [string] / [wstring], in or in-out
    };
    const Declaration* decl = nullptr;
    std::string name;
    Kind kind = Kind::Value;
    bool is_pointer() const { return kind == Kind::Buffer || kind == Kind::String; }
    Direction dir = Direction::None;
    bool wide = false;           // wstring
    std::string type;            // "const char*", "int", "buffer_t" (for arrays see below)
    std::string local_type;      // for a Value: its type without a top-level const
    bool array_like = false;     // fixed dimensions or isary: passed as *(array_pointer)p
    std::string array_type;      // "int[2][3]" / "array_t"
    std::string array_pointer;   // "int(*)[2][3]" / "array_t*"
    LengthTerm factor, multiplier;
    const UserType* deep = nullptr;        // points to deep-copied structs; multiplier = element count
    std::string deep_name;                 // the struct's C name
    const UserType* clean = nullptr;       // elements are an EDL struct without deep copy: padding cleaned
    std::string clean_name;
    bool user_struct_value = false;        // Value of an EDL struct type: cleaned before it is sent
    bool is_bool = false;                  // Value of type bool: any byte but 0 reads as true
    // A deep [out] struct whose buffers the callee allocates (Open Enclave's meaning, oeedger8r):
    // the tree comes back in its own block of host memory, whose address and size are the
    // 16 bytes at result_offset of the output header (docs/edl.md, "Deep copy").
    bool callee_allocates = false;
    std::string result_offset;
};

struct FunctionPlan {
    const Function* function = nullptr;
    uint32_t id = 0;
    std::string return_type;  // "" for void
    std::string return_local_type;  // without a top-level const
    const UserType* return_clean = nullptr;  // returned EDL struct: cleaned
    bool return_bool = false;                // any byte but 0 reads as true
    std::vector<ParamPlan> params;
    std::string input_header_size;   // C expression
    std::string output_header_size;  // C expression
    std::vector<std::string> slot_offsets;  // input header offset of each parameter
    std::string errno_offset;        // output offset of errno (propagate_errno)
    bool callee_allocates = false;   // a parameter has callee_allocates
};

struct MemberPlan {
    const Declaration* decl = nullptr;
    enum class Kind { Value, DeepPointer, ShallowPointer } kind = Kind::Value;
    std::string type;      // the member's type: "uint64_t*"
    std::string pointee;   // for pointers: "uint64_t"
    bool const_pointee = false;
    LengthTerm factor, multiplier;       // DeepPointer to data: bytes = factor × multiplier
    const UserType* deep = nullptr;      // DeepPointer to deep-copied structs: count = multiplier
    std::string deep_name;
    const UserType* clean = nullptr;     // DeepPointer to plain EDL structs (no size=): cleaned
    std::string clean_name;
    const UserType* value_struct = nullptr;  // Value member of an EDL struct type (or array of them)
    std::string value_struct_name;
    bool is_shape = false;  // another member's size/count: kept from the sender's copy
};

struct StructPlan {
    const UserType* type = nullptr;
    std::string name;  // the C name: the typedef emitted in X_args.h
    bool deep = false;
    bool callee_allocated = false;  // part of a callee-allocated [out] tree: dup/fre helpers too
    std::vector<MemberPlan> members;
};

struct Plan {
    std::string prefix;  // X
    std::vector<FunctionPlan> ecalls, ocalls;
    std::vector<StructPlan> structs;  // every EDL struct, in declaration order
    // Open Enclave mode (oeedger8r): the headers include openenclave/host.h and
    // openenclave/enclave.h, and X_u.* add oe_create_X_enclave. Otherwise byte for byte the same.
    bool openenclave = false;
    // Intel SGX SDK mode (--sgx-sdk): X_args.h includes "sgx_edger8r.h" (include/ccbox/sgx), which
    // declares sgx_status_t and sgx_enclave_id_t as Intel's generated headers do.
    bool sgx_sdk = false;
};

// callee_allocated_out: deep [out] parameters get Open Enclave's meaning (oeedger8r).
Plan make_plan(const Program& program, bool callee_allocated_out = false);

}  // namespace ccbox::edl
