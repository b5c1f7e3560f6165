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
/* Work space for sr_imdb_forward, allocated once and reused by every block;
 * dead between blocks (sr_tail_forward may take it as spare memory). */
typedef struct
{
  SrTensor *t1, *distilled;
} SrImdbScratch;

gboolean sr_imdb_scratch_init (SrImdbScratch *scratch, const SrImdb *block, const SrTensor *x,
                               SrArena *arena, GError **error);
/* out = block (x); out has x's shape and must not alias it.  @out is also
 * the block's scratch until its last layer writes it. */
void     sr_imdb_forward (const SrImdb *block, const SrTensor *x, SrTensor *out,
                          const SrImdbScratch *scratch);

typedef struct
{
  /* 1x1 fuse of the blocks' concatenated outputs (blocks*C -> C, then
   * LeakyReLU), applied to two blocks at a time: fuse_parts[p] holds the
   * weight columns of blocks 2p and 2p + 1 (the bias in part 0 only), so
   * the blocks' outputs need not be kept for a whole concatenation. */
  SrConv *fuse_parts;
  int     n_blocks;       /* 0: no fuse */
  SrConv body_tail;       /* C -> C, added to the head's features */
  SrConv upsample;        /* 3x3, C -> 3*s*s, then pixel-shuffle */
  int    shuffle;
} SrTail;

gboolean  sr_tail_take    (SrModel *model, SrTail *tail, int channels, int blocks,
                           int tail_kernel, int shuffle, double area, GError **error);
/* Adds fuse's share of blocks 2p, 2p + 1 to @fused: call it right after
 * block @index with @pair holding the outputs of blocks index & ~1 (channels
 * [0, C)) and index | 1 ([C, 2C)); it acts after odd blocks and the last
 * one, which also applies the LeakyReLU. */
void      sr_tail_fuse_step (const SrTail *tail, int index, const SrTensor *pair,
                             SrTensor *fused);
/* shuffle (upsample (body_tail (fused) + head)); NULL on allocation failure.
 * Without a fuse (n_blocks 0) @fused is the body's output itself.  The
 * three maps it makes go on @spare[0], [1] and [2] where they fit
 * (sr_arena_reuse): maps the caller is done with, apart from each other and
 * from @fused and @head; any of them may be NULL (allocated instead). */
SrTensor *sr_tail_forward (const SrTail *tail, const SrTensor *fused, const SrTensor *head,
                           const SrTensor *const spare[3], SrArena *arena, GError **error);
/* Floats per pixel sr_tail_forward allocates beyond @spare maps of
 * @channels floats per pixel each (the upsampler's 3 s^2 outputs, twice,
 * where they do not fit). */
double    sr_tail_floats_beyond_spares (int channels, int shuffle);

/* A conv's output tensor, allocated in @arena for @in. */
SrTensor *sr_conv_new_output (const SrConv *conv, const SrTensor *in,
                              SrArena *arena, GError **error);

#endif
