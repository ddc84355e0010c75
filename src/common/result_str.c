/* ccbox_result_str: the name of every ccbox_result_t. Trust domain: common (host and enclave). */
#include <ccbox/result.h>

#define CCBOX_RESULT_NAME_(name) #name,
static const char* const kResultNames[] = {CCBOX_RESULT_LIST(CCBOX_RESULT_NAME_)};
#undef CCBOX_RESULT_NAME_

_Static_assert(sizeof(kResultNames) / sizeof(kResultNames[0]) == CCBOX_RESULT_COUNT_,
               "every result has a name");

const char* ccbox_result_str(ccbox_result_t result)
{
    if ((unsigned)result < (unsigned)CCBOX_RESULT_COUNT_)
        return kResultNames[result];
    return "CCBOX_UNKNOWN_RESULT";
}
