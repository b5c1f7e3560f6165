#include "test-random.h"

SrTensor *
test_random_tensor (GRand *rng, SrArena *arena, int c, int h, int w, double scale)
{
  SrTensor *t = sr_arena_tensor (arena, c, h, w, NULL);
  for (gsize i = 0; i < (gsize) c * h * w; i++)
    t->data[i] = g_rand_double_range (rng, -scale, scale);
  return t;
}

float *
test_random_floats (GRand *rng, guint n, double scale)
{
  float *p = g_new (float, n);
  for (guint i = 0; i < n; i++)
    p[i] = g_rand_double_range (rng, -scale, scale);
  return p;
}
