/* sr-image-probe: image type, header size and structural completeness,
 * without decoding (see sr-image-probe.h for why).
 *
 * Only the container is checked, not the compressed data: a PNG's chunks must
 * reach IEND, a JPEG's markers EOI, a TIFF's strips or tiles must lie inside
 * the file, a WebP's RIFF length must fit.  That is what a file cut short (a
 * partial download, a full disk, a killed writer) breaks; damage inside the
 * compressed data is left to the decoder, whose complaints the CLI turns
 * into errors (sr-diag.c). */
#include "sr-image-probe.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct
{
  int         fd;
  gint64      size;
  const char *path;
} Reader;

/* Reads exactly @n bytes at @off; FALSE if the file is shorter. */
static gboolean
read_at (Reader *r, gint64 off, void *buf, gsize n)
{
  gsize got = 0;

  if (off < 0 || off + (gint64) n > r->size)
    return FALSE;
  while (got < n)
    {
      ssize_t k = pread (r->fd, (char *) buf + got, n - got, off + got);
      if (k < 0 && errno == EINTR)
        continue;
      if (k <= 0)
        return FALSE;
      got += k;
    }
  return TRUE;
}

static guint32 be16 (const guint8 *p) { return (guint32) p[0] << 8 | p[1]; }
static guint32 be32 (const guint8 *p) { return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3]; }
static guint32 le16 (const guint8 *p) { return (guint32) p[1] << 8 | p[0]; }
static guint32 le24 (const guint8 *p) { return (guint32) p[2] << 16 | (guint32) p[1] << 8 | p[0]; }
static guint32 le32 (const guint8 *p) { return le24 (p) | (guint32) p[3] << 24; }

static gboolean
fail (GError **error, const Reader *r, const char *what)
{
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: %s", r->path, what);
  return FALSE;
}

/* ---- PNG: 8-byte signature, then chunks (length, type, data, CRC) ---- */

static gboolean
probe_png (Reader *r, SrImageInfo *info, GError **error)
{
  gint64 off = 8;
  gboolean idat = FALSE;

  for (int n = 0;; n++)
    {
      guint8 h[8], ihdr[13];
      guint32 len;
      gint64 end;

      if (!read_at (r, off, h, 8))
        return fail (error, r, "truncated PNG (the file ends before its IEND chunk)");
      len = be32 (h);
      if (len > 0x7fffffff)
        return fail (error, r, "corrupt PNG (bad chunk length)");
      end = off + 12 + (gint64) len;
      if (end > r->size)
        return fail (error, r, "truncated PNG (the file ends inside a chunk)");
      if (n == 0)
        {
          if (memcmp (h + 4, "IHDR", 4) != 0 || len != 13 || !read_at (r, off + 8, ihdr, 13))
            return fail (error, r, "corrupt PNG (no IHDR chunk first)");
          info->width = be32 (ihdr);
          info->height = be32 (ihdr + 4);
          if (info->width < 1 || info->height < 1 || info->width > 0x7fffffff || info->height > 0x7fffffff)
            return fail (error, r, "corrupt PNG (invalid width or height)");
        }
      else if (memcmp (h + 4, "IDAT", 4) == 0)
        idat = TRUE;
      else if (memcmp (h + 4, "IEND", 4) == 0)
        return idat ? TRUE : fail (error, r, "corrupt PNG (no image data)");
      off = end;
    }
}

/* ---- JPEG: markers and segments from SOI to EOI ---- */

/* From @pos inside entropy-coded data, moves *pos to the 0xFF that starts
 * the next real marker.  FF00 is a stuffed byte, FFD0..FFD7 restart markers
 * and FFFF fill: none ends the data.  FALSE if the file ends first. */
static gboolean
skip_entropy_data (Reader *r, gint64 *pos)
{
  static guint8 buf[1 << 16];
  gint64 p = *pos;

  while (p < r->size)
    {
      gsize n = MIN ((gint64) sizeof buf, r->size - p);
      gsize i = 0;

      if (!read_at (r, p, buf, n))
        return FALSE;
      while (i + 1 < n)
        {
          const guint8 *ff = memchr (buf + i, 0xFF, n - 1 - i);
          guint8 b;
          if (!ff)
            break;
          i = ff - buf;
          b = buf[i + 1];
          if (b != 0x00 && b != 0xFF && !(b >= 0xD0 && b <= 0xD7))
            {
              *pos = p + i;
              return TRUE;
            }
          i++;
        }
      if (p + (gint64) n >= r->size)
        return FALSE;
      p += n - 1;   /* the last byte may be an 0xFF whose partner is in the next block */
    }
  return FALSE;
}

