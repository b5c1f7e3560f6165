/* Layer upscaling on top of sr_upscale_to(); see sr-layer-upscale.h. */
#include <string.h>

#include "resample.h"
#include "sr-layer-upscale.h"
#include "sr-transparent-fill.h"

/* What every callback of one layer upscale is handed: the caller's request
 * and the result's size. */
typedef struct
{
  const SrLayerUpscale *request;
  int                   out_width, out_height;   /* the whole result */
} LayerContext;

/* read_colour and write_result run on the core's tile workers, several at
 * once (SrJob.rw_on_workers): the transparent fill and the alpha's cubic
 * are most of what alpha costs, and on the calling thread they held up
 * every worker's I/O.  Only the source's and sink's own calls go to the
 * calling thread (sr_call_on_caller): GIMP's wire takes one thread.  So
 * every buffer here belongs to one call. */

/* @n_floats for one call, or NULL with @error set: a tile's worth of
 * memory that cannot be had fails the run, it does not abort GIMP's
 * plug-in process with no message. */
static float *
tile_buffer (gsize n_floats, GError **error)
{
  float *buffer = g_try_new (float, n_floats);

  if (!buffer)
    g_set_error (error, SR_ERROR, SR_ERROR_NOMEM,
                 "out of memory for a %" G_GSIZE_FORMAT "-pixel tile", n_floats / 4);
  return buffer;
}

/* One source or sink call, made on the calling thread. */
typedef struct
{
  const LayerContext *layer;
  int                 x, y, w, h;
  float              *rgba;
} RgbaCall;

static gboolean
source_read_on_caller (gpointer data, GError **error)
{
  RgbaCall *c = data;
  const SrRgbaSource *src = c->layer->request->source;
  return src->read_rgba (src->user_data, c->x, c->y, c->w, c->h, c->rgba, error);
}

static gboolean
sink_write_on_caller (gpointer data, GError **error)
{
  RgbaCall *c = data;
  const SrRgbaSink *sink = c->layer->request->sink;
  return sink->write_rgba (sink->user_data, c->x, c->y, c->w, c->h, c->rgba, error);
}

/* Reads (x, y, w, h) grown by @margin (clipped to the image) into a new
 * buffer (g_free it); returns the grown rectangle through the
 * out-parameters. */
static float *
read_grown (const LayerContext *layer, int x, int y, int w, int h, int margin,
            int *gx, int *gy, int *gw, int *gh, GError **error)
{
  const SrRgbaSource *src = layer->request->source;
  int x0 = MAX (x - margin, 0), y0 = MAX (y - margin, 0);
  int x1 = MIN (x + w + margin, src->width), y1 = MIN (y + h + margin, src->height);
  float *rgba = tile_buffer ((gsize) (x1 - x0) * (y1 - y0) * 4, error);

  if (!rgba)
    return NULL;
  if (!sr_call_on_caller (source_read_on_caller,
                          &(RgbaCall) { layer, x0, y0, x1 - x0, y1 - y0, rgba }, error))
    {
      g_free (rgba);
      return NULL;
    }
  *gx = x0;
  *gy = y0;
  *gw = x1 - x0;
  *gh = y1 - y0;
  return rgba;
}

static gboolean
read_colour (gpointer user_data, int x, int y, int w, int h, float *dst, GError **error)
{
  const LayerContext *layer = user_data;
  /* Only layers with alpha need the neighbourhood the fill looks at. */
  int    margin = layer->request->source->has_alpha ? SR_TRANSPARENT_FILL_RADIUS : 0;
  int    gx, gy, gw, gh;
  float *rgba = read_grown (layer, x, y, w, h, margin, &gx, &gy, &gw, &gh, error);

  if (!rgba)
    return FALSE;
  if (layer->request->source->has_alpha)
    sr_transparent_fill (rgba, gw, gh, SR_TRANSPARENT_FILL_RADIUS);

  for (int j = 0; j < h; j++)
    {
      const float *s = rgba + ((gsize) (y - gy + j) * gw + (x - gx)) * 4;
      float       *d = dst + (gsize) j * w * 3;

      for (int i = 0; i < w; i++, s += 4, d += 3)
        {
          d[0] = s[0];
          d[1] = s[1];
          d[2] = s[2];
        }
    }
  g_free (rgba);
  return TRUE;
}

/* Fills the alpha channel of the output rectangle in @out_rgba: the core's
 * cubic (Keys, a = -0.5, i.e. Catmull-Rom when enlarging) at the pixel
 * centres GIMP's own scale uses, (o + 0.5) * in / out - 0.5, edges
 * replicated; clamped to 0..1 with flat areas exact (resample.h). */
