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


// ---- Additions for the text layer (append-only) -------------------------

int32_t wsh_normalize_is_inert(int32_t form, int32_t c) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *n = normalizer_for(form, &status);
    if (U_FAILURE(status)) return 0;
    return unorm2_isInert(n, (UChar32)c) ? 1 : 0;
}
