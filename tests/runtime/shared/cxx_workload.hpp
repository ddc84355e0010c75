// A C++ workload compiled both into the test enclave and into its host: the host checks
// that the enclave computes exactly what the host does. Standard containers, strings,
// smart pointers, std::function, algorithms.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <unordered_map>
#include <vector>

namespace cxx_workload {

struct Shape {
    virtual ~Shape() = default;
    virtual long area() const = 0;
};
struct Rect : Shape {
    long w, h;
    Rect(long w_, long h_) : w(w_), h(h_) {}
    long area() const override { return w * h; }
};
struct Square : Rect {
    explicit Square(long s) : Rect(s, s) {}
};

inline std::string run(uint32_t seed) {
    uint32_t state = seed;
    auto next = [&state] {
        state = state * 1664525u + 1013904223u;
        return state >> 8;
    };
    std::vector<uint32_t> values(2000);
    for (auto& v : values)
        v = next() % 100000;
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());

    std::map<std::string, int> words;
    std::unordered_map<uint32_t, std::string> names;
    for (size_t i = 0; i < values.size(); i += 7) {
        std::string word = "w" + std::to_string(values[i] % 97);
        words[word] += 1;
        names.emplace(values[i], word + "/" + std::to_string(i));
    }
    std::vector<std::unique_ptr<Shape>> shapes;
    for (int i = 1; i <= 10; ++i) {
        if (i % 2)
            shapes.push_back(std::make_unique<Square>(i));
        else
            shapes.push_back(std::make_unique<Rect>(i, i + 1));
    }
    long total_area = 0;
    for (const auto& s : shapes)
        total_area += s->area();
    auto shared = std::make_shared<std::vector<int>>(100, 3);
    std::weak_ptr<std::vector<int>> weak = shared;
    std::function<long(long)> scale = [shared](long x) { return x * static_cast<long>(shared->size()); };

    std::vector<uint32_t> keys;
    for (const auto& [k, v] : names)
        keys.push_back(k);
    std::sort(keys.begin(), keys.end(), std::greater<>());
    std::string out = "unique=" + std::to_string(values.size()) +
                      " sum=" + std::to_string(std::accumulate(values.begin(), values.end(), uint64_t{0})) +
                      " words=" + std::to_string(words.size()) + " first=" + words.begin()->first +
                      " area=" + std::to_string(total_area) + " scaled=" + std::to_string(scale(total_area)) +
                      " weak=" + std::to_string(weak.use_count()) + " top=" + names[keys.front()];
    std::string reversed(out.rbegin(), out.rend());
    return out + " hash=" + std::to_string(std::hash<std::string>{}(reversed) % 1000003);
}

}  // namespace cxx_workload