static gboolean
probe_jpeg (Reader *r, SrImageInfo *info, GError **error)
{
  gint64 off = 2;
  gboolean sof = FALSE, sos = FALSE;

  for (;;)
    {
      guint8 m, seg[8];
      guint32 len;

      if (!read_at (r, off, &m, 1))
        return fail (error, r, "truncated JPEG (the file ends before its end marker)");
      if (m != 0xFF)
        return fail (error, r, "corrupt JPEG (a segment is not followed by a marker)");
      do
        if (!read_at (r, ++off, &m, 1))
          return fail (error, r, "truncated JPEG (the file ends before its end marker)");
      while (m == 0xFF);
      off++;
      if (m == 0xD9)   /* EOI */
        {
          if (!sof || !sos)
            return fail (error, r, "corrupt JPEG (no frame or no scan before the end marker)");
          return TRUE;
        }
      if (m == 0x01 || (m >= 0xD0 && m <= 0xD7))
        continue;   /* markers without a segment */
      if (m == 0xD8 || m == 0x00)
        return fail (error, r, "corrupt JPEG (unexpected marker)");
      if (!read_at (r, off, seg, 2))
        return fail (error, r, "truncated JPEG (the file ends inside a segment)");
      len = be16 (seg);
      if (len < 2)
        return fail (error, r, "corrupt JPEG (bad segment length)");
      if (off + len > r->size)
        return fail (error, r, "truncated JPEG (the file ends inside a segment)");
      if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC)   /* SOFn */
        {
          if (sof)
            return fail (error, r, "unsupported JPEG (more than one frame: hierarchical coding)");
          /* libjpeg as shipped decodes 8-bit baseline, extended, progressive and
           * arithmetic-coded frames; lossless or hierarchical ones it refuses by
           * calling exit() inside GEGL's loader, so refuse them here. */
          if (m != 0xC0 && m != 0xC1 && m != 0xC2 && m != 0xC9 && m != 0xCA)
            return fail (error, r, "unsupported JPEG variant (lossless or hierarchical coding)");
          if (len < 8 || !read_at (r, off + 2, seg, 6))
            return fail (error, r, "corrupt JPEG (short frame header)");
          if (seg[0] != 8)
            return fail (error, r, "unsupported JPEG (only 8 bits per sample are supported)");
          info->height = be16 (seg + 1);
          info->width = be16 (seg + 3);
          if (info->height == 0)
            return fail (error, r, "unsupported JPEG (height given by a DNL marker)");
          if (info->width == 0 || seg[5] == 0)
            return fail (error, r, "corrupt JPEG (invalid frame size)");
          sof = TRUE;
        }
      off += len;
      if (m == 0xDA)   /* SOS: entropy-coded data follows the header */
        {
          if (!sof)
            return fail (error, r, "corrupt JPEG (a scan before the frame header)");
          sos = TRUE;
          if (!skip_entropy_data (r, &off))
            return fail (error, r, "truncated JPEG (the file ends inside the image data)");
        }
    }
}

/* ---- TIFF (classic and BigTIFF): header, first IFD, strip/tile extents ---- */

typedef struct
{
  gboolean big, le;
} TiffForm;

static guint64
tiff_uint (const TiffForm *t, const guint8 *p, int bytes)
{
  guint64 v = 0;
  for (int i = 0; i < bytes; i++)
    v |= (guint64) p[t->le ? i : bytes - 1 - i] << (8 * i);
  return v;
}

typedef struct
{
  guint16 type;
  guint64 count;
  gint64  value_pos;   /* file offset of the entry's value field */
} TiffEntry;

static int
tiff_type_size (guint16 type)
{
  return type == 3 ? 2 : type == 4 ? 4 : type == 16 ? 8 : 0;   /* SHORT, LONG, LONG8 */
}

/* Element @i of an integer array entry; FALSE if it lies outside the file. */
static gboolean
tiff_array_get (Reader *r, const TiffForm *t, const TiffEntry *e, guint64 i, guint64 *v)
{
  int es = tiff_type_size (e->type), field = t->big ? 8 : 4;
  guint8 raw[8], p[8];
  gint64 base;

  if (es == 0 || i >= e->count)
    return FALSE;
  if (e->count * es <= (guint64) field)
    base = e->value_pos;
  else
    {
      if (!read_at (r, e->value_pos, raw, field))
        return FALSE;
      base = tiff_uint (t, raw, field);
    }
  if (!read_at (r, base + (gint64) (i * es), p, es))
    return FALSE;
  *v = tiff_uint (t, p, es);
  return TRUE;
}

