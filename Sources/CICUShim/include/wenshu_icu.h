// A small C face over ICU for Swift. Only plain C types cross this header, so
// Swift never sees ICU's own headers (which clash with Foundation's ICU).
// Text is UTF-16 (uint16_t). Functions return 0 on success, or a negative ICU
// error code; wsh_error_name turns a code into ICU's name for it.
#ifndef WENSHU_ICU_H
#define WENSHU_ICU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// ICU's name for an error code returned by these functions ("U_INVALID_CHAR_FOUND", ...).
const char *wsh_error_name(int32_t code);

// ---- Charset conversion -------------------------------------------------

/// Decodes `src` (in charset `charset`, an ICU converter name such as "GB18030",
/// "Big5", "UTF-16LE") into UTF-16. With `strict` != 0 the first illegal or
/// truncated sequence stops the conversion: the function returns a negative code and
/// `*error_offset` holds the byte offset of the bad sequence. Without `strict`
/// bad bytes become U+FFFD. When `dest_capacity` is too small, returns
/// WSH_BUFFER_TOO_SMALL and `*dest_length` holds the needed length.
int32_t wsh_convert_to_utf16(const char *charset, const uint8_t *src, int32_t src_length,
                             uint16_t *dest, int32_t dest_capacity, int32_t *dest_length,
                             int32_t strict, int64_t *error_offset);

/// Encodes UTF-16 into `charset`. Same conventions as wsh_convert_to_utf16.
int32_t wsh_convert_from_utf16(const char *charset, const uint16_t *src, int32_t src_length,
                               uint8_t *dest, int32_t dest_capacity, int32_t *dest_length);

/// ICU's charset detector. Writes the best guess's name (NUL-terminated) into
/// `name` and its confidence (0-100) into `*confidence`.
int32_t wsh_detect_charset(const uint8_t *src, int32_t src_length, char *name, int32_t name_capacity,
                           int32_t *confidence);

// ---- Normalization -----------------------------------------------------

enum { WSH_NFC = 0, WSH_NFD = 1, WSH_NFKC = 2, WSH_NFKD = 3, WSH_NFKC_CASEFOLD = 4 };

/// Normalizes UTF-16 text with one of the WSH_NF* forms.
int32_t wsh_normalize(int32_t form, const uint16_t *src, int32_t src_length,
                      uint16_t *dest, int32_t dest_capacity, int32_t *dest_length);

/// 1 when code point `c` always starts a new normalization segment in `form`
/// (text can be normalized piece by piece between such points), else 0.
int32_t wsh_normalize_has_boundary_before(int32_t form, int32_t c);

// ---- Transliteration ---------------------------------------------------

typedef struct wsh_transliterator wsh_transliterator;

/// Opens an ICU transliterator by ID ("Traditional-Simplified", "Fullwidth-Halfwidth",
/// or a compound ID with a filter such as "[\\uFF01-\\uFF5E] Fullwidth-Halfwidth").
/// Returns NULL on failure with the code in `*error`. One instance is not safe
/// to use from two threads at once.
wsh_transliterator *wsh_transliterator_open(const uint16_t *id, int32_t id_length, int32_t *error);
void wsh_transliterator_close(wsh_transliterator *t);

/// Transliterates `text` in place; `*length` is the text's length in and out.
/// `capacity` is the buffer's size in UTF-16 units.
int32_t wsh_transliterate(wsh_transliterator *t, uint16_t *text, int32_t *length, int32_t capacity);

// ---- Break iteration ---------------------------------------------------

enum { WSH_BREAK_CHARACTER = 0, WSH_BREAK_WORD = 1, WSH_BREAK_LINE = 2, WSH_BREAK_SENTENCE = 3 };

/// Finds the break positions of `text` (UTF-16 offsets, the first is 0 and the
/// last is `length`) for the given kind and locale ("zh"). Writes at most `capacity`
/// boundaries into `boundaries` and, when `statuses` is not NULL, the rule status of
/// each segment ending there (for words: 0 none/punctuation or space, 100-199 number,
/// 200-299 letter, 300-399 kana, 400-499 ideographic). `*count` gets the number found;
/// when it exceeds `capacity` the function returns WSH_BUFFER_TOO_SMALL.
int32_t wsh_break(int32_t kind, const char *locale, const uint16_t *text, int32_t length,
                  int32_t *boundaries, int32_t *statuses, int32_t capacity, int32_t *count);

#define WSH_BUFFER_TOO_SMALL (-15)




// ---- Additions for the text layer (append-only) -------------------------

/// 1 when code point `c` is inert for `form`: unaffected by normalization, with a
/// normalization boundary before and after it (it can be copied as it is), else 0.
int32_t wsh_normalize_is_inert(int32_t form, int32_t c);

#ifdef __cplusplus
}
#endif

#endif
