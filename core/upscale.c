/* sr_upscale: moves pixels between the caller's callbacks and one forward
 * pass of the model over the whole image.  (Tiling, for bounded memory and
 * threads, builds on the same callbacks.) */
#include "model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Rows per read/write callback: small enough that the interleaved staging
 * buffer stays a few MiB even for very wide images. */
#define STRIP_ROWS 64

static int
padded_side (const SrArch *arch, int side)
{
  side = MAX (side, arch->min_size);
  return (side + arch->size_multiple - 1) / arch->size_multiple * arch->size_multiple;
}

gboolean
sr_output_size (const SrModel *model, int width, int height, int *out_width, int *out_height,
                GError **error)
{
  int s = sr_model_output_scale (model);

  if (width < 1 || height < 1 || width > SR_MAX_INPUT_SIDE || height > SR_MAX_INPUT_SIDE ||
      (gint64) width * s > G_MAXINT / 4 || (gint64) height * s > G_MAXINT / 4)
    {
      g_set_error (error, SR_ERROR, SR_ERROR_INVALID,
                   "image size %d x %d is out of range (1 to %d pixels a side)",
                   width, height, SR_MAX_INPUT_SIDE);
      return FALSE;
    }
  if (out_width)
    *out_width = width * s;
  if (out_height)
    *out_height = height * s;
  return TRUE;
}

/* Reads the image into a planar tensor scaled to the model's range; sides
 * the architecture needs larger are filled by repeating the edge pixels. */
static gboolean
read_input (const SrModel *model, const SrJob *job, SrTensor *in, GError **error)
{
  float *strip = g_try_malloc ((gsize) job->width * STRIP_ROWS * 3 * sizeof (float));
  const float range = model->input_range;

  if (!strip)
    {
      g_set_error (error, SR_ERROR, SR_ERROR_NOMEM, "out of memory for a %d pixel wide strip", job->width);
      return FALSE;
    }
  for (int y0 = 0; y0 < job->height; y0 += STRIP_ROWS)
    {
      int rows = MIN (STRIP_ROWS, job->height - y0);
      if (!job->read (job->user_data, 0, y0, job->width, rows, strip, error))
        {
          if (error && !*error)
            g_set_error (error, SR_ERROR, SR_ERROR_CALLBACK, "reading the input failed");
          g_free (strip);
          return FALSE;
        }
      for (int c = 0; c < 3; c++)
        for (int y = 0; y < rows; y++)
          {
            float *dst = sr_tensor_channel (in, c) + (gsize) (y0 + y) * in->w;
            const float *src = strip + (gsize) y * job->width * 3 + c;
            for (int x = 0; x < job->width; x++)
              dst[x] = src[3 * x] * range;
            for (int x = job->width; x < in->w; x++)
              dst[x] = dst[job->width - 1];
          }
    }
  for (int c = 0; c < 3; c++)
    for (int y = job->height; y < in->h; y++)
      memcpy (sr_tensor_channel (in, c) + (gsize) y * in->w,
              sr_tensor_channel (in, c) + (gsize) (job->height - 1) * in->w, in->w * sizeof (float));
  g_free (strip);
  return TRUE;
}

static gboolean
write_output (const SrModel *model, const SrJob *job, const SrTensor *out, int ow, int oh,
              GError **error)
{
  float *strip = g_try_malloc ((gsize) ow * STRIP_ROWS * 3 * sizeof (float));
  const float inv_range = 1.f / model->input_range;
  /* Tests compare raw network output with PyTorch, before clamping. */
  const gboolean clamp = g_strcmp0 (g_getenv ("SR_NO_CLAMP"), "1") != 0;

  if (!strip)
    {
      g_set_error (error, SR_ERROR, SR_ERROR_NOMEM, "out of memory for a %d pixel wide strip", ow);
      return FALSE;
    }
  for (int y0 = 0; y0 < oh; y0 += STRIP_ROWS)
    {
      int rows = MIN (STRIP_ROWS, oh - y0);
      for (int c = 0; c < 3; c++)
        for (int y = 0; y < rows; y++)
          {
            const float *src = sr_tensor_channel (out, c) + (gsize) (y0 + y) * out->w;
            float *dst = strip + (gsize) y * ow * 3 + c;
            for (int x = 0; x < ow; x++)
              {
                float v = src[x] * inv_range;
                dst[3 * x] = clamp ? CLAMP (v, 0.f, 1.f) : v;
              }
          }
      if (!job->write (job->user_data, 0, y0, ow, rows, strip, error))
        {
          if (error && !*error)
            g_set_error (error, SR_ERROR, SR_ERROR_CALLBACK, "writing the output failed");
          g_free (strip);
          return FALSE;
        }
    }
  g_free (strip);
  return TRUE;
}

gboolean
sr_upscale (const SrModel *model, const SrJob *job, GError **error)
{
  const SrArch *arch = model->arch;
  SrArena *arena;
  SrTensor *in, *out;
  SrRun run = { job->cancel, job->progress, job->user_data, arch->n_steps (model), 0 };
  int ow, oh;
  gboolean ok = FALSE;

  g_return_val_if_fail (model && job, FALSE);
  if (!job->read || !job->write)
    {
      g_set_error (error, SR_ERROR, SR_ERROR_INVALID, "read and write callbacks are required");
      return FALSE;
    }
  if (job->threads < 0 || job->tile_size < 0)
    {
      g_set_error (error, SR_ERROR, SR_ERROR_INVALID, "threads and tile size must not be negative");
      return FALSE;
    }
  if (!sr_output_size (model, job->width, job->height, &ow, &oh, error))
    return FALSE;

  arena = sr_arena_new ();
  in = sr_arena_tensor (arena, 3, padded_side (arch, job->height), padded_side (arch, job->width), error);
  if (in && read_input (model, job, in, error) &&
      (out = arch->forward (model, in, arena, &run, error)))
    ok = write_output (model, job, out, ow, oh, error);
  sr_arena_free (arena);
  return ok;
}