static gboolean
probe_tiff (Reader *r, SrImageInfo *info, GError **error)
{
  guint8 h[16], e[20];
  TiffForm t = { FALSE, FALSE };
  TiffEntry offsets = { 0 }, counts = { 0 };
  guint64 ifd, n, w = 0, hgt = 0, end = 0;
  int es;

  if (!read_at (r, 0, h, 8))
    return fail (error, r, "truncated TIFF header");
  t.le = h[0] == 'I';
  t.big = tiff_uint (&t, h + 2, 2) == 43;
  if (t.big && !read_at (r, 0, h, 16))
    return fail (error, r, "truncated TIFF header");
  ifd = t.big ? tiff_uint (&t, h + 8, 8) : tiff_uint (&t, h + 4, 4);
  if (ifd < 8 || (gint64) ifd >= r->size)
    return fail (error, r, "truncated TIFF (the first directory lies beyond the end of the file)");
  if (!read_at (r, ifd, h, t.big ? 8 : 2))
    return fail (error, r, "truncated TIFF directory");
  n = tiff_uint (&t, h, t.big ? 8 : 2);
  es = t.big ? 20 : 12;
  if (n == 0 || n > 65535 || (gint64) (ifd + (t.big ? 8 : 2) + n * es) > r->size)
    return fail (error, r, "truncated or corrupt TIFF directory");
  for (guint64 i = 0; i < n; i++)
    {
      gint64 at = ifd + (t.big ? 8 : 2) + i * es;
      TiffEntry entry;
      guint16 tag;
      guint64 v;

      if (!read_at (r, at, e, es))
        return fail (error, r, "truncated TIFF directory");
      tag = tiff_uint (&t, e, 2);
      entry.type = tiff_uint (&t, e + 2, 2);
      entry.count = t.big ? tiff_uint (&t, e + 4, 8) : tiff_uint (&t, e + 4, 4);
      entry.value_pos = at + (t.big ? 12 : 8);
      if (tag == 256 || tag == 257)
        {
          if (entry.count != 1 || !tiff_array_get (r, &t, &entry, 0, &v))
            return fail (error, r, "corrupt TIFF (bad image width or height)");
          *(tag == 256 ? &w : &hgt) = v;
        }
      else if (tag == 273 || tag == 324)   /* StripOffsets, TileOffsets */
        offsets = entry;
      else if (tag == 279 || tag == 325)   /* StripByteCounts, TileByteCounts */
        counts = entry;
    }
  if (w < 1 || hgt < 1 || w > G_MAXINT32 || hgt > G_MAXINT32)
    return fail (error, r, "corrupt TIFF (invalid or missing width or height)");
  if (offsets.count == 0 || offsets.count != counts.count)
    return fail (error, r, "corrupt TIFF (no image data, or strip offsets and sizes disagree)");
  /* Each strip or tile must lie inside the file: a cut file fails here. */
  for (guint64 i = 0; i < offsets.count; i++)
    {
      guint64 o, c;
      if (!tiff_array_get (r, &t, &offsets, i, &o) || !tiff_array_get (r, &t, &counts, i, &c))
        return fail (error, r, "truncated TIFF (the strip table lies beyond the end of the file)");
      if (o > G_MAXINT64 / 2 || c > G_MAXINT64 / 2)
        return fail (error, r, "corrupt TIFF (bad strip offset)");
      end = MAX (end, o + c);
    }
  if ((gint64) end > r->size)
    return fail (error, r, "truncated TIFF (image data lies beyond the end of the file)");
  info->width = w;
  info->height = hgt;
  return TRUE;
}

/* ---- WebP: RIFF container with a VP8, VP8L or VP8X first chunk ---- */

static gboolean
probe_webp (Reader *r, SrImageInfo *info, GError **error)
{
  guint8 h[30];
  gint64 riff_end, off;
  gboolean image = FALSE;

  if (!read_at (r, 0, h, 30))
    return fail (error, r, "truncated WebP header");
  riff_end = 8 + (gint64) le32 (h + 4);
  if (riff_end > r->size)
    return fail (error, r, "truncated WebP (the file is shorter than its RIFF length)");
  if (memcmp (h + 12, "VP8 ", 4) == 0)
    {
      if (h[23] != 0x9d || h[24] != 0x01 || h[25] != 0x2a)
        return fail (error, r, "corrupt WebP (bad VP8 frame header)");
      info->width = le16 (h + 26) & 0x3fff;
      info->height = le16 (h + 28) & 0x3fff;
    }
  else if (memcmp (h + 12, "VP8L", 4) == 0)
    {
      guint32 bits = le32 (h + 21);
      if (h[20] != 0x2f)
        return fail (error, r, "corrupt WebP (bad lossless header)");
      info->width = (bits & 0x3fff) + 1;
      info->height = (bits >> 14 & 0x3fff) + 1;
    }
  else if (memcmp (h + 12, "VP8X", 4) == 0)
    {
      if (h[20] & 0x02)
        return fail (error, r, "unsupported WebP (animated)");
      info->width = (gint64) le24 (h + 24) + 1;
      info->height = (gint64) le24 (h + 27) + 1;
    }
  else
    return fail (error, r, "corrupt WebP (unknown first chunk)");
  if (info->width < 1 || info->height < 1)
    return fail (error, r, "corrupt WebP (invalid width or height)");
  /* Every chunk must fit inside the RIFF length, and one must be the image. */
  for (off = 12; off + 8 <= riff_end;)
    {
      guint8 c[8];
      gint64 next;
      if (!read_at (r, off, c, 8))
        break;
      next = off + 8 + (gint64) le32 (c + 4);
      if (next > riff_end)
        return fail (error, r, "truncated WebP (a chunk runs past the end of the file)");
      if (memcmp (c, "VP8 ", 4) == 0 || memcmp (c, "VP8L", 4) == 0)
        image = TRUE;
      off = next + (next & 1);
    }
  return image ? TRUE : fail (error, r, "corrupt WebP (no image data)");
}

