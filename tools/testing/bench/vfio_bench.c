// SPDX-License-Identifier: GPL-2.0-only
/*
 * Type1 benchmark, run in the test VM by tools/testing/bench/run: times
 * VFIO_IOMMU_MAP_DMA and VFIO_IOMMU_UNMAP_DMA on one container holding the
 * group of VFIO_EDU0 (TYPE1v2), with CLOCK_MONOTONIC.
 *
 * Cases (each repeated --reps times):
 *   hugetlb      SIZE of 2 MiB hugetlb pages (reserved first thing)
 *   4k           SIZE of pre-touched 4 KiB pages (MADV_NOHUGEPAGE)
 *   4k_rev       the same, touched from the end: physically fragmented
 *   thp          SIZE of THP (MADV_HUGEPAGE, 2 MiB aligned)
 *   untouched    SIZE never touched: MAP_DMA faults it in (map only)
 *   loop_4k      map+unmap of one 4 KiB buffer, --loop times: the median
 *   loop_64k     the same with 64 KiB
 *   live_N       N live 4 KiB mappings: unmap one of them and map it back,
 *                --samples times: the median of each
 *
 * Output, one line per measurement: "R <case> <ns>"; the big cases give
 * "<case>_map" and "<case>_unmap", live_N gives "live_map_N" and
 * "live_unmap_N".  Lines starting with '#' are information.  Any failed
 * call ends the program with status 1.
 *
 * --count: instead of times, how often the IOMMU was called, counted with
 * tracefs hist triggers on the iommu:map and iommu:unmap tracepoints (one
 * hit per iommu_map() or iommu_unmap(_fast)() call) and on kprobe events
 * on the IOMMU driver's IOTLB callbacks (iotlb_sync_map, iotlb_sync,
 * flush_iotlb_all), one line per case and operation:
 * "C <case> <ops> <bytes> <map> <unmap> <sync_map> <sync> <flush_all>".
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/mount.h>

#include "vfio_util.h"

#define PAGE		4096UL
#define HPAGE		(2 * MIB)
#define MIB		0x100000UL
/* Clear of the MSI window and of low IOVAs reserved on either IOMMU. */
#define IOVA_BASE	0x100000000ULL
/* live_N: one 4 KiB hole between mappings, so that none can be merged. */
#define LIVE_STRIDE	(2 * PAGE)
/* Type1's default dma_entry_limit */
#define LIVE_MAX	65535U
#define RW		(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)
#define NR_HUGEPAGES	"/proc/sys/vm/nr_hugepages"
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static struct {
	size_t size;
	unsigned int reps;
	unsigned int loop;
	unsigned int samples;
	unsigned int live[32];
	unsigned int nlive;
	int count;
} opt = {
	.size = 256 * MIB,
	.reps = 5,
	.loop = 2000,
	.samples = 200,
	.live = { 1024, 2048, 4096, 8192, 16384, 32768, 65535 },
	.nlive = 7,
};

static int container = -1;

static void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "vfio_bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void result(const char *name, uint64_t ns)
{
	printf("R %s %llu\n", name, (unsigned long long)ns);
	fflush(stdout);
}

/*
 * --count: hist triggers on what calls the IOMMU.  Each counter is the
 * "Hits:" total of an event's hist file; a case's count is the difference
 * across it.  The kprobes are those of 6.1's VT-d and AMD-Vi drivers;
 * those that do not exist (the other IOMMU's) are skipped and count 0.
 */
#define TRACEFS		"/sys/kernel/tracing"
#define NR_COUNTERS	5

static const char *const counter_event[NR_COUNTERS] = {
	"iommu/map", "iommu/unmap", "vfio_bench/sync_map",
	"vfio_bench/sync", "vfio_bench/flush_all",
};

