/**
 * @file cogniforge/slo.h
 * @brief (in progress, issue 7)
 */
#ifndef COGNIFORGE_SLO_H
#define COGNIFORGE_SLO_H

#include "cogniforge/types.h"

CF_BEGIN_DECL

CF_END_DECL

#endif /* COGNIFORGE_SLO_H */
