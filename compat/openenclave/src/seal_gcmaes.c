/* openenclave::oeseal_gcmaes: Open Enclave's built-in AES-GCM seal plug-in, linked as an object.
 * ccbox's sealing (ccbox_seal, AES-256-GCM under a fresh seal key, docs/sealing.md) is part of
 * the runtime, so oe_seal works with or without this object; it carries only the plug-in's id,
 * under OE's name, for code that names the plug-in. Trust domain: enclave. */
#include <openenclave/seal.h>

const oe_uuid_t oe_seal_plugin_gcm_aes_uuid = {OE_SEAL_PLUGIN_GCM_AES_UUID};