static const char *const counter_probes[] = {
	"p:vfio_bench/sync_map intel_iommu_iotlb_sync_map",
	"p:vfio_bench/sync intel_iommu_tlb_sync",
	"p:vfio_bench/flush_all intel_flush_iotlb_all",
	"p:vfio_bench/sync_map amd_iommu_iotlb_sync_map",
	"p:vfio_bench/sync amd_iommu_iotlb_sync",
	"p:vfio_bench/flush_all amd_iommu_flush_iotlb_all",
};

static int counter_ok[NR_COUNTERS];

/* A plain write(2): stdio seeks, which tracefs's command files refuse. */
static int write_str(const char *path, const char *str, int append)
{
	int fd = open(path, O_WRONLY | (append ? O_APPEND : O_TRUNC));
	ssize_t len = (ssize_t)strlen(str), n;

	if (fd < 0)
		return -errno;
	n = write(fd, str, (size_t)len);
	close(fd);
	return n == len ? 0 : -EIO;
}

static void count_setup(void)
{
	char path[256];
	unsigned int i;

	if (access(TRACEFS "/kprobe_events", F_OK) &&
	    mount("nodev", TRACEFS, "tracefs", 0, NULL))
		die("mounting tracefs: %s", strerror(errno));
	for (i = 0; i < ARRAY_SIZE(counter_probes); i++)
		write_str(TRACEFS "/kprobe_events", counter_probes[i], 1);
	for (i = 0; i < NR_COUNTERS; i++) {
		snprintf(path, sizeof(path), TRACEFS "/events/%s/trigger",
			 counter_event[i]);
		counter_ok[i] = !write_str(path, "hist:keys=common_pid", 0);
		printf("# count %s: %s\n", counter_event[i],
		       counter_ok[i] ? "yes" : "no such event");
	}
}

static void count_snap(uint64_t *c)
{
	char path[256], line[256];
	unsigned int i;
	FILE *f;

	for (i = 0; i < NR_COUNTERS; i++) {
		unsigned long long hits = 0;

		c[i] = 0;
		if (!counter_ok[i])
			continue;
		snprintf(path, sizeof(path), TRACEFS "/events/%s/hist",
			 counter_event[i]);
		f = fopen(path, "r");
		if (!f)
			die("%s: %s", path, strerror(errno));
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, " Hits: %llu", &hits) == 1)
				break;
		fclose(f);
		c[i] = hits;
	}
}

/* Counts of one case: snapshots around each timed operation. */
struct count {
	uint64_t before[NR_COUNTERS];
	uint64_t sum[NR_COUNTERS];
	uint64_t ops;
	uint64_t bytes;
};

static void count_begin(struct count *c)
{
	if (opt.count)
		count_snap(c->before);
}

static void count_end(struct count *c, uint64_t ops, uint64_t bytes)
{
	uint64_t now[NR_COUNTERS];
	unsigned int i;

	if (!opt.count)
		return;
	count_snap(now);
	for (i = 0; i < NR_COUNTERS; i++)
		c->sum[i] += now[i] - c->before[i];
	c->ops += ops;
	c->bytes += bytes;
}

static void count_result(const char *name, struct count *c)
{
	unsigned int i;

	if (!opt.count)
		return;
	printf("C %s %llu %llu", name, (unsigned long long)c->ops,
	       (unsigned long long)c->bytes);
	for (i = 0; i < NR_COUNTERS; i++)
		printf(" %llu", (unsigned long long)c->sum[i]);
	printf("\n");
	fflush(stdout);
	memset(c, 0, sizeof(*c));
}

static void map(void *vaddr, uint64_t iova, uint64_t size)
{
	int ret = vfio_map_dma(container, vaddr, iova, size, RW);

	if (ret)
		die("MAP_DMA iova 0x%llx size 0x%llx: %s",
		    (unsigned long long)iova, (unsigned long long)size,
		    strerror(-ret));
}

