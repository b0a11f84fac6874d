/* validate: implementation in progress (issue 3). */
#include "common.h"
typedef int cf__validate_placeholder;
