// A setjmp-safe wrapper around libpng's classic API (Swift cannot call setjmp/longjmp).
#include "cpng.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    char *errbuf;
    size_t errlen;
    cpng_status status;  // what the error means; set by `cpng_fail`, or from libpng's message
} cpng_error_context;

static void cpng_on_error(png_structp png, png_const_charp message) {
    cpng_error_context *ctx = (cpng_error_context *)png_get_error_ptr(png);
    if (ctx && ctx->errbuf && ctx->errlen) snprintf(ctx->errbuf, ctx->errlen, "%s", message);
    // libpng's own allocation failures say "Out of memory" (png_malloc) or "Insufficient memory …".
    if (ctx && ctx->status == CPNG_OK)
        ctx->status = (strstr(message, "ut of memory") || strstr(message, "nsufficient memory")) ? CPNG_OUT_OF_MEMORY : CPNG_CORRUPT;
    png_longjmp(png, 1);
}

/// Raises a libpng error with a known meaning.
static void cpng_fail(png_structp png, cpng_status status, const char *message) {
    cpng_error_context *ctx = (cpng_error_context *)png_get_error_ptr(png);
    if (ctx) ctx->status = status;
    png_error(png, message);
}

static void cpng_on_warning(png_structp png, png_const_charp message) {
    (void)png; (void)message; // Benign warnings (e.g. bad iCCP profiles) are not errors.
}

typedef struct {
    const uint8_t *bytes;
    size_t length;
    size_t offset;
} cpng_memory_reader;

static void cpng_read_from_memory(png_structp png, png_bytep data, png_size_t length) {
    cpng_memory_reader *reader = (cpng_memory_reader *)png_get_io_ptr(png);
    if (reader->offset + length > reader->length) {
        png_error(png, "unexpected end of data (truncated file)");
        return;
    }
    memcpy(data, reader->bytes + reader->offset, length);
    reader->offset += length;
}

/// Walks the chunk headers of a PNG of `size` bytes before libpng reads it: every chunk must fit
/// in the rest of the file. libpng allocates a chunk's declared length before it reads the data,
/// and a chunk over its limits is only a (benign) warning: a 176-byte file declaring a 1.9 GB
/// iTXt chunk made it allocate 1.9 GB (found by fuzzing). After this check no chunk, and so no
/// allocation for one, is larger than the file. `header` reads 8 bytes at an offset (0 on success).
static int cpng_check_chunks(uint64_t size, int (*header)(void *, uint64_t, unsigned char *), void *source,
                             char *errbuf, size_t errlen) {
    uint64_t offset = 8;
    unsigned char head[8];
    // Every chunk header that is in the file: its data and CRC must be in the file too.
    while (offset + 8 <= size) {
        if (header(source, offset, head) != 0) break;
        const uint64_t length = (uint64_t)head[0] << 24 | (uint64_t)head[1] << 16 | (uint64_t)head[2] << 8 | head[3];
        if (length > 0x7FFFFFFFu || length + 4 > size - offset - 8) {
            snprintf(errbuf, errlen, "chunk %.4s at byte %llu declares %llu bytes, more than the file holds", (const char *)head + 4,
                     (unsigned long long)offset, (unsigned long long)length);
            return CPNG_CORRUPT;
        }
        if (memcmp(head + 4, "IEND", 4) == 0) break;
        offset += 12 + length;
    }
    return CPNG_OK;
}

static int cpng_file_header(void *source, uint64_t offset, unsigned char *head) {
    FILE *file = (FILE *)source;
    return fseeko(file, (off_t)offset, SEEK_SET) != 0 || fread(head, 1, 8, file) != 8;
}

static int cpng_memory_header(void *source, uint64_t offset, unsigned char *head) {
    const cpng_memory_reader *reader = (const cpng_memory_reader *)source;
    memcpy(head, reader->bytes + offset, 8);
    return 0;
}

static int cpng_decode(FILE *file, cpng_memory_reader *reader, uint64_t max_pixels, cpng_image *out, char *errbuf, size_t errlen) {
    memset(out, 0, sizeof(*out));
    if (errbuf && errlen) errbuf[0] = 0;
    cpng_error_context ctx = {errbuf, errlen, CPNG_OK};

    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &ctx, cpng_on_error, cpng_on_warning);
    if (!png) { snprintf(errbuf, errlen, "out of memory"); return CPNG_OUT_OF_MEMORY; }
    png_infop info = png_create_info_struct(png);
    if (!info) { png_destroy_read_struct(&png, NULL, NULL); snprintf(errbuf, errlen, "out of memory"); return CPNG_OUT_OF_MEMORY; }

    png_bytep volatile pixels = NULL;
    png_bytepp volatile rows = NULL;
    uint8_t *volatile palette = NULL;
    if (setjmp(png_jmpbuf(png))) {
        free(pixels);
        free(rows);
        free(palette);
        png_destroy_read_struct(&png, &info, NULL);
        return ctx.status == CPNG_OK ? CPNG_CORRUPT : ctx.status;
    }
    // Images are evaluated exactly as stored: a wrong CRC in an ancillary chunk is still an error,
    // but libpng's default user limits (1e6 x 1e6) are kept.