/* Unmaps [iova, iova + size), which must hold @expect bytes of mappings. */
static void unmap_expect(uint64_t iova, uint64_t size, uint64_t expect)
{
	uint64_t done = 0;
	int ret = vfio_unmap_dma(container, iova, size, 0, &done);

	if (ret)
		die("UNMAP_DMA iova 0x%llx size 0x%llx: %s",
		    (unsigned long long)iova, (unsigned long long)size,
		    strerror(-ret));
	if (done != expect)
		die("UNMAP_DMA iova 0x%llx size 0x%llx unmapped 0x%llx",
		    (unsigned long long)iova, (unsigned long long)size,
		    (unsigned long long)done);
}

static void unmap(uint64_t iova, uint64_t size)
{
	unmap_expect(iova, size, size);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void *xmmap(size_t size, int flags)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);

	if (p == MAP_FAILED)
		die("mmap of %zu bytes: %s", size, strerror(errno));
	return p;
}

static void xmadvise(void *p, size_t size, int advice)
{
	if (madvise(p, size, advice))
		die("madvise(%d): %s", advice, strerror(errno));
}

/* Writes one byte per 4 KiB page, from the start or from the end. */
static void touch(void *p, size_t size, int backwards)
{
	char *c = p;
	size_t i, n = size / PAGE;

	for (i = 0; i < n; i++)
		c[(backwards ? n - 1 - i : i) * PAGE] = 1;
}

static long read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static int write_long(const char *path, long v)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return -errno;
	ret = fprintf(f, "%ld\n", v) < 0;
	ret |= fclose(f) != 0;
	return ret ? -EIO : 0;
}

