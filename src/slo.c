/* slo: implementation in progress (issue 7). */
#include "common.h"
typedef int cf__slo_placeholder;
