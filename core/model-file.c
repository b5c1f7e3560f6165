/* Reading and validating model files (docs/model-format.md).
 *
 * Everything in a file is untrusted: each field is checked before it is used,
 * and every failure becomes an SR_ERROR_FORMAT naming the file and the problem. */
#include "model.h"
#include "kernels.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#define MAGIC            "GIMPSRM"   /* plus its terminating NUL: 8 bytes */
#define FORMAT_VERSION   1
#define PREAMBLE_SIZE    16
#define DATA_ALIGN       64
#define MAX_HEADER       (16u << 20)
#define MAX_DIM          (1 << 20)
#define MAX_ELEMENTS     ((gsize) 1 << 28)
/* Our headers nest 6 deep (root, metadata, training, stages, a stage, a
 * list in it).  json-glib's parser recurses without a limit, so a header of
 * 100k '[' crashed the process before it could say anything. */
#define MAX_JSON_DEPTH   64
/* Far above any real model (the largest shipped one is ~3 MB); the whole
 * file is read into memory. */
#define MAX_FILE_SIZE    ((gsize) 1 << 30)

G_DEFINE_QUARK (sr-error-quark, sr_error)

static const SrArch *const architectures[] = {
  &sr_arch_imdn, &sr_arch_imdn_as, &sr_arch_imdn_rtc, &sr_arch_rfdn, &sr_arch_ecbsr,
};

static const char *const required_strings[] = {
  "name", "description", "provenance", "licence", "colour_space",
};

static gboolean G_GNUC_PRINTF (3, 4)
format_error (GError **error, const SrModel *model, const char *fmt, ...)
{
  va_list ap;
  char *msg;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, SR_ERROR, SR_ERROR_FORMAT, "%s: %s", model->label, msg);
  g_free (msg);
  return FALSE;
}

static void
tensor_info_free (gpointer p)
{
  SrTensorInfo *t = p;
  g_free (t->name);
  g_free (t);
}

static guint32
read_le32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