/* kB of AnonHugePages in this process, or -1. */
static long anon_huge_kb(void)
{
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	char line[256];
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "AnonHugePages: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/*
 * Physically contiguous runs of 4 KiB pages in [p, p + size), from
 * /proc/self/pagemap (PFNs need CAP_SYS_ADMIN: root in the VM); 0 if
 * unknown.
 */
static size_t phys_runs(void *p, size_t size)
{
	size_t i, n = size / PAGE, runs = 0;
	uint64_t *pm, prev = 0;
	FILE *f;

	pm = malloc(n * sizeof(*pm));
	f = fopen("/proc/self/pagemap", "r");
	if (!pm || !f ||
	    fseek(f, (long)((uintptr_t)p / PAGE * sizeof(*pm)), SEEK_SET) ||
	    fread(pm, sizeof(*pm), n, f) != n) {
		runs = 0;
		goto out;
	}
	for (i = 0; i < n; i++) {
		uint64_t pfn = pm[i] & ((1ULL << 55) - 1);

		if (!(pm[i] >> 63) || !pfn) {
			runs = 0;
			goto out;
		}
		if (!i || pfn != prev + 1)
			runs++;
		prev = pfn;
	}
out:
	if (f)
		fclose(f);
	free(pm);
	return runs;
}

/* One map and one unmap of the whole buffer, --reps times. */
static void bench_region(const char *name, void *buf, size_t size)
{
	struct count cm = { 0 }, cu = { 0 };
	char mname[64], uname[64];
	unsigned int r;

	snprintf(mname, sizeof(mname), "%s_map", name);
	snprintf(uname, sizeof(uname), "%s_unmap", name);
	for (r = 0; r < opt.reps; r++) {
		uint64_t t0, t1, t2;

		count_begin(&cm);
		t0 = now_ns();
		map(buf, IOVA_BASE, size);
		t1 = now_ns();
		count_end(&cm, 1, size);
		count_begin(&cu);
		unmap(IOVA_BASE, size);
		t2 = now_ns();
		count_end(&cu, 1, size);
		result(mname, t1 - t0);
		result(uname, t2 - t1);
	}
	count_result(mname, &cm);
	count_result(uname, &cu);
}

/*
 * 2 MiB hugetlb pages, reserved before anything else has fragmented the
 * guest's memory and given back afterwards.
 */
static void bench_hugetlb(void)
{
	long want = (long)(opt.size / HPAGE), was, got;
	void *buf;

	was = read_long(NR_HUGEPAGES);
	if (was < 0 || write_long(NR_HUGEPAGES, was + want)) {
		printf("# skip hugetlb: cannot write %s\n", NR_HUGEPAGES);
		return;
	}
	got = read_long(NR_HUGEPAGES) - was;
	if (got < want) {
		printf("# skip hugetlb: reserved %ld of %ld 2 MiB pages\n",
		       got, want);
		write_long(NR_HUGEPAGES, was);
		return;
	}
	buf = xmmap(opt.size, MAP_HUGETLB);
	memset(buf, 1, opt.size);
	printf("# hugetlb: %ld 2 MiB pages\n", want);
	bench_region("hugetlb", buf, opt.size);
	munmap(buf, opt.size);
	write_long(NR_HUGEPAGES, was);
}

static void bench_4k(const char *name, int backwards)
{
	void *buf = xmmap(opt.size, 0);

	xmadvise(buf, opt.size, MADV_NOHUGEPAGE);
	touch(buf, opt.size, backwards);
	printf("# %s: %zu physically contiguous runs of 4 KiB pages\n",
	       name, phys_runs(buf, opt.size));
	bench_region(name, buf, opt.size);
	munmap(buf, opt.size);
}

static void bench_thp(void)
{
	size_t len = opt.size + HPAGE;
	char *raw = xmmap(len, 0);
	char *buf = (char *)(((uintptr_t)raw + HPAGE - 1) & ~(HPAGE - 1));

	xmadvise(buf, opt.size, MADV_HUGEPAGE);
	touch(buf, opt.size, 0);
	printf("# thp: %ld of %zu KiB in THPs\n", anon_huge_kb(),
	       opt.size / 1024);
	bench_region("thp", buf, opt.size);
	munmap(raw, len);
}

/* Memory never touched: pinning faults it in.  New memory each time. */
static void bench_untouched(void)
{
	struct count c = { 0 };
	unsigned int r;

	for (r = 0; r < opt.reps; r++) {
		void *buf = xmmap(opt.size, 0);
		uint64_t t0, t1;

		xmadvise(buf, opt.size, MADV_NOHUGEPAGE);
		count_begin(&c);
		t0 = now_ns();
		map(buf, IOVA_BASE, opt.size);
		t1 = now_ns();
		count_end(&c, 1, opt.size);
		unmap(IOVA_BASE, opt.size);
		munmap(buf, opt.size);
		result("untouched_map", t1 - t0);
	}
	count_result("untouched_map", &c);
}

/* map+unmap of one buffer, the NVMe driver's pattern: median per pair. */
static void bench_loop(const char *name, size_t size)
{
	uint64_t *t = calloc(opt.loop, sizeof(*t));
	void *buf = xmmap(size, 0);
	struct count c = { 0 };
	unsigned int r, i;

	if (!t)
		die("out of memory");
	xmadvise(buf, size, MADV_NOHUGEPAGE);
	touch(buf, size, 0);
	for (r = 0; r < opt.reps; r++) {
		count_begin(&c);
		for (i = 0; i < opt.loop; i++) {
			uint64_t t0 = now_ns();

			map(buf, IOVA_BASE, size);
			unmap(IOVA_BASE, size);
			t[i] = now_ns() - t0;
		}
		count_end(&c, opt.loop, (uint64_t)opt.loop * size);
		result(name, median(t, opt.loop));
	}
	count_result(name, &c);
	munmap(buf, size);
	free(t);
}

/* One random mapping of the @n live ones unmapped and mapped back. */
static void live_sample(char *buf, unsigned int n, uint64_t *seed,
			uint64_t *tu, uint64_t *tm, struct count *c)
{
	uint64_t iova, t0, t1, t2;
	unsigned int i;

	*seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
	i = (unsigned int)((*seed >> 33) % n);
	iova = IOVA_BASE + (uint64_t)i * LIVE_STRIDE;
	count_begin(&c[0]);
	t0 = now_ns();
	unmap(iova, PAGE);
	t1 = now_ns();
	count_end(&c[0], 1, PAGE);
	count_begin(&c[1]);
	map(buf + (size_t)i * PAGE, iova, PAGE);
	t2 = now_ns();
	count_end(&c[1], 1, PAGE);
	*tu = t1 - t0;
	*tm = t2 - t1;
}

/*
 * N live 4 KiB mappings, N growing through opt.live: at each N, unmap one
 * of them (picked at random) and map it back, --samples times, --reps
 * times over; the median of each per repetition.
 */
static void bench_live(void)
{
	unsigned int max = 0, cur = 0, k, r, s;
	uint64_t *tu, *tm, seed = 1;
	struct count c[2] = { 0 };
	char *buf, name[64];

	for (k = 0; k < opt.nlive; k++)
		if (opt.live[k] > max)
			max = opt.live[k];
	if (!max)
		return;
	tu = calloc(opt.samples, sizeof(*tu));
	tm = calloc(opt.samples, sizeof(*tm));
	if (!tu || !tm)
		die("out of memory");
	buf = xmmap((size_t)max * PAGE, 0);
	xmadvise(buf, (size_t)max * PAGE, MADV_NOHUGEPAGE);
	touch(buf, (size_t)max * PAGE, 0);

	for (k = 0; k < opt.nlive; k++) {
		unsigned int n = opt.live[k];

		for (; cur < n; cur++)
			map(buf + (size_t)cur * PAGE,
			    IOVA_BASE + (uint64_t)cur * LIVE_STRIDE, PAGE);
		for (r = 0; r < opt.reps; r++) {
			for (s = 0; s < opt.samples; s++)
				live_sample(buf, n, &seed, &tu[s], &tm[s], c);
			snprintf(name, sizeof(name), "live_unmap_%u", n);
			result(name, median(tu, opt.samples));
			count_result(name, &c[0]);
			snprintf(name, sizeof(name), "live_map_%u", n);
			result(name, median(tm, opt.samples));
			count_result(name, &c[1]);
		}
	}
	unmap_expect(IOVA_BASE, (uint64_t)cur * LIVE_STRIDE,
		     (uint64_t)cur * PAGE);
	munmap(buf, (size_t)max * PAGE);
	free(tu);
	free(tm);
}

static unsigned long number(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || !v)
		die("%s wants a positive integer, not '%s'", what, s);
	return v;
}

