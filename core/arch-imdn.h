/* The IMDN body shared by IMDN and IMDN_AS: head features -> B attention
 * blocks whose outputs are concatenated -> fuse/tail/pixel-shuffle. */
#ifndef SR_ARCH_IMDN_H
#define SR_ARCH_IMDN_H

#include "blocks.h"

typedef struct
{
  SrTail tail;
  int    n_blocks;
  SrImdb blocks[];
} SrImdnBody;

SrImdnBody *sr_imdn_body_take    (SrModel *model, gsize extra, double area, int shuffle,
                                  GError **error);
SrTensor   *sr_imdn_body_forward (const SrImdnBody *body, const SrTensor *head,
                                  SrArena *arena, SrRun *run, GError **error);

#endif