/* An integer member in [lo, hi]; JSON numbers with a fraction are refused. */
static gboolean
get_int_member (JsonObject *obj, const char *key, gint64 lo, gint64 hi,
                gint64 *out, const SrModel *model, const char *where, GError **error)
{
  JsonNode *node = json_object_get_member (obj, key);
  if (!node || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return format_error (error, model, "%s: \"%s\" must be an integer", where, key);
  *out = json_node_get_int (node);
  if (*out < lo || *out > hi)
    return format_error (error, model, "%s: \"%s\" = %" G_GINT64_FORMAT " is outside %"
                         G_GINT64_FORMAT "..%" G_GINT64_FORMAT, where, key, *out, lo, hi);
  return TRUE;
}

static gboolean
parse_metadata (SrModel *model, JsonObject *meta, GError **error)
{
  gint64 v;
  JsonNode *node;
  double range;
  GList *members;

  node = json_object_get_member (meta, "architecture");
  if (!node || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return format_error (error, model, "metadata: \"architecture\" must be a string");
  model->architecture = g_strdup (json_node_get_string (node));
  for (guint i = 0; i < G_N_ELEMENTS (architectures); i++)
    if (strcmp (architectures[i]->name, model->architecture) == 0)
      model->arch = architectures[i];
  if (!model->arch)
    return format_error (error, model, "unknown architecture \"%s\"", model->architecture);

  if (!get_int_member (meta, "scale", 1, 8, &v, model, "metadata", error))
    return FALSE;
  model->scale = (int) v;
  if (!get_int_member (meta, "channels", 1, 256, &v, model, "metadata", error))
    return FALSE;
  model->channels = (int) v;
  if (!get_int_member (meta, "blocks", 1, 64, &v, model, "metadata", error))
    return FALSE;
  model->blocks = (int) v;

  node = json_object_get_member (meta, "input_range");
  if (!node || !JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_DOUBLE &&
       json_node_get_value_type (node) != G_TYPE_INT64))
    return format_error (error, model, "metadata: \"input_range\" must be a number");
  range = json_node_get_double (node);
  if (!(range == 1.0 || range == 255.0))
    return format_error (error, model, "metadata: \"input_range\" must be 1 or 255, not %g", range);
  model->input_range = (float) range;

  /* Keep every string member: the UI shows them, the core needs some. */
  members = json_object_get_members (meta);
  for (GList *l = members; l; l = l->next)
    {
      JsonNode *m = json_object_get_member (meta, l->data);
      if (JSON_NODE_HOLDS_VALUE (m) && json_node_get_value_type (m) == G_TYPE_STRING)
        g_hash_table_insert (model->strings, g_strdup (l->data), g_strdup (json_node_get_string (m)));
    }
  g_list_free (members);

  /* The Set5 score our training export records (optional, informative:
   * it ranks the shipped models for the default choice). */
  node = json_object_get_member (meta, "training");
  if (node && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonNode *psnr = json_object_get_member (json_node_get_object (node), "set5_psnr_y");
      if (psnr && JSON_NODE_HOLDS_VALUE (psnr) &&
          (json_node_get_value_type (psnr) == G_TYPE_DOUBLE ||
           json_node_get_value_type (psnr) == G_TYPE_INT64) &&
          isfinite (json_node_get_double (psnr)))
        model->set5_psnr = json_node_get_double (psnr);
    }

  for (guint i = 0; i < G_N_ELEMENTS (required_strings); i++)
    if (!g_hash_table_lookup (model->strings, required_strings[i]))
      return format_error (error, model, "metadata: \"%s\" (a string) is missing", required_strings[i]);
  if (strcmp (g_hash_table_lookup (model->strings, "colour_space"), "srgb") != 0)
    return format_error (error, model, "metadata: colour_space \"%s\" is not supported (only \"srgb\")",
                         (const char *) g_hash_table_lookup (model->strings, "colour_space"));
  return TRUE;
}

static gboolean
parse_tensor (SrModel *model, const char *name, JsonNode *node, gsize data_size, GError **error)
{
  JsonObject *obj;
  JsonNode *dtype, *shape_node;
  JsonArray *shape;
  SrTensorInfo *t;
  gint64 offset;
  gsize n = 1;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return format_error (error, model, "tensor \"%s\" is not an object", name);
  obj = json_node_get_object (node);
  dtype = json_object_get_member (obj, "dtype");
  if (!dtype || !JSON_NODE_HOLDS_VALUE (dtype) || json_node_get_value_type (dtype) != G_TYPE_STRING ||
      strcmp (json_node_get_string (dtype), "f32") != 0)
    return format_error (error, model, "tensor \"%s\": dtype must be \"f32\"", name);

  shape_node = json_object_get_member (obj, "shape");
  if (!shape_node || !JSON_NODE_HOLDS_ARRAY (shape_node))
    return format_error (error, model, "tensor \"%s\": \"shape\" must be an array", name);
  shape = json_node_get_array (shape_node);
  if (json_array_get_length (shape) < 1 || json_array_get_length (shape) > 4)
    return format_error (error, model, "tensor \"%s\": shape must have 1 to 4 dimensions", name);

  t = g_new0 (SrTensorInfo, 1);
  t->name = g_strdup (name);
  t->ndim = json_array_get_length (shape);
  g_hash_table_insert (model->tensors, t->name, t);
  for (int i = 0; i < t->ndim; i++)
    {
      JsonNode *d = json_array_get_element (shape, i);
      gint64 dim;
      if (!JSON_NODE_HOLDS_VALUE (d) || json_node_get_value_type (d) != G_TYPE_INT64)
        return format_error (error, model, "tensor \"%s\": shape entries must be integers", name);
      dim = json_node_get_int (d);
      if (dim < 1 || dim > MAX_DIM)
        return format_error (error, model, "tensor \"%s\": dimension %" G_GINT64_FORMAT
                             " is outside 1..%d", name, dim, MAX_DIM);
      t->shape[i] = (int) dim;
      n *= (gsize) dim;
      if (n > MAX_ELEMENTS)
        return format_error (error, model, "tensor \"%s\" is absurdly large", name);
    }
  t->n = n;

  if (!get_int_member (obj, "offset", 0, G_MAXINT64, &offset, model, name, error))
    return FALSE;
  if (offset % DATA_ALIGN != 0)
    return format_error (error, model, "tensor \"%s\": offset %" G_GINT64_FORMAT
                         " is not a multiple of %d", name, offset, DATA_ALIGN);
  if ((guint64) offset > data_size || n * sizeof (float) > data_size - (gsize) offset)
    return format_error (error, model, "tensor \"%s\" (offset %" G_GINT64_FORMAT ", %" G_GSIZE_FORMAT
                         " bytes) lies past the end of the file", name, offset, n * sizeof (float));
  t->offset = (gsize) offset;
  return TRUE;
}

static int
compare_offsets (gconstpointer a, gconstpointer b)
{
  const SrTensorInfo *x = *(SrTensorInfo *const *) a, *y = *(SrTensorInfo *const *) b;
  return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* The tensors sorted by offset. */
static GPtrArray *
tensors_by_offset (SrModel *model)
{
  GPtrArray *sorted = g_ptr_array_new ();
  GList *values = g_hash_table_get_values (model->tensors);

  for (GList *l = values; l; l = l->next)
    g_ptr_array_add (sorted, l->data);
  g_list_free (values);
  g_ptr_array_sort (sorted, compare_offsets);
  return sorted;
}

/* No overlaps and the exact file size: everything the header alone says
 * about the data section, checked without reading it. */
static gboolean
check_extents (SrModel *model, gsize data_start, GError **error)
{
  GPtrArray *sorted = tensors_by_offset (model);
  gsize end = 0;
  gboolean ok = TRUE;

  for (guint i = 0; ok && i < sorted->len; i++)
    {
      SrTensorInfo *t = sorted->pdata[i];
      if (t->offset < end)
        ok = format_error (error, model, "tensor \"%s\" overlaps tensor \"%s\"", t->name,
                           ((SrTensorInfo *) sorted->pdata[i - 1])->name);
      end = MAX (end, t->offset + t->n * sizeof (float));
      model->n_params += t->n;
    }
  end = (end + DATA_ALIGN - 1) / DATA_ALIGN * DATA_ALIGN;
  if (ok && data_start + end != model->size)
    ok = format_error (error, model, "file is %" G_GSIZE_FORMAT " bytes but its tensors end at %"
                       G_GSIZE_FORMAT " (truncated or trailing data)", model->size, data_start + end);
  g_ptr_array_unref (sorted);
  return ok;
}

/* Points every tensor at its weights in memory and checks they are finite. */
static gboolean
attach_weights (SrModel *model, gsize data_start, GError **error)
{
  GPtrArray *sorted = tensors_by_offset (model);
  gboolean ok = TRUE;

  for (guint i = 0; ok && i < sorted->len; i++)
    {
      SrTensorInfo *t = sorted->pdata[i];
      t->data = (const float *) (model->bytes + data_start + t->offset);
      for (gsize j = 0; j < t->n; j++)
        if (!isfinite (t->data[j]))
          {
            ok = format_error (error, model, "tensor \"%s\" holds a non-finite value at index %"
                               G_GSIZE_FORMAT, t->name, j);
            break;
          }
    }
  g_ptr_array_unref (sorted);
  return ok;
}

/* For a probe: every tensor reads zeros of the right size instead of its
 * weights, so the architecture can lay out its layers and count its cost
 * (which needs the shapes, never the values).  Returns the zeros, which the
 * caller frees after prepare(). */
static float *
attach_stand_in (SrModel *model)
{
  GHashTableIter iter;
  gpointer value;
  gsize largest = 1;
  float *zeros;

  g_hash_table_iter_init (&iter, model->tensors);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    largest = MAX (largest, ((SrTensorInfo *) value)->n);
  zeros = g_new0 (float, largest);
  g_hash_table_iter_init (&iter, model->tensors);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((SrTensorInfo *) value)->data = zeros;
  return zeros;
}

static gboolean
check_all_used (SrModel *model, GError **error)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, model->tensors);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (!((SrTensorInfo *) value)->used)
      return format_error (error, model, "unexpected tensor \"%s\" for architecture %s",
                           ((SrTensorInfo *) value)->name, model->architecture);
  return TRUE;
}

