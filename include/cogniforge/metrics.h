/**
 * @file cogniforge/metrics.h
 * @brief (in progress, issue 4)
 */
#ifndef COGNIFORGE_METRICS_H
#define COGNIFORGE_METRICS_H

#include "cogniforge/types.h"

CF_BEGIN_DECL

CF_END_DECL

#endif /* COGNIFORGE_METRICS_H */
