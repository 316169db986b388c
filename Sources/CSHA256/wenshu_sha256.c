#include "wenshu_sha256.h"

#include <string.h>

static const uint32_t wsh_sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define WSH_ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void wsh_sha256_block(uint32_t *h, const uint8_t *p) {
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[i * 4] << 24 | (uint32_t)p[i * 4 + 1] << 16 | (uint32_t)p[i * 4 + 2] << 8 | p[i * 4 + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = WSH_ROTR(w[i - 15], 7) ^ WSH_ROTR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = WSH_ROTR(w[i - 2], 17) ^ WSH_ROTR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t s1 = WSH_ROTR(e, 6) ^ WSH_ROTR(e, 11) ^ WSH_ROTR(e, 25);
        uint32_t ch = (e & f) ^ (~e & g);
        uint32_t t1 = hh + s1 + ch + wsh_sha256_k[i] + w[i];
        uint32_t s0 = WSH_ROTR(a, 2) ^ WSH_ROTR(a, 13) ^ WSH_ROTR(a, 22);
        uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        uint32_t t2 = s0 + maj;
        hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

void wsh_sha256_init(wsh_sha256_ctx *ctx) {
    static const uint32_t init[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(ctx->h, init, sizeof(init));
    ctx->total = 0;
    ctx->used = 0;
}

void wsh_sha256_update(wsh_sha256_ctx *ctx, const uint8_t *data, int64_t length) {
    if (length <= 0) return;
    ctx->total += (uint64_t)length;
    if (ctx->used > 0) {
        while (length > 0 && ctx->used < 64) { ctx->block[ctx->used++] = *data++; length--; }
        if (ctx->used < 64) return;
        wsh_sha256_block(ctx->h, ctx->block);
        ctx->used = 0;
    }
    while (length >= 64) { wsh_sha256_block(ctx->h, data); data += 64; length -= 64; }
    while (length > 0) { ctx->block[ctx->used++] = *data++; length--; }
}

void wsh_sha256_final_hex(wsh_sha256_ctx *ctx, char *hex) {
    uint64_t bits = ctx->total * 8;
    uint8_t pad = 0x80;
    uint64_t total = ctx->total;
    wsh_sha256_update(ctx, &pad, 1);
    uint8_t zero = 0;
    while (ctx->used != 56) wsh_sha256_update(ctx, &zero, 1);
    uint8_t len[8];
    for (int i = 0; i < 8; i++) len[i] = (uint8_t)(bits >> (56 - 8 * i));
    wsh_sha256_update(ctx, len, 8);
    ctx->total = total;
    static const char *digits = "0123456789abcdef";
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 4; j++) {
            uint8_t b = (uint8_t)(ctx->h[i] >> (24 - 8 * j));
            hex[i * 8 + j * 2] = digits[b >> 4];
            hex[i * 8 + j * 2 + 1] = digits[b & 15];
        }
    hex[64] = 0;
}
