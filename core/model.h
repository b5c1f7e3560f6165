/* Internal view of a loaded model: metadata, tensor directory, and the
 * architecture that runs it.  Only core/ sees this header. */
#ifndef SR_MODEL_H
#define SR_MODEL_H

#include "sr.h"
#include "layers.h"
#include "tensor.h"

typedef struct
{
  char        *name;
  int          ndim;
  int          shape[4];
  gsize        n;          /* number of floats */
  gsize        offset;     /* bytes from the start of the data section */
  const float *data;
  gboolean     used;       /* claimed by the architecture */
} SrTensorInfo;

typedef struct _SrArch SrArch;
typedef struct _SrRun  SrRun;

struct _SrModel
{
  char        *label;          /* file name, for messages */
  guint8      *owned;          /* the whole file, read into memory (DATA_ALIGN-aligned) */
  const guint8 *bytes;
  gsize        size;

  char        *architecture;
  int          scale, channels, blocks;
  float        input_range;
  GHashTable  *strings;        /* string metadata: key -> value */
  GHashTable  *tensors;        /* name -> SrTensorInfo* */

  const SrArch *arch;
  gpointer     arch_state;     /* the architecture's resolved layer table */
  gsize        n_params;
  double       macs_per_pixel; /* accumulated by the architecture while preparing */
  double       set5_psnr;      /* metadata training.set5_psnr_y, 0 if absent */
  GPtrArray   *derived;        /* weights derived at load (packs, slices), freed with the model */
  SrConvPack  *packs;          /* every pack in derived, linked through ->next (precision.c) */
  SrPrecision  precision;      /* fp32 or bf16, once precision_chosen */
  gboolean     precision_chosen;
  gboolean     probe_only;     /* sr_model_probe's: tensors read zeros, nothing is packed */
};

/* Per-run state shared by the architectures: cancellation and progress. */
struct _SrRun
{
  SrCancelFunc   cancel;
  SrProgressFunc progress;
  gpointer       user_data;
  int            steps_total, steps_done;
  gint          *shared_steps;   /* if set, also counted here (atomically) */
};

/* Counts a step (a block) done, reports progress and polls cancellation. */
gboolean sr_run_step (SrRun *run, GError **error);

struct _SrArch
{
  const char *name;
  /* Finds every tensor the architecture needs, checks its shape against the
   * metadata and returns a table of layers (or NULL with @error). */
  gpointer  (*prepare)    (SrModel *model, GError **error);
  /* sr_run_step() calls one forward pass makes beyond one per block. */
  int       extra_steps;
  /* Input (3, h, w) in the model's input range -> output (3, h*s, w*s). */
  SrTensor *(*forward)    (const SrModel *model, const SrTensor *input,
                           SrArena *arena, SrRun *run, GError **error);
  int       size_multiple;        /* input sides must be multiples of this */
  int       min_size;             /* input sides at least this */
  /* Input pixels of context a tile needs around its core: the receptive
   * radius for local networks, a measured compromise for the others
   * (docs/tiling.md). */
  int       (*halo)       (const SrModel *model);
  /* Peak number of live floats per input pixel during a forward pass:
   * sizes tiles to a memory budget. */
  double    (*floats_per_pixel) (const SrModel *model);
  /* TRUE when every output pixel depends only on a bounded neighbourhood,
   * so tiled output equals whole-image output. */
  gboolean  local;
};

extern const SrArch sr_arch_imdn, sr_arch_imdn_as, sr_arch_imdn_rtc,
                    sr_arch_rfdn, sr_arch_ecbsr;

/* For prepare(): claims "<prefix>.weight" [cout, cin, k, k] and "<prefix>.bias"
 * [cout], fills @conv, and adds its multiply-adds (times @area, the layer's
 * resolution relative to the input) to the model's cost. */
gboolean sr_model_take_conv (SrModel *model, SrConv *conv, double area,
                             int cout, int cin, int k, int stride, int pad,
                             GError **error, const char *prefix_fmt, ...) G_GNUC_PRINTF (10, 11);
/* Frees @mem (g_malloc'd) with the model; returns it. */
gpointer sr_model_keep (SrModel *model, gpointer mem);
/* Packs @conv's weights for the kernels in use, owned by the model. */
void sr_model_pack_conv (SrModel *model, SrConv *conv);
/* Links a pack sr_model_pack_conv made into the model's precision (precision.c). */
void sr_precision_adopt (SrModel *model, SrConvPack *pack);
/* Claims a 1-D tensor of @n floats. */
const float *sr_model_take_vector (SrModel *model, int n, GError **error,
                                   const char *name_fmt, ...) G_GNUC_PRINTF (4, 5);

/* Output scale of a forward pass (1 for same-size models). */
int sr_model_output_scale (const SrModel *model);

#endif