#ifdef PNG_IGNORE_ADLER32
    // Every IDAT chunk is already protected by its CRC-32, which libpng still checks: a corrupt
    // file is still an error. Skipping zlib's second checksum saves ~5% of decoding.
    png_set_option(png, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
#endif
    if (file) png_init_io(png, file);
    else png_set_read_fn(png, reader, cpng_read_from_memory);

    png_read_info(png, info);
    png_uint_32 width = 0, height = 0;
    int bit_depth = 0, color_type = 0, interlace = 0;
    png_get_IHDR(png, info, &width, &height, &bit_depth, &color_type, &interlace, NULL, NULL);
    if (max_pixels > 0 && (uint64_t)width * (uint64_t)height > max_pixels) {
        char message[160];
        snprintf(message, sizeof(message), "%u x %u", (unsigned)width, (unsigned)height);
        cpng_fail(png, CPNG_TOO_MANY_PIXELS, message);
    }

    // A palette image keeps its indices; its PLTE entries are returned beside them. (A PLTE chunk
    // in an RGB image is only a suggested quantisation and is not returned.)
    int palette_count = 0;
    if (color_type == PNG_COLOR_TYPE_PALETTE) {
        png_colorp entries = NULL;
        if (!png_get_PLTE(png, info, &entries, &palette_count) || palette_count <= 0) png_error(png, "palette image without a PLTE chunk");
        palette = (uint8_t *)malloc((size_t)palette_count * 3);
        if (!palette) cpng_fail(png, CPNG_OUT_OF_MEMORY, "out of memory");
        for (int i = 0; i < palette_count; i++) {
            palette[3 * i] = entries[i].red;
            palette[3 * i + 1] = entries[i].green;
            palette[3 * i + 2] = entries[i].blue;
        }
    }

    // One byte per sample, values unscaled. 1-bit gray (binary masks, common here) is unpacked
    // below with a table, which is several times faster than libpng's bit loop.
    const int unpack_bits_here = bit_depth == 1 && color_type == PNG_COLOR_TYPE_GRAY;
    if (bit_depth < 8 && !unpack_bits_here) png_set_packing(png);
    if (bit_depth == 16) {
        const int one = 1;
        if (*(const char *)&one == 1) png_set_swap(png); // host (little-endian) order
    }
    if (interlace != PNG_INTERLACE_NONE) png_set_interlace_handling(png);
    png_read_update_info(png, info);

    int channels = png_get_channels(png, info);
    size_t bytes_per_sample = bit_depth == 16 ? 2 : 1;
    size_t rowbytes = png_get_rowbytes(png, info);
    size_t expected = (size_t)width * (size_t)channels * bytes_per_sample;
    if (unpack_bits_here) {
        if (rowbytes != ((size_t)width + 7) / 8) png_error(png, "unexpected row layout");
    } else if (rowbytes != expected) {
        png_error(png, "unexpected row layout");
    }
    if (height > 0 && expected > SIZE_MAX / height) cpng_fail(png, CPNG_TOO_LARGE, "image too large for this machine's address space");

    // Packed 1-bit rows go to the end of each (wider) output row and are expanded in place,
    // front to back: output byte 8k+j only overwrites packed bytes < 8k+j that were read already.
    size_t stride = unpack_bits_here ? ((size_t)width + 7) / 8 * 8 : rowbytes;
    pixels = (png_bytep)malloc(stride * height + 1);
    rows = (png_bytepp)malloc(sizeof(png_bytep) * (height + 1));
    if (!pixels || !rows) cpng_fail(png, CPNG_OUT_OF_MEMORY, "out of memory");
    for (png_uint_32 y = 0; y < height; y++)
        rows[y] = pixels + (size_t)y * stride + (unpack_bits_here ? stride - rowbytes : 0);
    png_read_image(png, rows);
    png_read_end(png, NULL);
    if (unpack_bits_here) {
        for (png_uint_32 y = 0; y < height; y++) {
            png_bytep out = pixels + (size_t)y * stride;
            const png_bytep packed = rows[y];
            for (size_t k = 0; k < rowbytes; k++) {
                const unsigned byte = packed[k];
                for (int bit = 0; bit < 8; bit++) out[8 * k + bit] = (byte >> (7 - bit)) & 1;
            }
        }
        // Rows were expanded to a multiple of 8 samples: close the gaps so rows are `width` apart.
        if (stride != (size_t)width) {
            for (png_uint_32 y = 1; y < height; y++)
                memmove(pixels + (size_t)y * width, pixels + (size_t)y * stride, width);
        }
    }

    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    out->width = width;
    out->height = height;
    out->bit_depth = bit_depth;
    out->color_type = color_type;
    out->channels = channels;
    out->bytes_per_sample = bytes_per_sample;
    out->samples = pixels;
    out->palette = palette;
    out->palette_count = palette_count;
    return CPNG_OK;
}

