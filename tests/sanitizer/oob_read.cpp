// Test-only: reads element argv[1] of an 8-element heap array. 7 is in bounds; 8 is one past
// the end, which AddressSanitizer must report (tests/sanitizer/CMakeLists.txt).
#include <cstdio>
#include <cstdlib>
#include <memory>

int main(int argc, char** argv) {
    if (argc != 2)
        return 2;
    auto values = std::make_unique<int[]>(8);
    for (int i = 0; i < 8; ++i)
        values[i] = i;
    const long index = std::strtol(argv[1], nullptr, 10);
    std::printf("%d\n", values[index]);
    return 0;
}
