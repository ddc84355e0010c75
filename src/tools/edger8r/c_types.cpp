#include "c_types.h"

#include "ast_names.h"

namespace ccbox::edl {

std::string c_type(const TypeRef& type) { return type_name(type); }

std::string c_pointee(const TypeRef& type) {
    TypeRef t = type;
    if (t.pointer_depth > 0)
        --t.pointer_depth;
    return type_name(t);
}

std::string c_dims(const Declaration& d) {
    std::string s;
    for (const ArrayDim& dim : d.dims)
        s += "[" + dim.text + "]";
    return s;
}

std::string c_declaration(const Declaration& d) { return c_type(d.type) + " " + d.name + c_dims(d); }

std::string c_array_type(const Declaration& d) {
    if (d.dims.empty())
        return c_type(d.type);  // isary: the typedef itself
    return c_type(d.type) + c_dims(d);
}

std::string c_array_pointer(const Declaration& d) {
    if (d.dims.empty())
        return c_type(d.type) + "*";
    return c_type(d.type) + "(*)" + c_dims(d);
}

}  // namespace ccbox::edl
