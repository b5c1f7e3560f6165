/* Feature maps: planar float tensors (channels x height x width, one image).
 *
 * Planar layout makes a run of channels a contiguous sub-range, so the
 * split/concat steps of IMDN and RFDN are pointer arithmetic, not copies. */
#ifndef SR_TENSOR_H
#define SR_TENSOR_H

#include <glib.h>

typedef struct
{
  int    c, h, w;
  float *data;
} SrTensor;

static inline gsize
sr_tensor_plane (const SrTensor *t)
{
  return (gsize) t->h * (gsize) t->w;
}

static inline float *
sr_tensor_channel (const SrTensor *t, int c)
{
  return t->data + (gsize) c * sr_tensor_plane (t);
}

/* A view of channels [first, first + n) that shares the parent's memory. */
static inline SrTensor
sr_tensor_slice (const SrTensor *t, int first, int n)
{
  SrTensor s = { n, t->h, t->w, sr_tensor_channel (t, first) };
  return s;
}

/* An arena owns every tensor of one forward pass, so error paths free
 * everything with one call.  Allocation failures are reported, not fatal:
 * a huge image must produce an error message, not kill GIMP. */
typedef struct _SrArena SrArena;

SrArena  *sr_arena_new    (void);
void      sr_arena_free   (SrArena *arena);
/* Returns NULL (and sets @error) if the size overflows or memory is short. */
SrTensor *sr_arena_tensor (SrArena *arena, int c, int h, int w, GError **error);
/* A c x h x w tensor on @spare's memory when @spare holds that many floats,
 * else a new one (sr_arena_tensor).  For a forward pass's last layers, whose
 * maps fit in those of layers it is done with: the plan's memory per tile
 * (floats_per_pixel, model.h) counts the maps that are live at once, not
 * every map the pass writes.  @spare's contents are the caller's to lose,
 * and it stays the arena's (the new tensor is a view, freed with it). */
SrTensor *sr_arena_reuse  (SrArena *arena, const SrTensor *spare, int c, int h, int w,
                           GError **error);

/* Freed large blocks are kept process-wide for the next arena (tensor.c).
 * The bytes kept now, and giving them all back to the system (part of
 * sr_cache_trim; any thread, arenas in use keep theirs). */
gsize     sr_arena_cached_bytes (void);
void      sr_arena_trim         (void);

/* A short-lived buffer of at least @bytes (a tile's interleaved pixels on
 * their way in or out) from the same kept blocks, so that it too is on huge
 * pages and is not faulted in afresh by every process's first run; *@got is
 * the block's size, to give back with it.  NULL when memory is short. */
float    *sr_block_take (gsize bytes, gsize *got);
void      sr_block_give (float *mem, gsize got);

#endif
