/* fairness: implementation in progress (issue 4). */
#include "common.h"
typedef int cf__fairness_placeholder;