/* The deepest nesting of objects and arrays in JSON @text, counted outside
 * strings; stops counting past @limit.  Malformed text is the parser's to
 * report: this only keeps it from recursing too deep. */
static int
json_depth (const char *text, gsize len, int limit)
{
  int depth = 0, deepest = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len && deepest <= limit; i++)
    {
      char ch = text[i];
      if (in_string)
        {
          if (ch == '\\')
            i++;
          else if (ch == '"')
            in_string = FALSE;
        }
      else if (ch == '"')
        in_string = TRUE;
      else if (ch == '{' || ch == '[')
        {
          depth++;
          deepest = MAX (deepest, depth);
        }
      else if (ch == '}' || ch == ']')
        depth--;
    }
  return deepest;
}

/* Reads the preamble and the JSON header in model->bytes (which holds at
 * least those; model->size is the whole file's size): metadata, tensor
 * shapes and extents.  Sets *@data_start to where the weights begin. */
static gboolean
parse_header (SrModel *model, gsize available, gsize *data_start, GError **error)
{
  guint32 version, header_len;
  JsonParser *parser = NULL;
  JsonNode *root, *meta, *tensors;
  GError *json_error = NULL;
  gboolean ok = FALSE;

#if G_BYTE_ORDER != G_LITTLE_ENDIAN
  return format_error (error, model, "model files are little-endian; this machine is not supported");
#endif
  if (available < PREAMBLE_SIZE || memcmp (model->bytes, MAGIC, 8) != 0)
    return format_error (error, model, "not a gimp-sr model file (bad magic)");
  version = read_le32 (model->bytes + 8);
  if (version != FORMAT_VERSION)
    return format_error (error, model, "format version %u is not supported (this build reads %d)",
                         version, FORMAT_VERSION);
  header_len = read_le32 (model->bytes + 12);
  if (header_len < 2 || header_len > MAX_HEADER || header_len > model->size - PREAMBLE_SIZE ||
      header_len > available - PREAMBLE_SIZE)
    return format_error (error, model, "header length %u does not fit in the file (%" G_GSIZE_FORMAT
                         " bytes); truncated?", header_len, model->size);
  *data_start = (PREAMBLE_SIZE + (gsize) header_len + DATA_ALIGN - 1) / DATA_ALIGN * DATA_ALIGN;
  if (*data_start > model->size)
    return format_error (error, model, "file ends before its data section; truncated?");

  if (json_depth ((const char *) model->bytes + PREAMBLE_SIZE, header_len, MAX_JSON_DEPTH) >
      MAX_JSON_DEPTH)
    return format_error (error, model, "header nests objects and arrays more than %d deep",
                         MAX_JSON_DEPTH);

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, (const char *) model->bytes + PREAMBLE_SIZE,
                                   header_len, &json_error))
    {
      format_error (error, model, "header is not valid JSON: %s", json_error->message);
      g_error_free (json_error);
      goto out;
    }
  root = json_parser_get_root (parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT (root))
    {
      format_error (error, model, "header is not a JSON object");
      goto out;
    }
  meta = json_object_get_member (json_node_get_object (root), "metadata");
  tensors = json_object_get_member (json_node_get_object (root), "tensors");
  if (!meta || !JSON_NODE_HOLDS_OBJECT (meta) || !tensors || !JSON_NODE_HOLDS_OBJECT (tensors))
    {
      format_error (error, model, "header needs the objects \"metadata\" and \"tensors\"");
      goto out;
    }
  if (!parse_metadata (model, json_node_get_object (meta), error))
    goto out;

  {
    JsonObject *tobj = json_node_get_object (tensors);
    GList *names = json_object_get_members (tobj);
    ok = TRUE;
    for (GList *l = names; ok && l; l = l->next)
      ok = parse_tensor (model, l->data, json_object_get_member (tobj, l->data),
                         model->size - *data_start, error);
    g_list_free (names);
  }
  ok = ok && check_extents (model, *data_start, error);