int cpng_read_file(const char *path, uint64_t max_pixels, cpng_image *out, char *errbuf, size_t errlen) {
    FILE *file = fopen(path, "rb");
    if (!file) { snprintf(errbuf, errlen, "cannot open file"); memset(out, 0, sizeof(*out)); return CPNG_CANNOT_OPEN; }
    unsigned char signature[8];
    size_t got = fread(signature, 1, 8, file);
    if (got != 8 || png_sig_cmp(signature, 0, 8) != 0) {
        fclose(file);
        memset(out, 0, sizeof(*out));
        snprintf(errbuf, errlen, got < 8 ? "file too short to be a PNG" : "not a PNG file (bad signature)");
        return CPNG_NOT_PNG;
    }
    memset(out, 0, sizeof(*out));
    struct stat info;
    int rc = fstat(fileno(file), &info) == 0 ? cpng_check_chunks((uint64_t)info.st_size, cpng_file_header, file, errbuf, errlen) : CPNG_CANNOT_OPEN;
    if (rc != CPNG_OK) { fclose(file); return rc; }
    rewind(file);
    rc = cpng_decode(file, NULL, max_pixels, out, errbuf, errlen);
    fclose(file);
    return rc;
}

int cpng_read_memory(const uint8_t *bytes, size_t length, uint64_t max_pixels, cpng_image *out, char *errbuf, size_t errlen) {
    if (length < 8 || png_sig_cmp((png_const_bytep)bytes, 0, 8) != 0) {
        memset(out, 0, sizeof(*out));
        snprintf(errbuf, errlen, length < 8 ? "file too short to be a PNG" : "not a PNG file (bad signature)");
        return CPNG_NOT_PNG;
    }
    cpng_memory_reader reader = {bytes, length, 0};
    memset(out, 0, sizeof(*out));
    int rc = cpng_check_chunks(length, cpng_memory_header, &reader, errbuf, errlen);
    if (rc != CPNG_OK) return rc;
    return cpng_decode(NULL, &reader, max_pixels, out, errbuf, errlen);
}

void cpng_free(cpng_image *image) {
    if (image) {
        free(image->samples);
        image->samples = NULL;
        free(image->palette);
        image->palette = NULL;
        image->palette_count = 0;
    }
}

typedef struct {
    uint8_t *bytes;
    size_t length;
    size_t capacity;
} cpng_memory_writer;

static void cpng_write_to_memory(png_structp png, png_bytep data, png_size_t length) {
    cpng_memory_writer *writer = (cpng_memory_writer *)png_get_io_ptr(png);
    if (writer->length + length > writer->capacity) {
        size_t capacity = writer->capacity ? writer->capacity : 4096;
        while (capacity < writer->length + length) capacity *= 2;
        uint8_t *grown = (uint8_t *)realloc(writer->bytes, capacity);
        if (!grown) cpng_fail(png, CPNG_OUT_OF_MEMORY, "out of memory");
        writer->bytes = grown;
        writer->capacity = capacity;
    }
    memcpy(writer->bytes + writer->length, data, length);
    writer->length += length;
}

static void cpng_flush_memory(png_structp png) { (void)png; }

