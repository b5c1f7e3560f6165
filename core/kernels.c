/* The kernel tables and the one-time choice among them (kernels.h).
 * SR_HAVE_AVX2 / SR_HAVE_AVX512 come from the build: defined when the
 * compiler could build that variant's sources with their own flags. */
#include <stdlib.h>
#include <string.h>

#include "kernels.h"

#ifdef SR_HAVE_AVX512
#define DECLARE(k, tile) void sr_f32_conv_k##k##_##tile##__avx512 (const SrConvTile *t);
DECLARE (1, 8x16) DECLARE (1, 8x32) DECLARE (1, 8x48)
DECLARE (3, 8x16) DECLARE (3, 8x32) DECLARE (3, 8x48)
#undef DECLARE
void sr_f32_winograd_input__avx512 (const SrWinogradInput *args);
void sr_f32_winograd_output__avx512 (const SrWinogradOutput *args);

const SrKernels sr_kernels_avx512 = {
  .name = "avx512",
  .nr = 8,
  .tile = 48,
  .vec = 16,
  .conv_k1 = { sr_f32_conv_k1_8x16__avx512, sr_f32_conv_k1_8x32__avx512, sr_f32_conv_k1_8x48__avx512 },
  .conv_k3 = { sr_f32_conv_k3_8x16__avx512, sr_f32_conv_k3_8x32__avx512, sr_f32_conv_k3_8x48__avx512 },
  .winograd_input = sr_f32_winograd_input__avx512,
  .winograd_output = sr_f32_winograd_output__avx512,
};
#endif

#if defined(SR_HAVE_AVX512BF16) && defined(SR_HAVE_AVX512)
#define DECLARE(k, tile) void sr_bf16_conv_k##k##_##tile##__avx512bf16 (const SrConvTile *t);
DECLARE (1, 8x16) DECLARE (1, 8x32) DECLARE (1, 8x48)
DECLARE (3, 8x16) DECLARE (3, 8x32) DECLARE (3, 8x48)
#undef DECLARE
void sr_bf16_pair_rows__avx512bf16 (const float *lo, const float *hi, guint32 *dst, gsize n);
void sr_bf16_winograd_input__avx512bf16 (const SrWinogradInput *args);

/* Winograd: the fp32 AVX-512 transforms, the input's written as bf16 pairs,
 * the 16 products in bf16 (the weights paired by bf16-conv.c). */
const SrKernels sr_kernels_avx512bf16 = {
  .name = "avx512bf16",
  .nr = 8,
  .tile = 48,
  .vec = 16,
  .conv_k1 = { sr_bf16_conv_k1_8x16__avx512bf16, sr_bf16_conv_k1_8x32__avx512bf16,
               sr_bf16_conv_k1_8x48__avx512bf16 },
  .conv_k3 = { sr_bf16_conv_k3_8x16__avx512bf16, sr_bf16_conv_k3_8x32__avx512bf16,
               sr_bf16_conv_k3_8x48__avx512bf16 },
  .winograd_input = sr_bf16_winograd_input__avx512bf16,
  .winograd_output = sr_f32_winograd_output__avx512,
  .pair_rows = sr_bf16_pair_rows__avx512bf16,
  .fp32 = &sr_kernels_avx512,
};
#define HAVE_BF16_VARIANT 1
#endif

#ifdef SR_HAVE_AVX2
#define DECLARE(k, tile) void sr_f32_conv_k##k##_##tile##__avx2 (const SrConvTile *t);
DECLARE (1, 6x8) DECLARE (1, 6x16) DECLARE (3, 6x8) DECLARE (3, 6x16)
#undef DECLARE
void sr_f32_winograd_input__avx2 (const SrWinogradInput *args);
void sr_f32_winograd_output__avx2 (const SrWinogradOutput *args);

