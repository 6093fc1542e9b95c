// The helpers are header-only (include/simd.h, inlined into Swift); this file makes CSIMD a C
// target, whose header changes rebuild the Swift targets that import it.
#include "simd.h"
