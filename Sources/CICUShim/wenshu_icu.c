#include "wenshu_icu.h"

#include <string.h>
#include <stdlib.h>
#include <unicode/utypes.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/ucsdet.h>
#include <unicode/unorm2.h>
#include <unicode/utrans.h>
#include <unicode/ubrk.h>

static int32_t to_code(UErrorCode status) {
    if (status == U_BUFFER_OVERFLOW_ERROR) return WSH_BUFFER_TOO_SMALL;
    if (U_FAILURE(status)) return -(int32_t)status;
    return 0;
}

const char *wsh_error_name(int32_t code) {
    if (code == WSH_BUFFER_TOO_SMALL) return u_errorName(U_BUFFER_OVERFLOW_ERROR);
    return u_errorName((UErrorCode)(code < 0 ? -code : code));
}

int32_t wsh_convert_to_utf16(const char *charset, const uint8_t *src, int32_t src_length,
                             uint16_t *dest, int32_t dest_capacity, int32_t *dest_length,
                             int32_t strict, int64_t *error_offset) {
    UErrorCode status = U_ZERO_ERROR;
    if (error_offset) *error_offset = -1;
    UConverter *conv = ucnv_open(charset, &status);
    if (U_FAILURE(status)) return to_code(status);
    if (strict) {
        ucnv_setToUCallBack(conv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &status);
        if (U_FAILURE(status)) { ucnv_close(conv); return to_code(status); }
    }
    const char *source = (const char *)src;
    const char *source_limit = source + src_length;
    UChar *target = (UChar *)dest;
    UChar *target_limit = target + dest_capacity;
    int32_t needed = 0;
    // Convert in one pass; when the buffer is too small, keep going into a scratch
    // buffer to count the needed length.
    UChar scratch[1024];
    for (;;) {
        UErrorCode s = U_ZERO_ERROR;
        UChar *before = target;
        ucnv_toUnicode(conv, &target, target_limit, &source, source_limit, NULL, 1, &s);
        needed += (int32_t)(target - before);
        if (s == U_BUFFER_OVERFLOW_ERROR) {
            status = U_BUFFER_OVERFLOW_ERROR;
            target = scratch;
            target_limit = scratch + 1024;
            continue;
        }
        if (U_FAILURE(s)) {
            if (error_offset) {
                char bad[32];
                int8_t bad_len = sizeof(bad);
                UErrorCode e2 = U_ZERO_ERROR;
                ucnv_getInvalidChars(conv, bad, &bad_len, &e2);
                if (U_FAILURE(e2)) bad_len = 0;
                *error_offset = (int64_t)(source - (const char *)src) - bad_len;
            }
            ucnv_close(conv);
            *dest_length = needed;
            return to_code(s);
        }
        break;
    }
    ucnv_close(conv);
    *dest_length = needed;
    return to_code(status);
}

int32_t wsh_convert_from_utf16(const char *charset, const uint16_t *src, int32_t src_length,
                               uint8_t *dest, int32_t dest_capacity, int32_t *dest_length) {
    UErrorCode status = U_ZERO_ERROR;
    UConverter *conv = ucnv_open(charset, &status);
    if (U_FAILURE(status)) return to_code(status);
    int32_t n = ucnv_fromUChars(conv, (char *)dest, dest_capacity, (const UChar *)src, src_length, &status);
    ucnv_close(conv);
    *dest_length = n;
    if (status == U_STRING_NOT_TERMINATED_WARNING) status = U_ZERO_ERROR;
    return to_code(status);
}

int32_t wsh_detect_charset(const uint8_t *src, int32_t src_length, char *name, int32_t name_capacity,
                           int32_t *confidence) {
    UErrorCode status = U_ZERO_ERROR;
    UCharsetDetector *det = ucsdet_open(&status);
    if (U_FAILURE(status)) return to_code(status);
    ucsdet_setText(det, (const char *)src, src_length, &status);
    const UCharsetMatch *match = ucsdet_detect(det, &status);
    if (U_FAILURE(status) || match == NULL) {
        ucsdet_close(det);
        return U_FAILURE(status) ? to_code(status) : -(int32_t)U_INVALID_FORMAT_ERROR;
    }
    const char *n = ucsdet_getName(match, &status);
    int32_t c = ucsdet_getConfidence(match, &status);
    if (U_SUCCESS(status) && n != NULL) {
        strncpy(name, n, (size_t)name_capacity - 1);
        name[name_capacity - 1] = 0;
        *confidence = c;
    }
    ucsdet_close(det);
    return to_code(status);
}

