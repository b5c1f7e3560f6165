/* Building blocks shared by several architectures: IMDN's information
 * multi-distillation block (with or without attention) and the
 * fuse -> body tail -> pixel-shuffle tail of IMDN, IMDN_AS, IMDN_RTC and RFDN. */
#ifndef SR_BLOCKS_H
#define SR_BLOCKS_H

#include "model.h"

typedef struct
{
  SrConv c1, c2, c3, c4, c5;
  SrConv down, up;        /* contrast-aware channel attention */
  gboolean attention;
  int distilled;          /* channels kept at each split (C / 4) */
} SrImdb;

/* Claims blocks.<index>.* for a block of @channels feature channels. */
gboolean sr_imdb_take    (SrModel *model, SrImdb *block, int index, int channels,
                          gboolean attention, double area, GError **error);
/* Work space for sr_imdb_forward, allocated once and reused by every block. */
typedef struct
{
  SrTensor *t1, *t2, *distilled;
} SrImdbScratch;

gboolean sr_imdb_scratch_init (SrImdbScratch *scratch, const SrImdb *block, const SrTensor *x,
                               SrArena *arena, GError **error);
/* out = block (x); out has x's shape and must not alias it. */
void     sr_imdb_forward (const SrImdb *block, const SrTensor *x, SrTensor *out,
                          const SrImdbScratch *scratch);

typedef struct
{
  /* 1x1 fuse of the blocks' concatenated outputs (blocks*C -> C, then
   * LeakyReLU), applied one block at a time: fuse_parts[i] holds the
   * weight columns of block i (the bias in part 0 only), so the blocks'
   * outputs need not be kept for a concatenation. */
  SrConv *fuse_parts;
  int     n_fuse_parts;   /* the number of blocks; 0: no fuse */
  SrConv body_tail;       /* C -> C, added to the head's features */
  SrConv upsample;        /* 3x3, C -> 3*s*s, then pixel-shuffle */
  int    shuffle;
} SrTail;

gboolean  sr_tail_take    (SrModel *model, SrTail *tail, int channels, int blocks,
                           int tail_kernel, int shuffle, double area, GError **error);
/* fused = fuse's share of block @index's output, accumulated: call it for
 * every block in order, right after the block; the last call applies the
 * LeakyReLU. */
void      sr_tail_fuse_step (const SrTail *tail, int index, const SrTensor *block_out,
                             SrTensor *fused);
/* shuffle (upsample (body_tail (fused) + head)); NULL on allocation failure.
 * Without a fuse (n_fuse_parts 0) @fused is the body's output itself. */
SrTensor *sr_tail_forward (const SrTail *tail, const SrTensor *fused, const SrTensor *head,
                           SrArena *arena, GError **error);

/* A conv's output tensor, allocated in @arena for @in. */
SrTensor *sr_conv_new_output (const SrConv *conv, const SrTensor *in,
                              SrArena *arena, GError **error);

#endif
