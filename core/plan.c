/* The run plan: route, sizes, tile grids and threads of one run, decided
 * here once (sr_plan_new) from the model(s), the job's sizes and settings
 * and the target.  The executor only follows it (sr_plan_run), and the
 * dialog shows the same value, so what the summary says is what runs. */
#include "plan.h"
#include "model.h"
#include "tiler.h"
#include "tta.h"
#include "resample.h"

/* Largest intermediate image (floats) of a chained run, e.g. a x4 model's
 * output that a x2 model takes to x8: 1 GiB is a 9400 x 9400 intermediate
 * (a ~2300 x 2300 input at x4).  Larger runs resample the first model's
 * output instead. */
#define CHAIN_BUDGET_BYTES ((gint64) 1 << 30)

/* How many memory-budget tiles (non-local networks) run at once; the rest
 * of the threads split their layers. */
#define MAX_BIG_WORKERS 2

gboolean
sr_output_size (const SrModel *model, int width, int height, int *out_width, int *out_height,
                GError **error)
{
  int s = sr_model_output_scale (model);

  if (width < 1 || height < 1 || width > SR_MAX_INPUT_SIDE || height > SR_MAX_INPUT_SIDE)
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

static int
padded_side (const SrArch *arch, int side)
{
  side = MAX (side, arch->min_size);
  return (side + arch->size_multiple - 1) / arch->size_multiple * arch->size_multiple;
}

/* Sizes, threads and tile size in range, and a scale of 1 to 8. */
static gboolean
check_sizes (const SrModel *model, const SrJob *job, int target_w, int target_h, GError **error)
{
  if (job->threads < 0 || job->threads > 256 || job->tile_size < 0 || job->tile_size > SR_MAX_INPUT_SIDE)
    {
      g_set_error (error, SR_ERROR, SR_ERROR_INVALID,
                   "threads must be 0..256 and the tile size 0..%d", SR_MAX_INPUT_SIDE);
      return FALSE;
    }
  if (!sr_output_size (model, job->width, job->height, NULL, NULL, error))
    return FALSE;
  if (target_w < job->width || target_h < job->height ||
      target_w > 8 * (gint64) job->width || target_h > 8 * (gint64) job->height ||
      target_w > 8 * SR_MAX_INPUT_SIDE || target_h > 8 * SR_MAX_INPUT_SIDE)
    {
      g_set_error (error, SR_ERROR, SR_ERROR_INVALID, "cannot scale %d x %d to %d x %d: the scale "
                   "must be 1 to 8", job->width, job->height, target_w, target_h);
      return FALSE;
    }
  return TRUE;
}

/* One network over in_w x in_h, its output resampled to target_w x
 * target_h where that differs: the geometry the scheduler runs. */
static void
plan_stage (SrPlanStage *st, const SrModel *model, const SrJob *job, int threads,
            int in_w, int in_h, int target_w, int target_h)
{
  const SrArch *arch = model->arch;
  SrTileOutput *o = &st->output;

  st->model = model;
  st->in_w = in_w;
  st->in_h = in_h;
  o->scale = sr_model_output_scale (model);
  o->out_w = in_w * o->scale;
  o->out_h = in_h * o->scale;
  o->target_w = target_w;
  o->target_h = target_h;
  o->resample = target_w != o->out_w || target_h != o->out_h;
  o->clamp = !job->unclamped;
  o->input_range = model->input_range;
  st->pad_w = padded_side (arch, in_w);
  st->pad_h = padded_side (arch, in_h);
  if (job->tile_size > 0)
    st->tile_w = st->tile_h = job->tile_size;
  else
    sr_tiler_auto_size (model, st->pad_w, st->pad_h, threads,
                        job->tile_budget_mb > 0 ? job->tile_budget_mb * 1024 * 1024
                                                : SR_TILE_BUDGET_BYTES,
                        &st->tile_w, &st->tile_h);
  st->halo = arch->halo (model);
  if (o->resample)
    {
      /* The resampling kernel reads this far past a tile's core: that
       * margin of network output must be exact too. */
      int reach = MAX (sr_resample_radius (o->out_w, target_w), sr_resample_radius (o->out_h, target_h));
      st->halo += (reach + o->scale - 1) / o->scale + 1;
    }
  /* Tile origins on even pixels at least: the Winograd convolution's 2x2
   * output tiles (winograd.h) then fall on the same grid as in the whole
   * image, so a pixel gets the same arithmetic whichever tile computes it. */
  st->tiles = sr_tiler_plan (st->pad_w, st->pad_h, st->tile_w, st->tile_h, st->halo,
                             arch->size_multiple % 2 ? 2 * arch->size_multiple : arch->size_multiple,
                             arch->min_size);
  st->tiles_x = 0;
  while (st->tiles_x < (int) st->tiles->len &&
         g_array_index (st->tiles, SrTile, st->tiles_x).core.y == 0)
    st->tiles_x++;
  st->tiles_y = st->tiles_x ? (int) st->tiles->len / st->tiles_x : 0;
  /* Workers: one per thread for local networks (their tiles are small);
   * at most MAX_BIG_WORKERS memory-budget tiles at once for the others, so
   * their memory does not grow with the core count.  Threads beyond the
   * workers (or the tiles) split each tile's layers. */
  st->workers = arch->local ? threads : MIN (threads, MAX_BIG_WORKERS);
  st->workers = CLAMP (st->workers, 1, (int) st->tiles->len);
  st->team_width = MAX (1, threads / st->workers);
  st->total_steps = (gint64) st->tiles->len * (model->blocks + arch->extra_steps) *
                    (job->tta ? SR_TTA_VIEWS : 1);
}

/* Whether @second goes over @first's output: a target larger than @first
 * makes on both axes, with the intermediate image within the budget. */
static gboolean
chain_fits (int s1, const SrJob *job, int target_w, int target_h)
{
  const gint64 mid_w = (gint64) job->width * s1, mid_h = (gint64) job->height * s1;

  return s1 >= 2 && target_w > mid_w && target_h > mid_h &&
         mid_w * mid_h * 3 * (gint64) sizeof (float) <= CHAIN_BUDGET_BYTES &&
         mid_w <= SR_MAX_INPUT_SIDE && mid_h <= SR_MAX_INPUT_SIDE &&
         target_w <= mid_w * 2 && target_h <= mid_h * 2;
}

SrPlan *
sr_plan_new (const SrModel *model, const SrModel *second, const SrJob *job,
             int target_w, int target_h, GError **error)
{
  SrPlan *plan;
  int s;

  g_return_val_if_fail (model && job, NULL);
  if (!check_sizes (model, job, target_w, target_h, error))
    return NULL;
  s = sr_model_output_scale (model);
  if (second && sr_model_output_scale (second) != 2)
    {
      g_set_error (error, SR_ERROR, SR_ERROR_INVALID, "the second model of a chain must be a x2 "
                   "model, not x%d (%s)", sr_model_output_scale (second),
                   sr_model_get_architecture (second));
      return NULL;
    }
  if (s == 1 && (target_w > SR_MAX_INPUT_SIDE || target_h > SR_MAX_INPUT_SIDE))
    {
      g_set_error (error, SR_ERROR, SR_ERROR_INVALID, "%d x %d is too large for a same-size "
                   "model (at most %d a side)", target_w, target_h, SR_MAX_INPUT_SIDE);
      return NULL;
    }

  plan = g_new0 (SrPlan, 1);
  plan->width = job->width;
  plan->height = job->height;
  plan->target_w = target_w;
  plan->target_h = target_h;
  plan->threads = job->threads > 0 ? job->threads : (int) g_get_num_processors ();
  plan->tta = job->tta;
  plan->unclamped = job->unclamped;
  plan->n_stages = 1;
  plan->first_share = 1.0;

  if (second && chain_fits (s, job, target_w, target_h))
    {
      /* The x2 model goes over the first's output instead of a cubic.  The
       * x2 models learnt to undo a bicubic downscale, not a x4 model's
       * softness, which is why this is not the default (sr.h). */
      const double work1 = model->macs_per_pixel, work2 = second->macs_per_pixel * s * s;
      plan->route = SR_ROUTE_CHAIN;
      plan->n_stages = 2;
      plan->first_share = work1 + work2 > 0 ? work1 / (work1 + work2) : 0.5;
      plan_stage (&plan->stages[0], model, job, plan->threads, job->width, job->height,
                  job->width * s, job->height * s);
      plan_stage (&plan->stages[1], second, job, plan->threads, job->width * s, job->height * s,
                  target_w, target_h);
    }
  else if (s == 1 && (target_w != job->width || target_h != job->height))
    {
      /* Same-size restoration models run on the input already resized. */
      plan->route = SR_ROUTE_SAME_SIZE;
      plan_stage (&plan->stages[0], model, job, plan->threads, target_w, target_h,
                  target_w, target_h);
    }
  else
    {
      plan_stage (&plan->stages[0], model, job, plan->threads, job->width, job->height,
                  target_w, target_h);
      plan->route = plan->stages[0].output.resample ? SR_ROUTE_RESAMPLE : SR_ROUTE_DIRECT;
    }
  return plan;
}

void
sr_plan_free (SrPlan *plan)
{
  if (!plan)
    return;
  for (int i = 0; i < plan->n_stages; i++)
    g_array_unref (plan->stages[i].tiles);
  g_free (plan);
}

SrRoute
sr_plan_get_route (const SrPlan *plan)
{
  return plan->route;
}

int
sr_plan_get_threads (const SrPlan *plan)
{
  return plan->threads;
}

int
sr_plan_get_n_stages (const SrPlan *plan)
{
  return plan->n_stages;
}

int
sr_plan_get_n_tiles (const SrPlan *plan)
{
  int n = 0;

  for (int i = 0; i < plan->n_stages; i++)
    n += (int) plan->stages[i].tiles->len;
  return n;
}

gboolean
sr_plan_get_stage (const SrPlan *plan, int index, SrPlanStageInfo *info)
{
  const SrPlanStage *st;

  if (index < 0 || index >= plan->n_stages)
    return FALSE;
  st = &plan->stages[index];
  info->in_w = st->in_w;
  info->in_h = st->in_h;
  info->out_w = st->output.out_w;
  info->out_h = st->output.out_h;
  info->target_w = st->output.target_w;
  info->target_h = st->output.target_h;
  info->tile_w = g_array_index (st->tiles, SrTile, 0).core.w;
  info->tile_h = g_array_index (st->tiles, SrTile, 0).core.h;
  info->tiles_x = st->tiles_x;
  info->tiles_y = st->tiles_y;
  info->workers = st->workers;
  info->macs = st->model->macs_per_pixel * st->in_w * st->in_h * (plan->tta ? SR_TTA_VIEWS : 1);
  return TRUE;
}

double
sr_plan_get_macs (const SrPlan *plan)
{
  double macs = 0;
  SrPlanStageInfo info;

  for (int i = 0; sr_plan_get_stage (plan, i, &info); i++)
    macs += info.macs;
  return macs;
}
