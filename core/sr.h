/* gimp-sr core: super-resolution inference, independent of GIMP.
 *
 * The one public header of libsrcore.  Pixels cross this API as interleaved
 * RGB floats in 0..1 in the sRGB (perceptual) encoding the models were trained
 * on; the core maps them to the model's own input range.  Errors are GErrors
 * in the SR_ERROR domain whose message names the problem (and the file, for
 * model files); cancellation is its own code so callers can stay quiet.
 */
#ifndef SR_H
#define SR_H

#include <glib.h>

G_BEGIN_DECLS

#define SR_ERROR (sr_error_quark ())
GQuark sr_error_quark (void);

typedef enum
{
  SR_ERROR_IO,          /* a file could not be read */
  SR_ERROR_FORMAT,      /* a model file is malformed */
  SR_ERROR_INVALID,     /* an argument is out of range */
  SR_ERROR_NOMEM,       /* an allocation failed or would be absurdly large */
  SR_ERROR_CALLBACK,    /* a read or write callback reported failure */
  SR_ERROR_CANCELLED    /* the cancel hook asked to stop */
} SrErrorCode;

typedef struct _SrModel SrModel;

/* Loads and fully validates a model file (see docs/model-format.md).
 * Returns NULL with @error set on any problem. */
SrModel    *sr_model_load          (const char *path, GError **error);
/* The same from memory; @data is copied.  @name is used in messages. */
SrModel    *sr_model_load_from_data (const void *data, gsize size,
                                    const char *name, GError **error);
void        sr_model_free          (SrModel *model);

const char *sr_model_get_architecture (const SrModel *model);
int         sr_model_get_scale        (const SrModel *model);
/* A metadata string (name, description, provenance, licence, ...), or NULL. */
const char *sr_model_get_meta_string  (const SrModel *model, const char *key);
/* Number of learned parameters. */
gsize       sr_model_get_n_params     (const SrModel *model);
/* Multiply-adds per input pixel: the cost figure the UI and the benchmarks quote. */
double      sr_model_get_macs_per_pixel (const SrModel *model);
/* The Set5 PSNR-Y (dB) the training export recorded in the metadata, 0 if none. */
double      sr_model_get_set5_psnr    (const SrModel *model);

/* The caller fills @dst (w*h*3 floats, rows of w RGB pixels, 0..1) with the
 * input rectangle (x, y, w, h), which always lies inside the image.
 * Return FALSE (and set @error) to abort the run. */
typedef gboolean (*SrReadFunc)  (gpointer user_data, int x, int y, int w, int h,
                                 float *dst, GError **error);
/* The core hands over a finished output rectangle in output coordinates,
 * same layout as above, values clamped to 0..1. */
typedef gboolean (*SrWriteFunc) (gpointer user_data, int x, int y, int w, int h,
                                 const float *src, GError **error);
/* Called with the fraction done (0..1). */
typedef void     (*SrProgressFunc) (gpointer user_data, double fraction);
/* Polled between layers and tiles; return TRUE to stop (SR_ERROR_CANCELLED). */
typedef gboolean (*SrCancelFunc)   (gpointer user_data);

typedef struct
{
  int            width, height;   /* input size in pixels */
  SrReadFunc     read;
  SrWriteFunc    write;
  SrProgressFunc progress;        /* may be NULL */
  SrCancelFunc   cancel;          /* may be NULL */
  gpointer       user_data;
  int            threads;         /* 0 = all cores */
  int            tile_size;       /* input pixels per tile side, 0 = automatic */
  gboolean       tta;             /* average the 8 flips/rotations (8x slower) */
  gboolean       unclamped;       /* hand over the network's raw output, not clamped to
                                   * 0..1 (tests compare it with PyTorch) */
  double         tile_budget_mb;  /* memory for one tile's feature maps when the tile
                                   * size is automatic; 0 = the default (448 MiB).
                                   * Tests shrink it to force many tiles. */
  gboolean       rw_on_workers;   /* read and write run on the tile workers (several at
                                   * once, for different tiles) instead of the calling
                                   * thread, so their arithmetic (an image layer's alpha)
                                   * runs in parallel; whatever in them must stay on the
                                   * calling thread goes through sr_call_on_caller */
} SrJob;

/* From a read or write of a job with rw_on_workers: runs fn (data, error)
 * on the thread that called sr_upscale and returns its result, the worker
 * waiting meanwhile (GIMP's I/O, a sink that is not thread-safe).  After the
 * run stopped (a cancel, a failure elsewhere) @fn is not called and this
 * fails with SR_ERROR_CANCELLED, so nothing more is written.  Outside a
 * run's worker it just calls @fn. */
