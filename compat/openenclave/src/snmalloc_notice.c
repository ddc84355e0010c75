/* openenclave::oesnmalloc: ccbox has no snmalloc (Debian does not package it and ccbox vendors
 * no source). Linking the target keeps ccbox's own allocator and says so: the linker prints the
 * warning below when an enclave links this object (docs/openenclave.md). Trust domain: enclave. */
const char ccbox_oesnmalloc_notice[] = "ccbox";
__attribute__((used, section(".gnu.warning.ccbox_oesnmalloc_notice"))) static const char ccbox_oesnmalloc_warning[] =
    "openenclave::oesnmalloc: ccbox has no snmalloc; this enclave uses ccbox's default allocator";

/* What an application may call to learn which allocator it has: 0, ccbox's own (never
 * snmalloc). Also gives the archive the code section a static library is expected to have. */
int ccbox_oesnmalloc_is_snmalloc(void);
int ccbox_oesnmalloc_is_snmalloc(void) { return 0; }
