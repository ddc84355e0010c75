#include "program.h"

#include "lexer.h"
#include "parser.h"
#include "preprocessor.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace ccbox::edl {
namespace {

// What a file contributes once its own imports are merged in.
struct View {
    std::vector<const Include*> includes;
    std::vector<const UserType*> types;
    std::vector<const Function*> functions;
};

template <typename T>
void add_unique(std::vector<const T*>& list, const T* item) {
    if (std::find(list.begin(), list.end(), item) == list.end())
        list.push_back(item);
}

class Loader {
public:
    Loader(const LoadOptions& options, FileProvider& files, Diagnostics& diagnostics, Program& program)
        : options_(options), files_(files), diags_(diagnostics), program_(program) {}

    // Returns null if the file cannot be read or parsed (already reported).
    const View* load(const std::string& path, const std::string& identity, const Location* imported_at) {
        if (auto it = views_.find(identity); it != views_.end())
            return &it->second;
        std::optional<std::string> text = files_.read(path);
        if (!text) {
            diags_.error(imported_at ? *imported_at : Location{path, 0, 0}, "cannot read '" + path + "'");
            return nullptr;
        }
        std::vector<Token> tokens = tokenize(path, *text, diags_);
        tokens = preprocess(std::move(tokens), options_.defines, diags_);
        std::unique_ptr<EdlFile> file = parse_edl(path, std::move(tokens), diags_);
        if (!file)
            return nullptr;
        file->identity = identity;
        EdlFile* raw = file.get();
        program_.files.push_back(std::move(file));

        stack_.push_back(raw);
        View view = merge(*raw);
        stack_.pop_back();
        return &(views_[identity] = std::move(view));
    }

private:
    View merge(const EdlFile& file) {
        View view;
        for (const Item& item : file.items) {
            switch (item.kind) {
                case Item::Kind::Include:
                    view.includes.push_back(&file.includes[item.index]);
                    break;
                case Item::Kind::Type:
                    view.types.push_back(file.types[item.index].get());
                    break;
                case Item::Kind::Function:
                    view.functions.push_back(file.functions[item.index].get());
                    break;
                case Item::Kind::Import:
                    merge_import(file, file.imports[item.index], view);
                    break;
            }
        }
        return view;
    }

    void merge_import(const EdlFile& from, const Import& import, View& view) {
        std::string found;
        std::vector<std::string> tried;
        if (!resolve(from, import.path, found, tried)) {
            std::string message = "cannot find imported file '" + import.path + "' (searched:";
            for (const std::string& t : tried)
                message += " " + t;
            diags_.error(import.location, message + ")");
            return;
        }
        std::string identity = files_.identity(found);
        for (size_t i = 0; i < stack_.size(); ++i) {
            if (stack_[i]->identity == identity) {
                std::string cycle;
                for (size_t j = i; j < stack_.size(); ++j)
                    cycle += stack_[j]->path + " -> ";
                diags_.error(import.location, "import cycle: " + cycle + found);
                return;
            }
        }
        if (stack_.size() >= kMaxDepth) {
            diags_.error(import.location, "imports are nested too deeply");
            return;
        }
        const View* imported = load(found, identity, &import.location);
        if (!imported)
            return;
        for (const Include* i : imported->includes)
            add_unique(view.includes, i);
        for (const UserType* t : imported->types)
            add_unique(view.types, t);
        if (import.kind != ImportKind::Names) {
            for (const Function* f : imported->functions)
                add_unique(view.functions, f);
            return;
        }
        for (const NameRef& name : import.names) {
            auto it = std::find_if(imported->functions.begin(), imported->functions.end(),
                                   [&](const Function* f) { return f->name == name.name; });
            if (it == imported->functions.end())
                diags_.error(name.location, "'" + import.path + "' declares no function '" + name.name + "'");
            else
                add_unique(view.functions, *it);
        }
    }

    // Looks for `path` next to the importing file, then in each search path, then as given.
    bool resolve(const EdlFile& from, const std::string& path, std::string& found, std::vector<std::string>& tried) {
        std::vector<std::string> candidates;
        if (is_absolute_path(path)) {
            candidates.push_back(path);
        } else {
            candidates.push_back(join_path(directory_of(from.path), path));
            for (const std::string& dir : options_.search_paths)
                candidates.push_back(join_path(dir, path));
            candidates.push_back(path);
        }
        for (const std::string& c : candidates) {
            if (std::find(tried.begin(), tried.end(), c) != tried.end())
                continue;
            tried.push_back(c);
            if (files_.exists(c)) {
                found = c;
                return true;
            }
        }
        return false;
    }

    static constexpr size_t kMaxDepth = 64;

    const LoadOptions& options_;
    FileProvider& files_;
    Diagnostics& diags_;
    Program& program_;
    std::map<std::string, View> views_;
    std::vector<const EdlFile*> stack_;
};

}  // namespace

std::string c_identifier_from(const std::string& text) {
    std::string id;
    for (char c : text)
        id += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
    if (id.empty() || std::isdigit(static_cast<unsigned char>(id[0])))
        id.insert(id.begin(), '_');
    return id;
}

std::unique_ptr<Program> load_program(const std::string& path, const LoadOptions& options, FileProvider& files,
                                      Diagnostics& diagnostics) {
    auto program = std::make_unique<Program>();
    Loader loader(options, files, diagnostics, *program);
    const View* view = loader.load(path, files.identity(path), nullptr);
    if (!view)
        return nullptr;
    program->main = program->files.front().get();
    program->name = c_identifier_from(stem_of(path));
    program->includes = view->includes;
    program->types = view->types;
    program->functions = view->functions;
    for (const Function* f : view->functions)
        (f->trusted ? program->ecalls : program->ocalls).push_back(f);
    return program;
}

}  // namespace ccbox::edl