out:
  g_clear_object (&parser);
  return ok;
}

/* Lets the architecture claim its tensors and lay out its layers. */
static gboolean
prepare_arch (SrModel *model, GError **error)
{
  model->arch_state = model->arch->prepare (model, error);
  return model->arch_state != NULL && check_all_used (model, error);
}

/* The whole file is in model->bytes: header, weights, layers (packed). */
static gboolean
parse_model (SrModel *model, GError **error)
{
  gsize data_start;

  return parse_header (model, model->size, &data_start, error) &&
         attach_weights (model, data_start, error) &&
         prepare_arch (model, error);
}

static SrModel *
model_new (const char *label)
{
  SrModel *model = g_new0 (SrModel, 1);
  model->label = g_strdup (label);
  model->strings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  model->tensors = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, tensor_info_free);
  return model;
}

/* Room for @size bytes of a model file, aligned as its data section is
 * (DATA_ALIGN), or NULL. */
static guint8 *
alloc_bytes (gsize size)
{
  return g_aligned_alloc (MAX (size, 1), 1, DATA_ALIGN);
}

/* Opens @path, checks it is a regular file of a sane size and sets
 * model->size.  Returns the descriptor, or -1 with @error set. */
static int
open_model_file (SrModel *model, const char *path, GError **error)
{
  struct stat st;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0 || fstat (fd, &st) != 0)
    {
      int saved_errno = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, SR_ERROR, SR_ERROR_IO, "cannot read model file %s: %s",
                   path, g_strerror (saved_errno));
      return -1;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, SR_ERROR, SR_ERROR_IO, "cannot read model file %s: not a regular file",
                   path);
      close (fd);
      return -1;
    }
  if ((guint64) st.st_size > MAX_FILE_SIZE)
    {
      close (fd);
      format_error (error, model, "file is %" G_GUINT64_FORMAT " bytes; model files "
                    "are at most %" G_GSIZE_FORMAT, (guint64) st.st_size, MAX_FILE_SIZE);
      return -1;
    }
  model->size = st.st_size;
  return fd;
}

