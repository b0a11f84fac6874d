/**
 * @file cogniforge/drift.h
 * @brief (in progress, issue 7)
 */
#ifndef COGNIFORGE_DRIFT_H
#define COGNIFORGE_DRIFT_H

#include "cogniforge/types.h"

CF_BEGIN_DECL

CF_END_DECL

#endif /* COGNIFORGE_DRIFT_H */
