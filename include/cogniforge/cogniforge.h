/**
 * @file cogniforge/cogniforge.h
 * @brief Umbrella header: include this one to get the whole public API.
 */
#ifndef COGNIFORGE_H
#define COGNIFORGE_H

#include "cogniforge/version.h"
#include "cogniforge/common.h"
#include "cogniforge/types.h"
#include "cogniforge/context.h"
#include "cogniforge/io.h"
#include "cogniforge/digest.h"
#include "cogniforge/table.h"
#include "cogniforge/csv.h"
#include "cogniforge/stats.h"
#include "cogniforge/validate.h"
#include "cogniforge/metrics.h"
#include "cogniforge/fairness.h"
#include "cogniforge/slo.h"
#include "cogniforge/drift.h"
#include "cogniforge/rollout.h"

#endif /* COGNIFORGE_H */