static gboolean
upscale_alpha (const LayerContext *layer, int x, int y, int w, int h, float *out_rgba, GError **error)
{
  const SrRgbaSource *src = layer->request->source;
  SrResampleAxis ax = { 0 }, ay = { 0 };
  int x0, x1, y0, y1, gx, gy, gw, gh;
  float *in = NULL;
  gboolean ok;

  ok = sr_resample_axis_init (&ax, src->width, layer->out_width, x, w, 0, src->width) &&
       sr_resample_axis_init (&ay, src->height, layer->out_height, y, h, 0, src->height);
  if (ok)
    {
      sr_resample_axis_span (&ax, &x0, &x1);
      sr_resample_axis_span (&ay, &y0, &y1);
      in = read_grown (layer, x0, y0, x1 - x0, y1 - y0, 0, &gx, &gy, &gw, &gh, error);
    }
  else
    g_set_error (error, SR_ERROR, SR_ERROR_NOMEM, "out of memory for the alpha resampling");
  if (in)
    {
      SrResampleBlock block = { in + 3, gw, gh, gx, gy, 4, 1 };
      ok = sr_resample_block (&block, 1, &ax, &ay, SR_RESAMPLE_UNIT_RANGE, out_rgba + 3, 4);
      if (!ok)
        g_set_error (error, SR_ERROR, SR_ERROR_NOMEM, "out of memory for the alpha resampling");
    }
  g_free (in);
  sr_resample_axis_clear (&ax);
  sr_resample_axis_clear (&ay);
  return in && ok;
}

static gboolean
write_result (gpointer user_data, int x, int y, int w, int h, const float *src, GError **error)
{
  const LayerContext *layer = user_data;
  gsize      n = (gsize) w * h;
  float     *rgba = tile_buffer (n * 4, error);
  gboolean   grey = layer->request->source->is_grey, ok;

  if (!rgba)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    {
      const float *s = src + i * 3;
      float       *d = rgba + i * 4;

      if (grey)
        d[0] = d[1] = d[2] = (s[0] + s[1] + s[2]) / 3.0f;
      else
        memcpy (d, s, 3 * sizeof (float));
      d[3] = 1.0f;
    }

  ok = (!layer->request->source->has_alpha || upscale_alpha (layer, x, y, w, h, rgba, error)) &&
       sr_call_on_caller (sink_write_on_caller, &(RgbaCall) { layer, x, y, w, h, rgba }, error);
  g_free (rgba);
  return ok;
}

/* Opaque RGB with a source and sink that take R'G'B' as it is: no RGBA
 * staging, no alpha, no copies (the network's time is what is left). */
static gboolean
read_direct (gpointer user_data, int x, int y, int w, int h, float *dst, GError **error)
{
  LayerContext *layer = user_data;
  return layer->request->source->read_rgb (layer->request->source->user_data, x, y, w, h, dst, error);
}

static gboolean
write_direct (gpointer user_data, int x, int y, int w, int h, const float *src, GError **error)
{
  LayerContext *layer = user_data;
  return layer->request->sink->write_rgb (layer->request->sink->user_data, x, y, w, h, src, error);
}

/* The core hands one user_data to every callback; these pass progress and
 * cancel on to the caller's own data. */
static void
forward_progress (gpointer user_data, double fraction)
{
  LayerContext *layer = user_data;
  layer->request->progress (layer->request->callback_data, fraction);
}

static gboolean
forward_cancel (gpointer user_data)
{
  LayerContext *layer = user_data;
  return layer->request->cancel (layer->request->callback_data);
}

gboolean
sr_layer_upscale (const SrLayerUpscale *request, GError **error)
{
  LayerContext layer = { .request = request };
  SrJob        core_job = { 0 };
  gboolean     ok;

  if (request->target_width > 0 && request->target_height > 0)
    {
      layer.out_width = request->target_width;
      layer.out_height = request->target_height;
    }
  else if (!sr_output_size (request->model, request->source->width, request->source->height,
                            &layer.out_width, &layer.out_height, error))
    return FALSE;

  core_job.width = request->source->width;
  core_job.height = request->source->height;
  if (!request->source->has_alpha && !request->source->is_grey &&
      request->source->read_rgb && request->sink->write_rgb)
    {
      core_job.read = read_direct;
      core_job.write = write_direct;
    }
  else
    {
      core_job.read = read_colour;
      core_job.write = write_result;
      core_job.rw_on_workers = TRUE;
    }
  core_job.progress = request->progress ? forward_progress : NULL;
  core_job.cancel = request->cancel ? forward_cancel : NULL;
  core_job.threads = request->threads;
  core_job.tile_size = request->tile_size;
  core_job.tta = request->tta;
  core_job.user_data = &layer;

  ok = sr_upscale_chain (request->model, request->chain_model, &core_job,
                         layer.out_width, layer.out_height, error);

  return ok;
}