/* Reads @n bytes at the file's current position into @dst. */
static gboolean
read_exactly (SrModel *model, int fd, const char *path, guint8 *dst, gsize n, GError **error)
{
  gsize done = 0;

  while (done < n)
    {
      gssize got = read (fd, dst + done, n - done);
      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        {
          g_set_error (error, SR_ERROR, SR_ERROR_IO, "cannot read model file %s: %s",
                       path, g_strerror (errno));
          return FALSE;
        }
      if (got == 0)
        return format_error (error, model, "file shrank while it was being read");
      done += got;
    }
  return TRUE;
}

/* The whole file in memory: the tensors are used in place for as long as
 * the model lives, and a mapped file that is truncated under us (a
 * reinstall, an editor, a sync tool) would kill the process with SIGBUS. */
static gboolean
read_whole_file (SrModel *model, const char *path, GError **error)
{
  int fd = open_model_file (model, path, error);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  model->owned = alloc_bytes (model->size);
  ok = read_exactly (model, fd, path, model->owned, model->size, error);
  close (fd);
  model->bytes = model->owned;
  return ok;
}

/* Only the preamble and the header: what a probe reads.  Sets *@available
 * to the bytes read (the rest of model->size stays on disk). */
static gboolean
read_header (SrModel *model, const char *path, gsize *available, GError **error)
{
  int fd = open_model_file (model, path, error);
  gsize want;
  gboolean ok;

  if (fd < 0)
    return FALSE;
  *available = MIN (model->size, PREAMBLE_SIZE);
  model->owned = alloc_bytes (PREAMBLE_SIZE);
  ok = read_exactly (model, fd, path, model->owned, *available, error);
  if (ok && *available == PREAMBLE_SIZE && memcmp (model->owned, MAGIC, 8) == 0)
    {
      /* A length past the file or MAX_HEADER is parse_header's to refuse. */
      want = PREAMBLE_SIZE + MIN ((gsize) read_le32 (model->owned + 12),
                                  MIN (MAX_HEADER, model->size - PREAMBLE_SIZE));
      g_aligned_free (model->owned);
      model->owned = alloc_bytes (want);
      ok = lseek (fd, 0, SEEK_SET) == 0 &&
           read_exactly (model, fd, path, model->owned, want, error);
      *available = want;
    }
  close (fd);
  model->bytes = model->owned;
  return ok;
}

