/* Random tensors and weight arrays for the C tests, uniform in [-scale, scale]. */
#ifndef SR_TEST_RANDOM_H
#define SR_TEST_RANDOM_H

#include "tensor.h"

SrTensor *test_random_tensor (GRand *rng, SrArena *arena, int c, int h, int w, double scale);
/* g_free() the result. */
float    *test_random_floats (GRand *rng, guint n, double scale);

#endif