const SrKernels sr_kernels_avx2 = {
  .name = "avx2",
  .nr = 6,
  .tile = 16,
  .vec = 8,
  .conv_k1 = { sr_f32_conv_k1_6x8__avx2, sr_f32_conv_k1_6x16__avx2 },
  .conv_k3 = { sr_f32_conv_k3_6x8__avx2, sr_f32_conv_k3_6x16__avx2 },
  .winograd_input = sr_f32_winograd_input__avx2,
  .winograd_output = sr_f32_winograd_output__avx2,
};
#endif

static const SrKernels *const all_kernels[] = {
#ifdef SR_HAVE_AVX512
  &sr_kernels_avx512,
#endif
#ifdef SR_HAVE_AVX2
  &sr_kernels_avx2,
#endif
  &sr_kernels_ref,
  NULL
};

static const SrKernels *const bf16_kernels[] = {
#ifdef HAVE_BF16_VARIANT
  &sr_kernels_avx512bf16,
#endif
  NULL
};

const SrKernels *const *
sr_kernels_bf16_list (void)
{
  return bf16_kernels;
}

const SrKernels *const *
sr_kernels_list (void)
{
  return all_kernels;
}

gboolean
sr_kernels_supported (const SrKernels *kernels)
{
#if defined(SR_HAVE_AVX512) || defined(SR_HAVE_AVX2)
  __builtin_cpu_init ();
#endif
#ifdef SR_HAVE_AVX512
  /* The AVX-512 sources are compiled with F, VL, BW and DQ: the compiler may
   * use any of them, so all four are required. */
  if (kernels == &sr_kernels_avx512)
    return __builtin_cpu_supports ("avx512f") && __builtin_cpu_supports ("avx512vl") &&
           __builtin_cpu_supports ("avx512bw") && __builtin_cpu_supports ("avx512dq") &&
           __builtin_cpu_supports ("fma");
#endif
#ifdef HAVE_BF16_VARIANT
  /* Its sources add AVX512_BF16 to the AVX-512 flags. */
  if (kernels == &sr_kernels_avx512bf16)
    return sr_kernels_supported (&sr_kernels_avx512) && __builtin_cpu_supports ("avx512bf16");
#endif
#ifdef SR_HAVE_AVX2
  if (kernels == &sr_kernels_avx2)
    return __builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma");
#endif
  return kernels == &sr_kernels_ref;
}

static gpointer
choose (gpointer unused)
{
  const char *force_ref = g_getenv ("SR_FORCE_REF");
  const char *wanted = g_getenv ("SR_KERNELS");

  if (force_ref && *force_ref && strcmp (force_ref, "0") != 0)
    return (gpointer) &sr_kernels_ref;
  for (int i = 0; all_kernels[i]; i++)
    if (sr_kernels_supported (all_kernels[i]) &&
        (!wanted || !*wanted || strcmp (wanted, all_kernels[i]->name) == 0))
      return (gpointer) all_kernels[i];
  /* A name this build or CPU lacks: say so once, then take the best. */
  g_warning ("SR_KERNELS=%s is not available here; using the best supported kernels", wanted);
  for (int i = 0; all_kernels[i]; i++)
    if (sr_kernels_supported (all_kernels[i]))
      return (gpointer) all_kernels[i];
  return (gpointer) &sr_kernels_ref;
}

const SrKernels *
sr_kernels_get (void)
{
  static GOnce once = G_ONCE_INIT;
  return g_once (&once, choose, NULL);
}

static gpointer
choose_bf16 (gpointer unused)
{
  const char *force_ref = g_getenv ("SR_FORCE_REF");

  if (force_ref && *force_ref && strcmp (force_ref, "0") != 0)
    return NULL;
  for (int i = 0; bf16_kernels[i]; i++)
    if (sr_kernels_supported (bf16_kernels[i]))
      return (gpointer) bf16_kernels[i];
  return NULL;
}

const SrKernels *
sr_kernels_bf16_get (void)
{
  static GOnce once = G_ONCE_INIT;
  return g_once (&once, choose_bf16, NULL);
}
