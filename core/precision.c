/* The precision policy (sr.h, SrPrecision): which arithmetic a loaded
 * model's convolutions run in.  Precision belongs to the model's packed
 * weights: every pack (kernels.h) of a model is linked in model->packs, and
 * choosing bf16 packs each one's bf16 twin (once) and sets it to run, so a
 * forward pass needs no flag of its own.
 *
 * auto = bf16 where the CPU has native bf16 (AVX512_BF16) and the model's
 * architecture is one test_bf16_accuracy.py proves within 0.01 dB PSNR-Y of
 * fp32 on Set5 and Set14 for every shipped and official model; fp32
 * otherwise.  The environment's SR_PRECISION sets what a model gets at load
 * (auto when unset); sr_model_set_precision overrides it. */
#include <string.h>

#include "kernels.h"
#include "model.h"

/* Architectures whose models tests/test_bf16_accuracy.py measures in bf16
 * within the bound; the others stay fp32 under auto until it does.
 * None today, though every shipped and official model keeps the PSNR bound
 * (all within 0.004 dB on Set5/Set14, 2026-12-04, with the convs at the
 * image's edge in fp32): bf16 carries 8 significant bits, so a 16-bit image
 * comes out with errors of one 8-bit step (tests/test_cli_16bit.py), and
 * auto may only pick bf16 once the front ends know the image's depth and
 * keep deeper images in fp32. */
static const char *const bf16_proven[] = {
  NULL
};

gboolean
sr_precision_from_string (const char *name, SrPrecision *precision)
{
  static const char *const names[] = { "auto", "fp32", "bf16" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (name && g_ascii_strcasecmp (name, names[i]) == 0)
      {
        *precision = (SrPrecision) i;
        return TRUE;
      }
  return FALSE;
}

const char *
sr_precision_to_string (SrPrecision precision)
{
  switch (precision)
    {
    case SR_PRECISION_FP32: return "fp32";
    case SR_PRECISION_BF16: return "bf16";
    case SR_PRECISION_AUTO:
    default:                return "auto";
    }
}

gboolean
sr_cpu_has_bf16 (void)
{
  return sr_kernels_bf16_get () != NULL;
}

static gboolean
arch_proven (const SrModel *model)
{
  for (int i = 0; bf16_proven[i]; i++)
    if (g_strcmp0 (model->architecture, bf16_proven[i]) == 0)
      return TRUE;
  return FALSE;
}

/* @wanted made concrete for @model on this CPU: fp32 or bf16. */
static gboolean
resolve (const SrModel *model, SrPrecision wanted, SrPrecision *resolved, GError **error)
{
  switch (wanted)
    {
    case SR_PRECISION_FP32:
      *resolved = SR_PRECISION_FP32;
      return TRUE;
    case SR_PRECISION_BF16:
      if (!sr_cpu_has_bf16 ())
        {
          g_set_error (error, SR_ERROR, SR_ERROR_INVALID,
                       "bf16 precision needs a CPU with AVX512_BF16, which this one lacks "
                       "(or SR_FORCE_REF is set); use precision auto or fp32");
          return FALSE;
        }
      *resolved = SR_PRECISION_BF16;
      return TRUE;
    case SR_PRECISION_AUTO:
    default:
      *resolved = sr_cpu_has_bf16 () && arch_proven (model) ? SR_PRECISION_BF16 : SR_PRECISION_FP32;
      return TRUE;
    }
}

/* Points @pack at the model's precision, packing its bf16 twin if needed. */
static void
apply (SrModel *model, SrConvPack *pack)
{
  const gboolean bf16 = model->precision == SR_PRECISION_BF16;

  if (bf16 && !pack->twin && !pack->kernels->pair_rows && sr_bf16_applies (&pack->source))
    pack->twin = sr_model_keep (model, sr_bf16_pack_new (sr_kernels_bf16_get (), &pack->source));
  pack->run_twin = bf16 && pack->twin;
}

/* SR_PRECISION, read once: what a model gets at load. */
static gpointer
read_default (gpointer unused)
{
  const char *env = g_getenv ("SR_PRECISION");
  SrPrecision precision = SR_PRECISION_AUTO;

  if (env && *env && !sr_precision_from_string (env, &precision))
    g_warning ("SR_PRECISION=%s is not one of auto, fp32, bf16; using auto", env);
  return GINT_TO_POINTER (precision);
}

void
sr_precision_adopt (SrModel *model, SrConvPack *pack)
{
  pack->next = model->packs;
  model->packs = pack;
  if (!model->precision_chosen)
    {
      static GOnce once = G_ONCE_INIT;
      const SrPrecision wanted = GPOINTER_TO_INT (g_once (&once, read_default, NULL));
      GError *error = NULL;

      model->precision_chosen = TRUE;
      if (!resolve (model, wanted, &model->precision, &error))
        {
          g_warning ("SR_PRECISION: %s; using fp32", error->message);
          g_error_free (error);
          model->precision = SR_PRECISION_FP32;
        }
    }
  apply (model, pack);
}

gboolean
sr_model_set_precision (SrModel *model, SrPrecision precision, GError **error)
{
  SrPrecision resolved;

  if (!resolve (model, precision, &resolved, error))
    return FALSE;
  model->precision = resolved;
  model->precision_chosen = TRUE;
  for (SrConvPack *pack = model->packs; pack; pack = pack->next)
    apply (model, pack);
  return TRUE;
}

SrPrecision
sr_model_get_precision (const SrModel *model)
{
  return model->precision_chosen ? model->precision : SR_PRECISION_FP32;
}