typedef gboolean (*SrCallerFunc) (gpointer data, GError **error);
gboolean    sr_call_on_caller (SrCallerFunc fn, gpointer data, GError **error);

/* Upscales job->width x job->height by the model's scale.  Every callback
 * (read, write, progress, cancel) runs on the thread that called this, never
 * on a worker, so a caller whose I/O is not thread-safe (GIMP's wire) needs
 * no locking of its own; read and write run on the workers only when the
 * job asks (rw_on_workers).  On failure nothing more is written and @error
 * says why. */
gboolean    sr_upscale (const SrModel *model, const SrJob *job, GError **error);

/* Upscales to target_w x target_h, any size from 1x to 8x the input (each
 * axis on its own).  A same-size model (imdn_as) runs on the input resized
 * (cubic) to the target; any other runs at its own scale and its output is
 * resampled to the target: cubic, antialiased when shrinking.  For the best
 * result pick the model of the next larger integer scale. */
gboolean    sr_upscale_to (const SrModel *model, const SrJob *job, int target_w, int target_h,
                           GError **error);

/* sr_upscale_to, with @second (a x2 model, e.g. the one
 * sr_catalog_default_id_in (2, ...) names) run over @first's output for
 * targets larger than @first's scale on both axes (x5 to x8 from a x4
 * model).  @first's output is held in memory (up to 1 GiB of it); larger
 * runs, or @second NULL, go as sr_upscale_to.  Not the default: on
 * Set5/Set14 at x8 it scored 0.02 dB below the cubic (tools/eval-any-scale).
 * The caller loads both models; the core reads no catalogue during a run. */
gboolean    sr_upscale_chain (const SrModel *first, const SrModel *second, const SrJob *job,
                              int target_w, int target_h, GError **error);

/* ---- The run plan: what a run will do, decided before it starts ---- */

/* How a run gets from the input to the target size. */
typedef enum
{
  SR_ROUTE_DIRECT,     /* the model at its own scale is the target */
  SR_ROUTE_RESAMPLE,   /* the model at its own scale, resampled (cubic) to the target */
  SR_ROUTE_SAME_SIZE,  /* a same-size model on the input resized (cubic) to the target */
  SR_ROUTE_CHAIN       /* the first model, then the second (x2) over its output */
} SrRoute;

typedef struct _SrPlan SrPlan;

/* Plans the run sr_upscale_chain (@second may be NULL: sr_upscale_to)
 * would make: route, sizes, tile grids, threads.  Reads job->width,
 * height, threads, tile_size, tile_budget_mb, tta and unclamped, never the
 * callbacks (a dialog plans without any).  NULL with @error set for
 * settings the run would refuse.  The models must outlive the plan. */
SrPlan     *sr_plan_new      (const SrModel *model, const SrModel *second, const SrJob *job,
                              int target_w, int target_h, GError **error);
/* Runs @plan with @job's callbacks; @job must be the one planned (same
 * sizes and settings).  sr_upscale_to and sr_upscale_chain are
 * sr_plan_new + sr_plan_run. */
gboolean    sr_plan_run      (const SrPlan *plan, const SrJob *job, GError **error);
void        sr_plan_free     (SrPlan *plan);

SrRoute     sr_plan_get_route    (const SrPlan *plan);
/* The threads the run uses (job->threads, or all cores for 0). */
int         sr_plan_get_threads  (const SrPlan *plan);
/* Networks run one after the other: 2 for SR_ROUTE_CHAIN, else 1. */
int         sr_plan_get_n_stages (const SrPlan *plan);
/* Tiles the networks run on, all stages together. */
int         sr_plan_get_n_tiles  (const SrPlan *plan);

typedef struct
{
  int    in_w, in_h;          /* what the network reads (for SR_ROUTE_SAME_SIZE the input
                               * resized to the target) */
  int    out_w, out_h;        /* the network's output, at its own scale */
  int    target_w, target_h;  /* what this stage hands on (resampled where it differs) */
  int    tile_w, tile_h;      /* core size of the first (largest) tile, in input pixels */
  int    tiles_x, tiles_y;    /* the tile grid */
  int    workers;             /* tiles run at once */
  double macs;                /* multiply-adds of the network over in_w x in_h (8 times
                               * that with TTA), halos not counted */
} SrPlanStageInfo;

/* Stage @index (0 first); FALSE if there is none. */
gboolean    sr_plan_get_stage    (const SrPlan *plan, int index, SrPlanStageInfo *info);
/* Multiply-adds of the whole run: the sum of the stages' macs. */
double      sr_plan_get_macs     (const SrPlan *plan);