SrModel *
sr_model_load (const char *path, GError **error)
{
  SrModel *model;
  char *base = g_path_get_basename (path);

  model = model_new (base);
  g_free (base);
  if (!read_whole_file (model, path, error) || !parse_model (model, error))
    {
      sr_model_free (model);
      return NULL;
    }
  return model;
}

SrModelInfo *
sr_model_probe (const char *path, GError **error)
{
  char *base = g_path_get_basename (path);
  SrModel *model = model_new (base);
  SrModelInfo *info = NULL;
  gsize available, data_start;
  float *stand_in = NULL;

  model->probe_only = TRUE;
  if (read_header (model, path, &available, error) &&
      parse_header (model, available, &data_start, error))
    {
      stand_in = attach_stand_in (model);
      if (prepare_arch (model, error))
        {
          info = g_new0 (SrModelInfo, 1);
          info->id = g_str_has_suffix (base, ".srm") ? g_strndup (base, strlen (base) - 4)
                                                      : g_strdup (base);
          info->path = g_strdup (path);
          info->name = g_strdup (sr_model_get_meta_string (model, "name"));
          info->description = g_strdup (sr_model_get_meta_string (model, "description"));
          info->architecture = g_strdup (model->architecture);
          info->scale = model->scale;
          info->n_params = model->n_params;
          info->macs_per_pixel = model->macs_per_pixel;
          info->set5_psnr = model->set5_psnr;
        }
    }
  sr_model_free (model);
  g_free (stand_in);
  g_free (base);
  return info;
}

SrModel *
sr_model_load_from_data (const void *data, gsize size, const char *name, GError **error)
{
  SrModel *model = model_new (name ? name : "(memory)");

  model->owned = alloc_bytes (size);
  memcpy (model->owned, data, size);
  model->bytes = model->owned;
  model->size = size;
  if (!parse_model (model, error))
    {
      sr_model_free (model);
      return NULL;
    }
  return model;
}

void
sr_model_free (SrModel *model)
{
  if (!model)
    return;
  g_free (model->arch_state);
  if (model->derived)
    g_ptr_array_unref (model->derived);
  g_hash_table_unref (model->tensors);
  g_hash_table_unref (model->strings);
  g_aligned_free (model->owned);
  g_free (model->architecture);
  g_free (model->label);
  g_free (model);
}

