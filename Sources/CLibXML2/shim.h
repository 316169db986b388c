// libxml2 for Swift, with ICU kept out of sight: Debian's xmlversion.h enables
// LIBXML_ICU_ENABLED, which makes encoding.h include <unicode/ucnv.h>; those
// headers clash with Foundation's own ICU on clean builds (see NATIVE.md).
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>
