/**
 * @file cogniforge/fairness.h
 * @brief (in progress, issue 4)
 */
#ifndef COGNIFORGE_FAIRNESS_H
#define COGNIFORGE_FAIRNESS_H

#include "cogniforge/types.h"

CF_BEGIN_DECL

CF_END_DECL

#endif /* COGNIFORGE_FAIRNESS_H */
