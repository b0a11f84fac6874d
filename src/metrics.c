/* metrics: implementation in progress (issue 4). */
#include "common.h"
typedef int cf__metrics_placeholder;
