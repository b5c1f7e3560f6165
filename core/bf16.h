/* bfloat16 helpers: the scalar rounding every bf16 path agrees with.
 *
 * bf16 is the top half of an fp32: sign, the same 8-bit exponent, 7 stored
 * mantissa bits (8 bits of precision), so rounding a float to it has a
 * relative error of at most 2^-8 (unit roundoff, round to nearest even).
 * The bf16 kernels (kernels.h, sr_kernels_bf16) read two input channels at
 * once as a 32-bit "pair": channel 2p in the low half, 2p + 1 in the high
 * half, the layout vdpbf16ps multiplies. */
#ifndef SR_BF16_H
#define SR_BF16_H

#include <string.h>

#include <glib.h>

/* @v rounded to bf16 bits, to nearest even, as vcvtneps2bf16 does: NaN stays
 * a (quiet) NaN, and denormals become zero of the same sign (the instruction
 * treats them as zero; no model weight or feature is that small). */
static inline guint16
sr_bf16_from_f32 (float v)
{
  guint32 bits;

  memcpy (&bits, &v, sizeof bits);
  if ((bits & 0x7f800000u) == 0x7f800000u && (bits & 0x007fffffu))
    return (guint16) ((bits >> 16) | 0x0040u);
  if ((bits & 0x7f800000u) == 0)
    return (guint16) ((bits >> 16) & 0x8000u);
  bits += 0x7fffu + ((bits >> 16) & 1u);
  return (guint16) (bits >> 16);
}

static inline float
sr_bf16_to_f32 (guint16 b)
{
  guint32 bits = (guint32) b << 16;
  float v;

  memcpy (&v, &bits, sizeof v);
  return v;
}

/* @v rounded to bf16 and back: what a bf16 kernel multiplies. */
static inline float
sr_bf16_round (float v)
{
  return sr_bf16_to_f32 (sr_bf16_from_f32 (v));
}

static inline guint32
sr_bf16_pair (float lo, float hi)
{
  return (guint32) sr_bf16_from_f32 (lo) | (guint32) sr_bf16_from_f32 (hi) << 16;
}

#endif
