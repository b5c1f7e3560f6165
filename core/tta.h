#ifndef SR_TTA_H
#define SR_TTA_H

#include "model.h"

#define SR_TTA_VIEWS 8

/* The model's output averaged over the 8 flips/rotations of @input. */
SrTensor *sr_forward_tta (const SrModel *model, const SrTensor *input, SrArena *arena,
                          SrRun *run, GError **error);

#endif
