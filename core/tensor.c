#include "tensor.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "sr.h"

/* 64-byte alignment: a whole AVX-512 vector or cache line per row start. */
#define SR_TENSOR_ALIGN 64

/* Feature maps this large go on transparent huge pages where the kernel
 * offers them on request (madvise mode, Debian's default): first touching a
 * fresh 200 MB arena 4 KiB at a time cost ~8% of an IMDN run in page faults.
 * From HUGE_MIN up a block is rounded up to whole huge pages: on our 2-core
 * test machines a fresh 4 KiB page costs ~10-40 us to fault in (150 MB: 1.5-2 s) against
 * ~0.3 ms per fresh 2 MiB huge page (150 MB: 35-60 ms), so a 1.5 MB block
 * (ECBSR x4's feature maps for a 480x270 input on 2 threads) costs ~10 ms in
 * the first run on small pages and well under 1 ms on a huge page -- for at
 * most 1 MiB of memory more. */
#define HUGE_PAGE (2u << 20)
#define HUGE_MIN  (HUGE_PAGE / 2)

struct _SrArena
{
  GPtrArray *tensors;
};

/* A tensor and the size of the block under it (which may be larger; 0 for
 * a view on another tensor's block). */
typedef struct
{
  SrTensor tensor;
  gsize    bytes;
} Block;

/* Freed large blocks are kept for the next arena instead of going back to
 * the system: every tile, and every run in one process (the dialog's
 * preview, --bench), would otherwise fault in and zero its feature maps
 * again -- measured at a quarter of an IMDN run on a 2-core machine.  Bounded, so an
 * idle process holds at most this much. */
#define CACHE_LIMIT ((gsize) 1 << 30)
/* Blocks from this size up are kept: smaller ones come from malloc's own
 * heap, larger ones from fresh mmaps that fault in again each time. */
#define CACHE_MIN   ((gsize) 256 << 10)

typedef struct
{
  gsize bytes;
  void *mem;
} Cached;

static GMutex cache_lock;
static GSList *cache;
static gsize cache_bytes;

/* The smallest cached block of at least @bytes.  A larger block costs no
 * memory (pages it doesn't touch stay unmapped) where a new one would. */
static void *
cache_take (gsize bytes, gsize *got)
{
  GSList *best = NULL;
  void *mem = NULL;

  g_mutex_lock (&cache_lock);
  for (GSList *l = cache; l; l = l->next)
    {
      Cached *c = l->data;
      if (c->bytes >= bytes && (!best || c->bytes < ((Cached *) best->data)->bytes))
        best = l;
    }
  if (best)
    {
      Cached *c = best->data;
      mem = c->mem;
      *got = c->bytes;
      cache_bytes -= c->bytes;
      cache = g_slist_delete_link (cache, best);
      g_free (c);
    }
  else
    {
      /* Tiles grew (from a corner tile to an interior one): the cached
       * blocks smaller than this one are last tile's sizes.  Let them go,
       * so the new blocks replace them instead of adding to the memory. */
      for (GSList *l = cache, *next; l; l = next)
        {
          Cached *c = l->data;
          next = l->next;
          if (c->bytes < bytes)
            {
              cache_bytes -= c->bytes;
              free (c->mem);
              g_free (c);
              cache = g_slist_delete_link (cache, l);
            }
        }
    }
  g_mutex_unlock (&cache_lock);
  return mem;
}

static void
cache_put (void *mem, gsize bytes)
{
  Cached *c;

  g_mutex_lock (&cache_lock);
  if (cache_bytes + bytes > CACHE_LIMIT)
    {
      g_mutex_unlock (&cache_lock);
      free (mem);
      return;
    }
  c = g_new (Cached, 1);
  c->bytes = bytes;
  c->mem = mem;
  cache = g_slist_prepend (cache, c);
  cache_bytes += bytes;
  g_mutex_unlock (&cache_lock);
}

gsize
sr_arena_cached_bytes (void)
{
  gsize bytes;

  g_mutex_lock (&cache_lock);
  bytes = cache_bytes;
  g_mutex_unlock (&cache_lock);
  return bytes;
}

