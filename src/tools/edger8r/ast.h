// The syntax tree of one EDL file. Owned by value (and by unique_ptr where the merged program
// keeps pointers to declarations).
#pragma once

#include "diagnostics.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ccbox::edl {

// The base type a declaration names, before pointers and array dimensions.
enum class BaseType {
    Void, Bool, Char, SignedChar, UnsignedChar, Short, UnsignedShort, Int, UnsignedInt,
    Long, UnsignedLong, LongLong, UnsignedLongLong, Float, Double, LongDouble, WChar, SizeT,
    Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64,
    Struct,  // `struct name`
    Union,   // `union name`
    Enum,    // `enum name`
    Named,   // a bare identifier: a type the EDL declares, or a foreign type from a header
};

struct TypeRef {
    BaseType base = BaseType::Int;
    std::string name;  // for Struct, Union, Enum and Named
    bool is_const = false;
    int pointer_depth = 0;
    Location location;
};

enum class AttrKind { In, Out, String, WString, UserCheck, IsPtr, IsAry, ReadOnly, Size, Count };

// The value of size= or count=: an integer literal or the name of a parameter / member.
struct SizeValue {
    bool is_literal = false;
    uint64_t literal = 0;
    std::string name;  // when !is_literal
    std::string text;  // as written
    Location location;
};

struct Attribute {
    AttrKind kind;
    Location location;
    std::optional<SizeValue> value;  // for Size and Count
};

struct Attributes {
    std::vector<Attribute> list;
    Location location;  // of '['; empty file when there were no brackets

    const Attribute* find(AttrKind kind) const {
        for (const Attribute& a : list)
            if (a.kind == kind)
                return &a;
        return nullptr;
    }
    bool has(AttrKind kind) const { return find(kind) != nullptr; }
    bool empty() const { return list.empty(); }
};

struct ArrayDim {
    std::string text;  // an integer or a constant's name, as written
    std::optional<uint64_t> value;
    Location location;
};

// A function parameter or a struct/union member.
struct Declaration {
    Attributes attributes;
    TypeRef type;
    std::string name;
    Location location;  // of the name
    std::vector<ArrayDim> dims;
};

struct EnumItem {
    std::string name;
    std::string value;  // as written ("" when absent), e.g. "-1", "0x10", "OTHER"
    Location location;
};

enum class UserTypeKind { Struct, Union, Enum };

struct UserType {
    UserTypeKind kind = UserTypeKind::Struct;
    std::string name;  // "" for an anonymous enum
    Location location;
    std::vector<Declaration> members;  // struct and union
    std::vector<EnumItem> items;       // enum
    std::string file;                  // the EDL file that declares it
};

struct NameRef {
    std::string name;
    Location location;
};

struct Function {
    std::string name;
    Location location;  // of the name
    TypeRef return_type;
    std::vector<Declaration> params;
    bool trusted = false;
    bool is_public = false;
    std::vector<NameRef> allow;
    bool has_allow = false;
    Location allow_location;
    bool switchless = false;       // transition_using_threads
    bool propagate_errno = false;
    Location propagate_errno_location;
    std::vector<NameRef> call_attributes;  // as written; [cdecl], [stdcall], [fastcall] are ignored
    bool dllimport = false;                // [dllimport]: a library of the host implements the OCALL
    Location dllimport_location;
    std::string file;
};

struct Include {
    std::string header;
    Location location;
};

enum class ImportKind { Plain, All, Names };  // import "x"; from "x" import *; from "x" import a, b;

struct Import {
    std::string path;
    Location location;  // of the path string
    ImportKind kind = ImportKind::Plain;
    std::vector<NameRef> names;
};

// One top-level item, in the order the file declares them.
struct Item {
    enum class Kind { Include, Import, Type, Function } kind;
    size_t index;  // into the matching vector of EdlFile
};

struct EdlFile {
    std::string path;      // as opened
    std::string identity;  // FileProvider::identity(path)
    std::vector<Include> includes;
    std::vector<Import> imports;
    std::vector<std::unique_ptr<UserType>> types;
    std::vector<std::unique_ptr<Function>> functions;
    std::vector<Item> items;
};

}  // namespace ccbox::edl