static void parse_live(const char *arg)
{
	char *copy = strdup(arg), *tok, *save = NULL;

	if (!copy)
		die("out of memory");
	opt.nlive = 0;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		unsigned long n = number(tok, "--live");

		if (opt.nlive == ARRAY_SIZE(opt.live))
			die("--live: too many values");
		if (n > LIVE_MAX)
			die("--live: at most %u mappings", LIVE_MAX);
		if (opt.nlive && n <= opt.live[opt.nlive - 1])
			die("--live: values must grow");
		opt.live[opt.nlive++] = (unsigned int)n;
	}
	free(copy);
}

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: vfio_bench [--smoke] [--count] [--size-mib N] [--reps N]\n"
		"                  [--loop N] [--samples N] [--live N,N,...]\n"
		"                  [--cases LIST]\n"
		"Times Type1 MAP_DMA/UNMAP_DMA on the container of VFIO_EDU0\n"
		"(in the test VM); prints \"R <case> <ns>\" per measurement.\n"
		"  --smoke        tiny sizes: 8 MiB, 2 reps, 100 loops, 50 samples,\n"
		"                 N = 256,1024 (options after it still apply)\n"
		"  --count        count IOMMU calls per case (tracefs): 1 rep,\n"
		"                 100 loops, 20 samples (options after it apply)\n"
		"  --size-mib N   size of the big cases (default 256)\n"
		"  --reps N       repetitions of each case (default 5)\n"
		"  --loop N       map+unmap pairs per loop repetition (default 2000)\n"
		"  --samples N    live_N unmap/map samples per repetition (default 200)\n"
		"  --live LIST    the N of live_N, growing, at most 65535\n"
		"                 (default 1024,2048,4096,8192,16384,32768,65535)\n"
		"  --cases LIST   only these cases, e.g. hugetlb,loop_4k,live\n"
		"                 (hugetlb 4k 4k_rev thp untouched loop_4k\n"
		"                 loop_64k live; default all)\n");
}

