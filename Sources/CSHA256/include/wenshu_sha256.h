// SHA-256 (FIPS 180-4) in plain C, for content hashes of input files and model weights:
// fast in debug builds too (Swift's debug code hashed 50 MB in about 18 s). Wrapped by
// WenshuCore.SHA256Hasher; Swift code uses that, not these functions.
#ifndef WENSHU_SHA256_H
#define WENSHU_SHA256_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct wsh_sha256_ctx {
    uint32_t h[8];
    uint64_t total;
    uint8_t block[64];
    uint32_t used;
} wsh_sha256_ctx;

void wsh_sha256_init(wsh_sha256_ctx *ctx);
void wsh_sha256_update(wsh_sha256_ctx *ctx, const uint8_t *data, int64_t length);
/// Writes the lowercase hex digest and a NUL into `hex` (65 bytes).
void wsh_sha256_final_hex(wsh_sha256_ctx *ctx, char *hex);

#ifdef __cplusplus
}
#endif

#endif
