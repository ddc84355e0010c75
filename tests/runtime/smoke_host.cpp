#include <ccbox/host.h>

#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
    ccbox_enclave_t* e = nullptr;
    ccbox_result_t r = ccbox_create_enclave(argv[1], CCBOX_ENCLAVE_FLAG_SIMULATE | CCBOX_ENCLAVE_FLAG_DEBUG_AUTO, nullptr, 0, nullptr, 0, &e);
    printf("create: %s\n", ccbox_result_str(r));
    if (r != CCBOX_OK) return 1;
    uint64_t in[2] = {1, 2}, out = 0;
    size_t w = 0;
    r = ccbox_call_enclave_function(e, 0, in, 16, &out, 8, &w);
    printf("add: %s %lu w=%zu\n", ccbox_result_str(r), (unsigned long)out, w);
    r = ccbox_call_enclave_function(e, 1, nullptr, 0, nullptr, 0, &w);
    printf("hello: %s\n", ccbox_result_str(r));
    if (argc > 2) {
        r = ccbox_call_enclave_function(e, strcmp(argv[2], "abort") == 0 ? 2 : strcmp(argv[2], "null") == 0 ? 3 : 4, nullptr, 0, nullptr, 0, &w);
        printf("fault: %s\n", ccbox_result_str(r));
        r = ccbox_call_enclave_function(e, 0, in, 16, &out, 8, &w);
        printf("after: %s\n", ccbox_result_str(r));
    }
    r = ccbox_terminate_enclave(e);
    printf("terminate: %s\n", ccbox_result_str(r));
    return 0;
}