static const UNormalizer2 *normalizer_for(int32_t form, UErrorCode *status) {
    switch (form) {
    case WSH_NFC: return unorm2_getNFCInstance(status);
    case WSH_NFD: return unorm2_getNFDInstance(status);
    case WSH_NFKC: return unorm2_getNFKCInstance(status);
    case WSH_NFKD: return unorm2_getNFKDInstance(status);
    case WSH_NFKC_CASEFOLD: return unorm2_getNFKCCasefoldInstance(status);
    default: *status = U_ILLEGAL_ARGUMENT_ERROR; return NULL;
    }
}

int32_t wsh_normalize(int32_t form, const uint16_t *src, int32_t src_length,
                      uint16_t *dest, int32_t dest_capacity, int32_t *dest_length) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *n = normalizer_for(form, &status);
    if (U_FAILURE(status)) return to_code(status);
    *dest_length = unorm2_normalize(n, (const UChar *)src, src_length, (UChar *)dest, dest_capacity, &status);
    if (status == U_STRING_NOT_TERMINATED_WARNING) status = U_ZERO_ERROR;
    return to_code(status);
}

int32_t wsh_normalize_has_boundary_before(int32_t form, int32_t c) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *n = normalizer_for(form, &status);
    if (U_FAILURE(status)) return 1;
    return unorm2_hasBoundaryBefore(n, (UChar32)c) ? 1 : 0;
}

struct wsh_transliterator { UTransliterator *t; };

wsh_transliterator *wsh_transliterator_open(const uint16_t *id, int32_t id_length, int32_t *error) {
    UErrorCode status = U_ZERO_ERROR;
    UParseError pe;
    UTransliterator *t = utrans_openU((const UChar *)id, id_length, UTRANS_FORWARD, NULL, 0, &pe, &status);
    if (U_FAILURE(status) || t == NULL) {
        if (error) *error = to_code(U_FAILURE(status) ? status : U_INVALID_ID);
        return NULL;
    }
    wsh_transliterator *w = (wsh_transliterator *)malloc(sizeof(wsh_transliterator));
    if (!w) { utrans_close(t); if (error) *error = -(int32_t)U_MEMORY_ALLOCATION_ERROR; return NULL; }
    w->t = t;
    if (error) *error = 0;
    return w;
}

void wsh_transliterator_close(wsh_transliterator *t) {
    if (!t) return;
    utrans_close(t->t);
    free(t);
}

int32_t wsh_transliterate(wsh_transliterator *t, uint16_t *text, int32_t *length, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t limit = *length;
    utrans_transUChars(t->t, (UChar *)text, length, capacity, 0, &limit, &status);
    return to_code(status);
}

int32_t wsh_break(int32_t kind, const char *locale, const uint16_t *text, int32_t length,
                  int32_t *boundaries, int32_t *statuses, int32_t capacity, int32_t *count) {
    UErrorCode status = U_ZERO_ERROR;
    UBreakIteratorType type;
    switch (kind) {
    case WSH_BREAK_CHARACTER: type = UBRK_CHARACTER; break;
    case WSH_BREAK_WORD: type = UBRK_WORD; break;
    case WSH_BREAK_LINE: type = UBRK_LINE; break;
    case WSH_BREAK_SENTENCE: type = UBRK_SENTENCE; break;
    default: return -(int32_t)U_ILLEGAL_ARGUMENT_ERROR;
    }
    UBreakIterator *bi = ubrk_open(type, locale, (const UChar *)text, length, &status);
    if (U_FAILURE(status)) return to_code(status);
    int32_t n = 0;
    for (int32_t p = ubrk_first(bi); p != UBRK_DONE; p = ubrk_next(bi)) {
        if (n < capacity) {
            boundaries[n] = p;
            if (statuses) statuses[n] = ubrk_getRuleStatus(bi);
        }
        n++;
    }
    ubrk_close(bi);
    *count = n;
    return n > capacity ? WSH_BUFFER_TOO_SMALL : 0;
}

// ---- SHA-256 (added by the ingest layer) ---------------------------------

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

// ---- Additions for the text layer (append-only) -------------------------

int32_t wsh_normalize_is_inert(int32_t form, int32_t c) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *n = normalizer_for(form, &status);
    if (U_FAILURE(status)) return 0;
    return unorm2_isInert(n, (UChar32)c) ? 1 : 0;
}
