// Test-only: adds argv[1] to INT_MAX - 1. 1 fits; 2 overflows, which UBSan must report
// (tests/sanitizer/CMakeLists.txt).
#include <climits>
#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
    if (argc != 2)
        return 2;
    const int addend = static_cast<int>(std::strtol(argv[1], nullptr, 10));
    const int base = INT_MAX - 1;
    std::printf("%d\n", base + addend);
    return 0;
}