static const char *only_cases;

/* Is @name among --cases (all are without it)? */
static int selected(const char *name)
{
	size_t len = strlen(name);
	const char *p = only_cases;

	if (!p)
		return 1;
	for (; (p = strstr(p, name)); p += len)
		if ((p == only_cases || p[-1] == ',') &&
		    (p[len] == ',' || !p[len]))
			return 1;
	return 0;
}

/* The option with short code @c and its argument; 0, or an exit status. */
static int parse_opt(int c, const char *arg)
{
	switch (c) {
	case 'S':
		opt.size = 8 * MIB;
		opt.reps = 2;
		opt.loop = 100;
		opt.samples = 50;
		parse_live("256,1024");
		break;
	case 'C':
		opt.count = 1;
		opt.reps = 1;
		opt.loop = 100;
		opt.samples = 20;
		break;
	case 's':
		opt.size = number(arg, "--size-mib") * MIB;
		if (opt.size % HPAGE)
			die("--size-mib must be even (2 MiB pages)");
		break;
	case 'r':
		opt.reps = (unsigned int)number(arg, "--reps");
		break;
	case 'l':
		opt.loop = (unsigned int)number(arg, "--loop");
		break;
	case 'n':
		opt.samples = (unsigned int)number(arg, "--samples");
		break;
	case 'L':
		parse_live(arg);
		break;
	case 'c':
		only_cases = arg;
		break;
	case 'h':
		print_usage(stdout);
		return -1;
	default:
		print_usage(stderr);
		return 2;
	}
	return 0;
}

static int parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "smoke", no_argument, NULL, 'S' },
		{ "count", no_argument, NULL, 'C' },
		{ "size-mib", required_argument, NULL, 's' },
		{ "reps", required_argument, NULL, 'r' },
		{ "loop", required_argument, NULL, 'l' },
		{ "samples", required_argument, NULL, 'n' },
		{ "live", required_argument, NULL, 'L' },
		{ "cases", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, ret;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		ret = parse_opt(c, optarg);
		if (ret)
			return ret;
	}
	if (optind != argc) {
		print_usage(stderr);
		return 2;
	}
	return 0;
}

static void run_cases(void)
{
	/* First: hugetlb pages are only all there in a fresh guest. */
	if (selected("hugetlb"))
		bench_hugetlb();
	if (selected("4k"))
		bench_4k("4k", 0);
	if (selected("4k_rev"))
		bench_4k("4k_rev", 1);
	if (selected("thp"))
		bench_thp();
	if (selected("untouched"))
		bench_untouched();
	if (selected("loop_4k"))
		bench_loop("loop_4k", PAGE);
	if (selected("loop_64k"))
		bench_loop("loop_64k", 16 * PAGE);
	if (selected("live"))
		bench_live();
}

int main(int argc, char **argv)
{
	const char *bdf;
	struct vfio_dev dev;
	int ret;

	ret = parse_args(argc, argv);
	if (ret)
		return ret < 0 ? 0 : ret;

	bdf = vfio_test_env("VFIO_EDU0");
	if (!bdf)
		die("VFIO_EDU0 is not set: run me in the test VM");
	ret = vfio_dev_open(&dev, bdf, VFIO_TYPE1v2_IOMMU);
	if (ret)
		die("opening %s with TYPE1v2: %s", bdf, strerror(-ret));
	container = dev.container;
	printf("# modules %s, iommu %s, device %s\n",
	       vfio_stock_modules() ? "stock" : "ours",
	       vfio_test_env("VFIO_IOMMU") ?: "?", bdf);
	printf("# size %zu MiB, reps %u, loop %u, samples %u\n",
	       opt.size / MIB, opt.reps, opt.loop, opt.samples);
	if (opt.count)
		count_setup();
	fflush(stdout);

	run_cases();

	vfio_dev_close(&dev);
	printf("# done\n");
	return 0;
}
