/* sketch: implementation in progress (issue 3). */
#include "common.h"
typedef int cf__sketch_placeholder;