static SrTensorInfo *
take_tensor (SrModel *model, const char *name, int ndim, const int *shape, GError **error)
{
  SrTensorInfo *t = g_hash_table_lookup (model->tensors, name);
  gboolean same = t && t->ndim == ndim;

  for (int i = 0; same && i < ndim; i++)
    same = t->shape[i] == shape[i];
  if (!same)
    {
      GString *want = g_string_new (NULL), *have = g_string_new (NULL);
      for (int i = 0; i < ndim; i++)
        g_string_append_printf (want, "%s%d", i ? ", " : "", shape[i]);
      for (int i = 0; t && i < t->ndim; i++)
        g_string_append_printf (have, "%s%d", i ? ", " : "", t->shape[i]);
      if (t)
        format_error (error, model, "tensor \"%s\" has shape [%s], architecture %s with these "
                      "metadata needs [%s]", name, have->str, model->architecture, want->str);
      else
        format_error (error, model, "tensor \"%s\" [%s] is missing", name, want->str);
      g_string_free (want, TRUE);
      g_string_free (have, TRUE);
      return NULL;
    }
  t->used = TRUE;
  return t;
}

const float *
sr_model_take_vector (SrModel *model, int n, GError **error, const char *name_fmt, ...)
{
  va_list ap;
  char *name;
  SrTensorInfo *t;

  va_start (ap, name_fmt);
  name = g_strdup_vprintf (name_fmt, ap);
  va_end (ap);
  t = take_tensor (model, name, 1, &n, error);
  g_free (name);
  return t ? t->data : NULL;
}

gboolean
sr_model_take_conv (SrModel *model, SrConv *conv, double area, int cout, int cin,
                    int k, int stride, int pad, GError **error, const char *prefix_fmt, ...)
{
  va_list ap;
  char *prefix, *name;
  int wshape[4] = { cout, cin, k, k };
  SrTensorInfo *w, *b = NULL;

  va_start (ap, prefix_fmt);
  prefix = g_strdup_vprintf (prefix_fmt, ap);
  va_end (ap);
  name = g_strconcat (prefix, ".weight", NULL);
  w = take_tensor (model, name, 4, wshape, error);
  g_free (name);
  if (w)
    {
      name = g_strconcat (prefix, ".bias", NULL);
      b = take_tensor (model, name, 1, &cout, error);
      g_free (name);
    }
  g_free (prefix);
  if (!b)
    return FALSE;

  *conv = (SrConv) { w->data, b->data, NULL, cout, cin, k, stride, pad, NULL };
  sr_model_pack_conv (model, conv);
  model->macs_per_pixel += area * cout * cin * k * k;
  return TRUE;
}

gpointer
sr_model_keep (SrModel *model, gpointer mem)
{
  if (!model->derived)
    model->derived = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (model->derived, mem);
  return mem;
}

void
sr_model_pack_conv (SrModel *model, SrConv *conv)
{
  /* Pack once, at load, into the layout the chosen kernels read; a probe
   * has no weights to pack. */
  SrConvPack *pack;

  if (model->probe_only)
    return;
  pack = sr_conv_pack_new (sr_kernels_get (), conv);
  if (pack)
    {
      conv->pack = sr_model_keep (model, pack);
      sr_precision_adopt (model, pack);
    }
}

gboolean
sr_run_step (SrRun *run, GError **error)
{
  run->steps_done++;
  if (run->shared_steps)
    g_atomic_int_inc (run->shared_steps);
  if (run->progress && run->steps_total > 0)
    run->progress (run->user_data, MIN (1.0, (double) run->steps_done / run->steps_total));
  if (run->cancel && run->cancel (run->user_data))
    {
      g_set_error_literal (error, SR_ERROR, SR_ERROR_CANCELLED, "cancelled");
      return FALSE;
    }
  return TRUE;
}

const char *
sr_model_get_architecture (const SrModel *model)
{
  return model->architecture;
}

int
sr_model_get_scale (const SrModel *model)
{
  return model->scale;
}

int
sr_model_output_scale (const SrModel *model)
{
  return model->scale;
}

const char *
sr_model_get_meta_string (const SrModel *model, const char *key)
{
  return g_hash_table_lookup (model->strings, key);
}

gsize
sr_model_get_n_params (const SrModel *model)
{
  return model->n_params;
}

double
sr_model_get_macs_per_pixel (const SrModel *model)
{
  return model->macs_per_pixel;
}

double
sr_model_get_set5_psnr (const SrModel *model)
{
  return model->set5_psnr;
}