void
sr_arena_trim (void)
{
  GSList *blocks;

  g_mutex_lock (&cache_lock);
  blocks = g_steal_pointer (&cache);
  cache_bytes = 0;
  g_mutex_unlock (&cache_lock);
  for (GSList *l = blocks; l; l = l->next)
    {
      Cached *c = l->data;
      free (c->mem);
      g_free (c);
    }
  g_slist_free (blocks);
}

static void block_give (void *mem, gsize bytes);

static void
tensor_free (gpointer p)
{
  Block *b = p;
  if (b->bytes)   /* 0: a view on another block (sr_arena_reuse) */
    block_give (b->tensor.data, b->bytes);
  g_free (b);
}

SrArena *
sr_arena_new (void)
{
  SrArena *arena = g_new0 (SrArena, 1);
  arena->tensors = g_ptr_array_new_with_free_func (tensor_free);
  return arena;
}

void
sr_arena_free (SrArena *arena)
{
  if (!arena)
    return;
  g_ptr_array_unref (arena->tensors);
  g_free (arena);
}

/* A block of at least @bytes: a kept one, or a fresh one on huge pages from
 * HUGE_MIN up; NULL when memory is short. */
static void *
block_take (gsize bytes, gsize *got)
{
  void *mem = NULL;

  bytes = (bytes + SR_TENSOR_ALIGN - 1) / SR_TENSOR_ALIGN * SR_TENSOR_ALIGN;
  if (bytes >= HUGE_MIN)
    bytes = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
  if (bytes >= CACHE_MIN)
    mem = cache_take (bytes, &bytes);
  if (!mem && posix_memalign (&mem, bytes >= HUGE_MIN ? HUGE_PAGE : SR_TENSOR_ALIGN, bytes) != 0)
    return NULL;
#ifdef MADV_HUGEPAGE
  if (bytes >= HUGE_MIN)
    madvise (mem, bytes, MADV_HUGEPAGE);   /* advice only (repeated on a kept block) */
#endif
  *got = bytes;
  return mem;
}

static void
block_give (void *mem, gsize bytes)
{
  if (bytes >= CACHE_MIN)
    cache_put (mem, bytes);
  else
    free (mem);
}

float *
sr_block_take (gsize bytes, gsize *got)
{
  return block_take (MAX (bytes, 1), got);
}

void
sr_block_give (float *mem, gsize got)
{
  if (mem)
    block_give (mem, got);
}

/* @n = c x h x w, FALSE for a size that is not positive or overflows. */
static gboolean
map_floats (int c, int h, int w, gsize *n)
{
  return c > 0 && h > 0 && w > 0 &&
         g_size_checked_mul (n, (gsize) c, (gsize) h) && g_size_checked_mul (n, *n, (gsize) w);
}

SrTensor *
sr_arena_tensor (SrArena *arena, int c, int h, int w, GError **error)
{
  gsize n, bytes;
  void *mem;
  SrTensor *t;
  Block *b;

  if (!map_floats (c, h, w, &n) || !g_size_checked_mul (&bytes, n, sizeof (float)))
    {
      g_set_error (error, SR_ERROR, SR_ERROR_NOMEM,
                   "feature map of %d x %d x %d floats is too large", c, h, w);
      return NULL;
    }
  if (!(mem = block_take (bytes, &bytes)))
    {
      g_set_error (error, SR_ERROR, SR_ERROR_NOMEM,
                   "out of memory allocating a %d x %d x %d feature map (%.1f MiB)",
                   c, h, w, bytes / 1048576.0);
      return NULL;
    }
  b = g_new (Block, 1);
  b->bytes = bytes;
  t = &b->tensor;
  t->c = c;
  t->h = h;
  t->w = w;
  t->data = mem;
  g_ptr_array_add (arena->tensors, b);
  return t;
}

SrTensor *
sr_arena_reuse (SrArena *arena, const SrTensor *spare, int c, int h, int w, GError **error)
{
  gsize n;
  Block *b;

  if (!spare || !map_floats (c, h, w, &n) || n > (gsize) spare->c * sr_tensor_plane (spare))
    return sr_arena_tensor (arena, c, h, w, error);
  b = g_new (Block, 1);
  b->bytes = 0;
  b->tensor = (SrTensor) { c, h, w, spare->data };
  g_ptr_array_add (arena->tensors, b);
  return &b->tensor;
}