gboolean
sr_image_probe_fd (int fd, const char *path, SrImageInfo *info, GError **error)
{
  Reader r = { fd, 0, path };
  struct stat st;
  guint8 magic[12] = { 0 };

  info->type = SR_IMAGE_UNKNOWN;
  info->width = info->height = 0;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    return fail (error, &r, "not a regular file");
  r.size = st.st_size;
  if (r.size == 0)
    return fail (error, &r, "the file is empty");
  if (r.size >= 8 && read_at (&r, 0, magic, MIN (r.size, 12)) &&
      memcmp (magic, "\x89PNG\r\n\x1a\n", 8) == 0)
    return (info->type = SR_IMAGE_PNG, probe_png (&r, info, error));
  if (r.size >= 3 && memcmp (magic, "\xff\xd8\xff", 3) == 0)
    return (info->type = SR_IMAGE_JPEG, probe_jpeg (&r, info, error));
  if (r.size >= 8 && (memcmp (magic, "II*\0", 4) == 0 || memcmp (magic, "MM\0*", 4) == 0 ||
                      memcmp (magic, "II+\0", 4) == 0 || memcmp (magic, "MM\0+", 4) == 0))
    return (info->type = SR_IMAGE_TIFF, probe_tiff (&r, info, error));
  if (r.size >= 12 && memcmp (magic, "RIFF", 4) == 0 && memcmp (magic + 8, "WEBP", 4) == 0)
    return (info->type = SR_IMAGE_WEBP, probe_webp (&r, info, error));
  return fail (error, &r, "not an image this tool reads (PNG, JPEG, TIFF or WebP expected)");
}

gboolean
sr_image_probe (const char *path, SrImageInfo *info, GError **error)
{
  /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  gboolean ok;

  if (fd < 0)
    {
      int e = errno;
      info->type = SR_IMAGE_UNKNOWN;
      info->width = info->height = 0;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "%s: %s", path, g_strerror (e));
      return FALSE;
    }
  ok = sr_image_probe_fd (fd, path, info, error);
  close (fd);
  return ok;
}

SrImageType
sr_image_type_for_name (const char *path)
{
  const char *dot = strrchr (path, '.');
  static const struct { const char *ext; SrImageType type; } names[] = {
    { ".png", SR_IMAGE_PNG }, { ".jpg", SR_IMAGE_JPEG }, { ".jpeg", SR_IMAGE_JPEG },
    { ".tif", SR_IMAGE_TIFF }, { ".tiff", SR_IMAGE_TIFF }, { ".webp", SR_IMAGE_WEBP },
  };

  if (!dot || strchr (dot, '/'))
    return SR_IMAGE_UNKNOWN;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (dot, names[i].ext) == 0)
      return names[i].type;
  return SR_IMAGE_UNKNOWN;
}

const char *
sr_image_type_name (SrImageType type)
{
  static const char *names[] = { "unknown", "PNG", "JPEG", "TIFF", "WebP" };
  return names[type];
}

const char *
sr_image_loader (SrImageType type)
{
  static const char *ops[] = { NULL, "gegl:png-load", "gegl:jpg-load", "gegl:tiff-load", "gegl:webp-load" };
  return ops[type];
}

gint64
sr_image_max_side (SrImageType type)
{
  switch (type)
    {
    case SR_IMAGE_PNG:  return G_MAXINT32;
    case SR_IMAGE_JPEG: return 65500;        /* libjpeg's JPEG_MAX_DIMENSION */
    case SR_IMAGE_TIFF: return G_MAXINT32;   /* file size is the real limit, see sr-upscale.c */
    case SR_IMAGE_WEBP: return 16383;        /* 14-bit sizes in VP8/VP8L */
    default:            return 0;
    }
}