/* ---- Precision: the arithmetic a model's convolutions run in ---- */

typedef enum
{
  SR_PRECISION_AUTO,   /* bf16 where the CPU has native bf16 and the model's kind is
                        * proven within 0.01 dB PSNR-Y of fp32 by the tests; else fp32 */
  SR_PRECISION_FP32,
  SR_PRECISION_BF16    /* bfloat16 products, fp32 sums: about twice as fast */
} SrPrecision;

/* A loaded model starts in the precision $SR_PRECISION names ("auto",
 * "fp32", "bf16"; auto when unset).  Set it between runs, never during one.
 * bf16 on a CPU without AVX512_BF16 fails with SR_ERROR_INVALID and leaves
 * the model as it was.  Results are deterministic in each precision,
 * whatever the threads and tiles. */
gboolean    sr_model_set_precision  (SrModel *model, SrPrecision precision, GError **error);
/* What the model runs in now: SR_PRECISION_FP32 or SR_PRECISION_BF16. */
SrPrecision sr_model_get_precision  (const SrModel *model);
/* TRUE if this CPU runs the bf16 kernels. */
gboolean    sr_cpu_has_bf16         (void);
/* "auto", "fp32", "bf16" (any case) to the enum, FALSE for anything else. */
gboolean    sr_precision_from_string (const char *name, SrPrecision *precision);
const char *sr_precision_to_string  (SrPrecision precision);

/* Gives back what the core keeps between runs for speed: the thread pool,
 * its threads, the threads' scratch memory and the feature-map blocks kept
 * for the next run.  For
 * a long-lived process that goes idle (the dialog).  Never during a run;
 * the next run makes them again. */
void        sr_cache_trim (void);
/* Everything process-wide the core holds, at the end of a process (leak
 * checkers then see nothing of ours); the core stays usable. */
void        sr_shutdown (void);

/* Output size for an input size, or FALSE (with @error) if it is out of
 * range for the model (too small, too large). */
gboolean    sr_output_size (const SrModel *model, int width, int height,
                            int *out_width, int *out_height, GError **error);

/* Largest input side the core accepts (so width*height*scale^2*3 floats fit). */
#define SR_MAX_INPUT_SIDE 65536


/* ---- Model catalogue: shipped models by id, plus the user's own files ---- */

typedef struct
{
  char  *id;            /* file name without ".srm", e.g. "imdn-x4" */
  char  *path;
  char  *name;          /* metadata "name" */
  char  *description;   /* metadata "description" */
  char  *architecture;
  int    scale;
  gsize  n_params;
  double macs_per_pixel;
  double set5_psnr;     /* as sr_model_get_set5_psnr */
} SrModelInfo;

void        sr_model_info_free (SrModelInfo *info);

/* What a model file says about itself, from its header alone: the weights
 * are neither read nor checked (sr_model_load does that when the model is
 * used), so listing models costs a few kilobytes per file.  The header is
 * validated as fully as at load, and the architecture must accept the
 * tensors' names and shapes.  Returns NULL with @error set on a problem. */
SrModelInfo *sr_model_probe    (const char *path, GError **error);

/* Every loadable *.srm in the search path, first occurrence of an id wins.
 * The search path is: each folder in $SR_MODEL_PATH (':'-separated), then
 * @extra_dirs (NULL-terminated, may be NULL), then the installed models
 * folder.  Broken files are skipped (and reported through g_warning).
 * Returns a GPtrArray of SrModelInfo* that frees its elements. */
GPtrArray  *sr_catalog_scan    (const char *const *extra_dirs);

/* Turns a model id ("imdn-x4") or a path to a file into a path, or NULL
 * with @error naming what was searched. */
char       *sr_catalog_resolve (const char *id_or_path,
                                const char *const *extra_dirs, GError **error);

/* The id of the best installed shipped model for an integer scale 2..4:
 * quality family first, then fast, then the same at larger scales (run
 * through sr_upscale_to, their output is resampled to the scale asked for).
 * NULL for other scales; an id that does not resolve if none is installed. */
const char *sr_catalog_default_id (int scale);
/* The same, with @extra_dirs searched as in sr_catalog_scan (a plug-in
 * installed in a user's profile keeps its models beside itself). */
const char *sr_catalog_default_id_in (int scale, const char *const *extra_dirs);
/* The photo model (trained on JPEG, noisy and blurred inputs) for exactly
 * @scale if one is installed, else NULL: the default for images that came
 * from a JPEG file, where the clean default would sharpen the blocks. */
const char *sr_catalog_photo_id_in (int scale, const char *const *extra_dirs);

G_END_DECLS

#endif /* SR_H */
