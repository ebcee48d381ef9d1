/* decode_png.c — time to merely decode a list of PNG files with libpng's classic API.
 * Same decoding as segeval's CPNG target: no gamma/palette transforms, sub-8-bit samples
 * unpacked to one byte (png_set_packing), 16-bit swapped to host order; pixels into a malloc'd
 * buffer. The whole file is read into memory first (as segeval does) and decoded from there.
 *
 *   cc -O2 -o decode_png decode_png.c -lpng16 -lpthread
 *   decode_png LISTFILE [THREADS [REPEATS]]
 * LISTFILE: one path per line. Prints the median wall time of REPEATS runs (seconds), a checksum
 * (so nothing is optimised away), the fastest run and the mean CPU time (user + sys) per run.
 */
#include <png.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

typedef struct { const uint8_t *data; size_t size, pos; } mem_t;

static void read_mem(png_structp png, png_bytep out, png_size_t n) {
    mem_t *m = (mem_t *)png_get_io_ptr(png);
    if (m->pos + n > m->size) png_error(png, "truncated");
    memcpy(out, m->data + m->pos, n);
    m->pos += n;
}

static uint64_t decode_one(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END); long size = ftell(f); fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc((size_t)size);
    if (fread(buf, 1, (size_t)size, f) != (size_t)size) { perror(path); exit(2); }
    fclose(f);
    mem_t m = { buf, (size_t)size, 0 };
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    png_bytep pixels = NULL; png_bytepp rows = NULL;
    if (setjmp(png_jmpbuf(png))) { fprintf(stderr, "%s: decode error\n", path); exit(2); }
    png_set_read_fn(png, &m, read_mem);
    png_read_info(png, info);
    png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    int depth = png_get_bit_depth(png, info);
    if (depth < 8) png_set_packing(png);
    if (depth == 16) png_set_swap(png);
    if (png_get_interlace_type(png, info) != PNG_INTERLACE_NONE) png_set_interlace_handling(png);
    png_read_update_info(png, info);
    size_t rowbytes = png_get_rowbytes(png, info);
    pixels = malloc(rowbytes * h + 1);
    rows = malloc(sizeof(png_bytep) * (h + 1));
    for (png_uint_32 y = 0; y < h; y++) rows[y] = pixels + y * rowbytes;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    uint64_t sum = w + h;
    for (size_t i = 0; i < rowbytes * h; i += 97) sum += pixels[i];
    png_destroy_read_struct(&png, &info, NULL);
    free(rows); free(pixels); free(buf);
    return sum;
}

static char **paths; static int npaths;
typedef struct { int first, step; uint64_t sum; } job_t;

static void *worker(void *arg) {
    job_t *j = arg;
    for (int i = j->first; i < npaths; i += j->step) j->sum += decode_one(paths[i]);
    return NULL;
}

static double now(void) {
    struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b; return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s LISTFILE [THREADS [REPEATS]]\n", argv[0]); return 2; }
    int threads = argc > 2 ? atoi(argv[2]) : 1, repeats = argc > 3 ? atoi(argv[3]) : 5;
    FILE *lf = fopen(argv[1], "r");
    if (!lf) { perror(argv[1]); return 2; }
    size_t cap = 1024; paths = malloc(cap * sizeof *paths);
    char line[4096];
    while (fgets(line, sizeof line, lf)) {
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
        if (!n) continue;
        if ((size_t)npaths == cap) paths = realloc(paths, (cap *= 2) * sizeof *paths);
        paths[npaths++] = strdup(line);
    }
    fclose(lf);
    double *times = malloc(sizeof(double) * repeats);
    uint64_t checksum = 0;
    for (int r = 0; r < repeats; r++) {
        job_t jobs[64]; pthread_t tids[64];
        if (threads > 64) threads = 64;
        double t0 = now();
        for (int t = 0; t < threads; t++) { jobs[t] = (job_t){ t, threads, 0 }; pthread_create(&tids[t], NULL, worker, &jobs[t]); }
        checksum = 0;
        for (int t = 0; t < threads; t++) { pthread_join(tids[t], NULL); checksum += jobs[t].sum; }
        times[r] = now() - t0;
    }
    qsort(times, repeats, sizeof(double), cmp);
    struct rusage ru; getrusage(RUSAGE_SELF, &ru);
    double cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
    printf("%.6f %d files %d threads checksum %llu min %.6f cpu %.6f\n", times[repeats / 2], npaths, threads,
           (unsigned long long)checksum, times[0], cpu / repeats);
    return 0;
}
