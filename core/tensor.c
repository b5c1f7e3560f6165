#include "tensor.h"

#include <stdlib.h>
#include <string.h>

#include "sr.h"

/* 64-byte alignment: a whole AVX-512 vector or cache line per row start. */
#define SR_TENSOR_ALIGN 64

struct _SrArena
{
  GPtrArray *tensors;
};

static void
tensor_free (gpointer p)
{
  SrTensor *t = p;
  free (t->data);
  g_free (t);
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

SrTensor *
sr_arena_tensor (SrArena *arena, int c, int h, int w, GError **error)
{
  gsize n, bytes;
  void *mem = NULL;
  SrTensor *t;

  if (c <= 0 || h <= 0 || w <= 0 ||
      !g_size_checked_mul (&n, (gsize) c, (gsize) h) ||
      !g_size_checked_mul (&n, n, (gsize) w) ||
      !g_size_checked_mul (&bytes, n, sizeof (float)))
    {
      g_set_error (error, SR_ERROR, SR_ERROR_NOMEM,
                   "feature map of %d x %d x %d floats is too large", c, h, w);
      return NULL;
    }
  bytes = (bytes + SR_TENSOR_ALIGN - 1) / SR_TENSOR_ALIGN * SR_TENSOR_ALIGN;
  if (posix_memalign (&mem, SR_TENSOR_ALIGN, bytes) != 0)
    {
      g_set_error (error, SR_ERROR, SR_ERROR_NOMEM,
                   "out of memory allocating a %d x %d x %d feature map (%.1f MiB)",
                   c, h, w, bytes / 1048576.0);
      return NULL;
    }
  t = g_new (SrTensor, 1);
  t->c = c;
  t->h = h;
  t->w = w;
  t->data = mem;
  g_ptr_array_add (arena->tensors, t);
  return t;
}