int cpng_encode(uint32_t width, uint32_t height, int bit_depth, int color_type,
                const void *samples, const uint8_t *palette_rgb, int palette_count,
                double gamma, int compression_level, int interlaced, const char *software,
                uint8_t **out_bytes, size_t *out_length, char *errbuf, size_t errlen) {
    *out_bytes = NULL;
    *out_length = 0;
    if (errbuf && errlen) errbuf[0] = 0;
    cpng_error_context ctx = {errbuf, errlen, CPNG_OK};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &ctx, cpng_on_error, cpng_on_warning);
    if (!png) { snprintf(errbuf, errlen, "out of memory"); return CPNG_OUT_OF_MEMORY; }
    png_infop info = png_create_info_struct(png);
    if (!info) { png_destroy_write_struct(&png, NULL); snprintf(errbuf, errlen, "out of memory"); return CPNG_OUT_OF_MEMORY; }

    cpng_memory_writer writer = {NULL, 0, 0};
    png_bytepp volatile rows = NULL;
    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        free(writer.bytes);
        png_destroy_write_struct(&png, &info);
        return ctx.status == CPNG_OK ? CPNG_CORRUPT : ctx.status;
    }
    png_set_write_fn(png, &writer, cpng_write_to_memory, cpng_flush_memory);
    png_set_compression_level(png, compression_level);
    // png_write_image runs the Adam7 passes itself when the image is interlaced.
    png_set_IHDR(png, info, width, height, bit_depth, color_type, interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (color_type == PNG_COLOR_TYPE_PALETTE) {
        if (!palette_rgb || palette_count <= 0 || palette_count > 256) png_error(png, "palette required");
        png_color palette[256];
        for (int i = 0; i < palette_count; i++) {
            palette[i].red = palette_rgb[3 * i];
            palette[i].green = palette_rgb[3 * i + 1];
            palette[i].blue = palette_rgb[3 * i + 2];
        }
        png_set_PLTE(png, info, palette, palette_count);
    }
    if (gamma > 0) png_set_gAMA(png, info, gamma);
    if (software) {
        png_text text;
        memset(&text, 0, sizeof(text));
        text.compression = PNG_TEXT_COMPRESSION_NONE;
        text.key = (png_charp) "Software";
        text.text = (png_charp)software;
        text.text_length = strlen(software);
        png_set_text(png, info, &text, 1);
    }
    png_write_info(png, info);
    if (bit_depth < 8) png_set_packing(png);
    if (bit_depth == 16) {
        const int one = 1;
        if (*(const char *)&one == 1) png_set_swap(png);
    }
    int channels;
    switch (color_type) {
        case PNG_COLOR_TYPE_RGB: channels = 3; break;
        case PNG_COLOR_TYPE_RGB_ALPHA: channels = 4; break;
        case PNG_COLOR_TYPE_GRAY_ALPHA: channels = 2; break;
        default: channels = 1; break;
    }
    size_t rowbytes = (size_t)width * channels * (bit_depth == 16 ? 2 : 1);
    rows = (png_bytepp)malloc(sizeof(png_bytep) * (height + 1));
    if (!rows) cpng_fail(png, CPNG_OUT_OF_MEMORY, "out of memory");
    for (uint32_t y = 0; y < height; y++) rows[y] = (png_bytep)samples + (size_t)y * rowbytes;
    png_write_image(png, rows);
    png_write_end(png, info);
    free(rows);
    png_destroy_write_struct(&png, &info);
    *out_bytes = writer.bytes;
    *out_length = writer.length;
    return CPNG_OK;
}

void cpng_free_buffer(uint8_t *bytes) { free(bytes); }

int cpng_read_software(const char *path, char *text, size_t textlen, char *errbuf, size_t errlen) {
    if (text && textlen) text[0] = 0;
    if (errbuf && errlen) errbuf[0] = 0;
    FILE *file = fopen(path, "rb");
    if (!file) { snprintf(errbuf, errlen, "cannot open file"); return CPNG_CANNOT_OPEN; }
    unsigned char signature[8];
    size_t got = fread(signature, 1, 8, file);
    if (got != 8 || png_sig_cmp(signature, 0, 8) != 0) {
        fclose(file);
        snprintf(errbuf, errlen, got < 8 ? "file too short to be a PNG" : "not a PNG file (bad signature)");
        return CPNG_NOT_PNG;
    }
    struct stat status;
    int checked = fstat(fileno(file), &status) == 0 ? cpng_check_chunks((uint64_t)status.st_size, cpng_file_header, file, errbuf, errlen) : CPNG_CANNOT_OPEN;
    if (checked != CPNG_OK || fseeko(file, 8, SEEK_SET) != 0) { fclose(file); return checked != CPNG_OK ? checked : CPNG_CANNOT_OPEN; }
    cpng_error_context ctx = {errbuf, errlen, CPNG_OK};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &ctx, cpng_on_error, cpng_on_warning);
    if (!png) { fclose(file); snprintf(errbuf, errlen, "out of memory"); return CPNG_OUT_OF_MEMORY; }
    png_infop info = png_create_info_struct(png);
    if (!info) { png_destroy_read_struct(&png, NULL, NULL); fclose(file); snprintf(errbuf, errlen, "out of memory"); return CPNG_OUT_OF_MEMORY; }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        fclose(file);
        return ctx.status == CPNG_OK ? CPNG_CORRUPT : ctx.status;
    }
    png_init_io(png, file);
    png_set_sig_bytes(png, 8);
    png_read_info(png, info);
    png_textp chunks = NULL;
    int count = 0;
    png_get_text(png, info, &chunks, &count);
    for (int i = 0; i < count; i++) {
        if (chunks[i].key && strcmp(chunks[i].key, "Software") == 0 && chunks[i].text) {
            if (text && textlen) snprintf(text, textlen, "%s", chunks[i].text);
            break;
        }
    }
    png_destroy_read_struct(&png, &info, NULL);
    fclose(file);
    return CPNG_OK;
}
