// SPDX-License-Identifier: GPL-2.0-only
/*
 * A seeded, multi-threaded fuzzer of the VFIO user interface: several
 * threads issue random and boundary-value calls of every container, group
 * and device ioctl, read, write and mmap the regions of the two edu
 * devices at random offsets, close and reopen their files, and fork
 * children that map DMA and exit or are killed, all at the same time.
 * Nothing checks the answers: the kernel must simply survive (the VM
 * harness fails a run whose console shows a splat).  Afterwards the same
 * process checks that nothing leaked: no file left open, nothing locked
 * or pinned (VmLck, VmPin), no module reference held, and that both
 * devices still work.
 *
 * Environment:
 *   VFIO_FUZZ_SEED     seed (default: from the time), printed at start
 *   VFIO_FUZZ_OPS      calls in all (default FUZZ_DEFAULT_OPS)
 *   VFIO_FUZZ_SECONDS  stop after that long (default: FUZZ_DEFAULT_SECONDS
 *                      without VFIO_FUZZ_OPS, else no limit)
 *   VFIO_FUZZ_THREADS  threads (default 4)
 *   VFIO_FUZZ_VERBOSE  1: print every call before it is made, and what
 *                      it returned
 *
 * Each thread draws from its own splitmix64 stream derived from the seed,
 * and always draws the same numbers whatever the kernel answered.  With
 * one thread a seed thus replays the same calls (children's timing
 * aside); with several, the calls also depend on how the threads
 * interleave, since they share the files: replay a failing seed with
 * VFIO_FUZZ_THREADS=1 first, then with the same thread count.
 *
 * edu's DMA registers (BAR0 0x80-0x9f) are never written, by write, by
 * mmap or by an ioeventfd: a DMA of a random address would make QEMU 7.2
 * abort the VM.  Nor is its factorial register (0x08), which would keep
 * QEMU busy.  Since file descriptor numbers are reused while other
 * threads close and open files, any fd may be a device's: the filter
 * applies to every write whatever the fd.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "vfio_util.h"
#include "kselftest_harness.h"

/*
 * Linux 6.1's vfio_pci_ioeventfd() derives the BAR index from the signed
 * offset: with bit 63 set the index is negative and indexes far outside
 * pdev->resource[], an oops.  Ours computes it unsigned and refuses such
 * offsets; 0 here keeps them out of IOEVENTFD (the fuzzer skips on the
 * stock modules anyway).
 */
#define FUZZ_IOEVENTFD_BIT63	1

/*
 * 500000 calls: about 35 s on Debian's kernel in the test VM (one TCG
 * thread, 2-core host).  The time limit applies to the default run only,
 * which then stops early: the debug kernel manages about 800 calls a
 * second, so about 120000 in 150 s.
 */
#define FUZZ_DEFAULT_OPS	500000
#define FUZZ_DEFAULT_SECONDS	150
#define FUZZ_DEFAULT_THREADS	4
#define FUZZ_MAX_THREADS	64
#define FUZZ_TIMEOUT		900	/* the harness's limit, in seconds */

#define NR_EDU			2
#define NR_CONTAINERS		3
#define NR_DEVICES		4
#define NR_EVENTFDS		8
#define NR_MAPS			8

#define PAGE			4096UL
#define POOL_SIZE		(2UL << 20)	/* memory to map for DMA */
#define SCRATCH_PAGES		64		/* pages that come and go */
#define ARG_SIZE		(2 * PAGE)	/* ioctl argument area */
#define IO_SIZE			(16 * PAGE)	/* read/write buffer */
#define BITMAP_SIZE		(16 * PAGE)	/* dirty bitmaps */

#define BIT_ULL(n)		(1ULL << (n))

#define REGION_SHIFT		40		/* vfio-pci's region offsets */
#define REGION_SIZE		BIT_ULL(REGION_SHIFT)
#define REGION_MASK		(REGION_SIZE - 1)
#define EDU_REG_FACT		0x08		/* factorial */
#define EDU_DMA_END		0xa0		/* end of the DMA registers */

/* A pointer the kernel can never use: non-canonical */
#define BAD_PTR			((void *)0xdead000000000000UL)
/* and a kernel address */
#define KERNEL_PTR		((void *)0xffff888000000000UL)

static const char *edu[NR_EDU];
static uint64_t seed;
static uint64_t nr_ops;
static unsigned int nr_threads;
static uint64_t time_limit;	/* seconds, 0: none */
static uint64_t deadline;	/* CLOCK_MONOTONIC ns, 0: none */
static bool verbose;

/* What the threads share.  Slots hold fds, -1 when empty. */
static struct {
	pthread_mutex_t lock;		/* slot changes */
	int container[NR_CONTAINERS];
	int group[NR_EDU];
	int device[NR_DEVICES];
	int efd[NR_EVENTFDS];
	pthread_mutex_t map_lock;	/* map[] and accesses through it */
	struct {
		uint8_t *addr;
		size_t len;
		uint64_t off;
	} map[NR_MAPS];
	uint8_t *pool;			/* POOL_SIZE, touched */
	uint8_t *scratch;		/* SCRATCH_PAGES, some unmapped */
} w = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.map_lock = PTHREAD_MUTEX_INITIALIZER,
};

enum {
	OP_CONTAINER, OP_GROUP, OP_DEVICE, OP_RDWR, OP_MMAP, OP_FD,
	OP_EVENTFD, OP_MEMORY, OP_CHILD, NR_OP_KINDS
};

static const char *const op_names[NR_OP_KINDS] = {
	"container", "group", "device", "rdwr", "mmap", "fd", "eventfd",
	"memory", "child"
};

/* op_container()'s number for MAP_DMA */
#define OP_MAP_DMA		4

/* Calls made and calls that succeeded, per call (LOG() format) */
static struct {
	const char *call;
	uint64_t calls, ok;
} tallies[96];
static pthread_mutex_t tally_lock = PTHREAD_MUTEX_INITIALIZER;

static void tally(const char *call, long ret)
{
	unsigned int i;

	if (!call)
		return;
	for (i = 0; i < ARRAY_SIZE(tallies); i++) {
		const char *c = __atomic_load_n(&tallies[i].call,
						__ATOMIC_ACQUIRE);

		if (!c) {
			pthread_mutex_lock(&tally_lock);
			if (!tallies[i].call)
				__atomic_store_n(&tallies[i].call, call,
						 __ATOMIC_RELEASE);
			pthread_mutex_unlock(&tally_lock);
			c = tallies[i].call;
		}
		if (c != call)
			continue;
		__atomic_add_fetch(&tallies[i].calls, 1, __ATOMIC_RELAXED);
		if (ret >= 0)
			__atomic_add_fetch(&tallies[i].ok, 1, __ATOMIC_RELAXED);
		return;
	}
}

/* Calls made and calls that succeeded, per kind */
static uint64_t stat_calls[NR_OP_KINDS], stat_ok[NR_OP_KINDS];

/* One thread's state (a child works on its own copy) */
struct fz {
	uint64_t rng;
	unsigned int id;
	uint64_t op;
	bool child;
	bool sane;		/* this call: valid arguments, to get deep */
	int live_container;	/* the last one with an IOMMU */
	const char *call;	/* the call being made, as LOG() named it */
	struct {
		uint64_t iova, size;
	} mapped[8];		/* recent successful MAP_DMAs */
	uint8_t *arg;		/* ARG_SIZE, then a PROT_NONE page */
	uint8_t *io;		/* IO_SIZE, then a PROT_NONE page */
	uint8_t *bitmap;	/* BITMAP_SIZE, then a PROT_NONE page */
	uint8_t *guard;		/* a PROT_NONE page */
};

/* Where a fault in an access through a mapping returns to */
static __thread sigjmp_buf *fault_jmp;
/* The thread's state, for the report of a fault elsewhere */
static __thread struct fz *fault_fz;

static uint64_t rnd(struct fz *f)
{
	uint64_t z = (f->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t below(struct fz *f, uint64_t n)
{
	return rnd(f) % n;
}

static bool one_in(struct fz *f, uint64_t n)
{
	return below(f, n) == 0;
}

/*
 * One line on stderr, by a single write(): no stdio lock, which a child
 * could find held by a thread that is gone.
 */
static void fz_log(struct fz *f, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n, m;

	n = snprintf(buf, sizeof(buf), "# t%u%s op%llu: ", f->id,
		     f->child ? " child" : "", (unsigned long long)f->op);
	va_start(ap, fmt);
	m = vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
	va_end(ap);
	n += m < (int)(sizeof(buf) - n - 1) ? m : (int)(sizeof(buf) - n - 2);
	buf[n++] = '\n';
	if (write(STDERR_FILENO, buf, n) < 0)
		return;
}

/*
 * Before each call: says which it is (its format string) for the tally,
 * and prints it when verbose.
 */
#define LOG(f, fmt, ...)					\
	do {							\
		struct fz *_f = (f);				\
		const char *_fmt = (fmt);			\
								\
		_f->call = _fmt;				\
		if (verbose)					\
			fz_log(_f, _fmt, ##__VA_ARGS__);	\
	} while (0)

static const uint64_t interesting[] = {
	0, 1, 2, 3, 4, 7, 8, 0x10, 0x3f, 0x40, 0x7f, 0x80, 0x9f, 0xa0, 0xff,
	0x100, 0xfff, 0x1000, 0x1001, 0x2000, 0xffff, 0x10000, 0x3ffff,
	0x40000, 0xfffff, 0x100000, 0x100001, 0x1fffff, 0x200000, 0x7fffffff,
	0x80000000, 0xfee00000, 0xfeefffff, 0xffffffff, 0x100000000ULL,
	0xfffffffffULL, 0x7fffffffffULL, 0x8000000000ULL, REGION_MASK,
	REGION_SIZE, 0x7fffffffffffULL, 0x800000000000ULL, 0xffffffffffffULL,
	0x1000000000000ULL, 1ULL << 62, (1ULL << 63) - 1, 1ULL << 63,
	(1ULL << 63) + 1, -0x1000ULL, -0x1001ULL, -2ULL, -1ULL,
};

#define NR_INTERESTING	(ARRAY_SIZE(interesting))

static uint64_t fz_u64(struct fz *f)
{
	uint64_t v = interesting[below(f, NR_INTERESTING)];

	switch (below(f, 8)) {
	case 0:
	case 1:
	case 2:
		return v;
	case 3:
		return v + below(f, 5) - 2;
	case 4:
		return rnd(f);
	case 5:
		return rnd(f) & 0xfff;
	case 6:
		return rnd(f) & 0xfffff000;
	default:
		return 1ULL << below(f, 64);
	}
}

static uint32_t fz_u32(struct fz *f)
{
	static const uint32_t v[] = {
		0, 1, 2, 3, 4, 8, 16, 0x7fffffff, 0x80000000, 0xfffffffe,
		0xffffffff, 0x1000, 0xfff,
	};

	switch (below(f, 4)) {
	case 0:
		return v[below(f, ARRAY_SIZE(v))];
	case 1:
		return (uint32_t)rnd(f);
	case 2:
		return below(f, 16);
	default:
		return (uint32_t)fz_u64(f);
	}
}

/* Mostly the right argsz, often a wrong one */
static uint32_t fz_argsz(struct fz *f, uint32_t good)
{
	if (f->sane)
		return good;
	switch (below(f, 10)) {
	case 0:
		return good - 1;
	case 1:
		return 0;
	case 2:
		return good + below(f, 64);
	case 3:
		return fz_u32(f);
	default:
		return good;
	}
}

/* An open fd of the slots, from a random one on, else -1 */
static int fz_slot(struct fz *f, const int *slots, unsigned int n)
{
	unsigned int i, start = below(f, n);
	int fd;

	for (i = 0; i < n; i++) {
		fd = __atomic_load_n(&slots[(start + i) % n], __ATOMIC_RELAXED);
		if (fd >= 0)
			return fd;
	}
	return -1;
}

/* An fd: mostly one of the slots given, sometimes anything */
static int fz_fd(struct fz *f, const int *slots, unsigned int n)
{
	static const int odd[] = { -1, 0, 1, 2, INT_MAX, INT_MIN, 1023 };

	if (f->sane)
		return fz_slot(f, slots, n);
	switch (below(f, 12)) {
	case 0:
		return odd[below(f, ARRAY_SIZE(odd))];
	case 1:
		return __atomic_load_n(&w.container[below(f, NR_CONTAINERS)],
				       __ATOMIC_RELAXED);
	case 2:
		return __atomic_load_n(&w.group[below(f, NR_EDU)],
				       __ATOMIC_RELAXED);
	case 3:
		return __atomic_load_n(&w.device[below(f, NR_DEVICES)],
				       __ATOMIC_RELAXED);
	case 4:
		/* an eventfd, but never one of the other half: fz_efd() */
		if (slots >= w.efd && slots < w.efd + NR_EVENTFDS)
			return fz_slot(f, slots, n);
		return __atomic_load_n(&w.efd[below(f, NR_EVENTFDS)],
				       __ATOMIC_RELAXED);
	default:
		return fz_slot(f, slots, n);
	}
}

/*
 * An eventfd for an interrupt trigger, or for anything else that acts
 * when it is signalled (an unmask, an ioeventfd).  They come from two
 * halves of the slots: an eventfd that both is signalled by an interrupt
 * and unmasks INTx, or writes a register that raises the interrupt again,
 * makes a loop of interrupts that keeps a CPU in them for good.  Linux
 * lets userspace build such a loop, as it lets a device storm; the
 * fuzzer stays out of it.
 */
static int fz_efd(struct fz *f, bool trigger)
{
	return fz_fd(f, w.efd + (trigger ? 0 : NR_EVENTFDS / 2),
		     NR_EVENTFDS / 2);
}

/*
 * A container: when sane, mostly the last one Type1 answered, if still
 * in a slot; only two containers can have a group, and so an IOMMU.
 */
static int fz_container(struct fz *f)
{
	bool live = !one_in(f, 4);
	int fd = fz_fd(f, w.container, NR_CONTAINERS);
	unsigned int i;

	if (f->sane && live && f->live_container >= 0)
		for (i = 0; i < NR_CONTAINERS; i++)
			if (__atomic_load_n(&w.container[i],
					    __ATOMIC_RELAXED) ==
			    f->live_container)
				return f->live_container;
	return fd;
}

static int fz_device(struct fz *f)
{
	return fz_fd(f, w.device, NR_DEVICES);
}

static int fz_group(struct fz *f)
{
	return fz_fd(f, w.group, NR_EDU);
}

/* The argument area, cleared, to build an ioctl's argument in */
static void *fz_arg(struct fz *f)
{
	memset(f->arg, 0, ARG_SIZE);
	return f->arg;
}

/*
 * Where the argument built in the argument area goes: mostly where it is,
 * sometimes so close to the area's end that the kernel's copy of size
 * bytes runs into the guard page, sometimes a pointer the kernel must
 * refuse.
 */
static void *fz_place(struct fz *f, size_t size)
{
	uint8_t *p;

	if (f->sane)
		return f->arg;
	switch (below(f, 8)) {
	case 0:
		p = f->arg + ARG_SIZE - below(f, size + 1);
		memmove(p, f->arg, f->arg + ARG_SIZE - p);
		return p;
	case 1:
		return NULL;
	case 2:
		return f->guard;
	case 3:
		return KERNEL_PTR;
	default:
		return f->arg;
	}
}

/*
 * BAR0 registers of edu that are never written: the DMA registers (a DMA
 * of a random address makes QEMU 7.2 abort the VM), and the factorial
 * register, whose random values would keep a QEMU thread busy for
 * seconds, on a host that has none to spare.
 */
static const struct {
	uint64_t start, end;
	bool ioeventfd;		/* only for ioeventfds */
} edu_forbidden[] = {
	{ EDU_REG_FACT, EDU_REG_FACT + 4, false },
	{ EDU_REG_DMA_SRC, EDU_DMA_END, false },
	/*
	 * An ioeventfd raising the interrupt would close a loop if its
	 * eventfd were a trigger too: see fz_efd().
	 */
	{ EDU_REG_IRQ_RAISE, EDU_REG_IRQ_RAISE + 4, true },
};

/*
 * Whether a write of len bytes at offset off of any file could reach
 * them.  Only BAR0 (region 0) has them, but the check is made on the
 * offset within a region, whatever the region, so that even a module
 * which got the region index wrong cannot be led there; only the indexes
 * of the other regions of a vfio-pci device are let through.
 */
static bool hits_edu_regs(uint64_t off, uint64_t len, bool ioeventfd)
{
	uint64_t index = off >> REGION_SHIFT;
	uint64_t lo = off & REGION_MASK;
	unsigned int i;

	if (index >= VFIO_PCI_BAR1_REGION_INDEX &&
	    index < VFIO_PCI_NUM_REGIONS && len < REGION_SIZE - lo)
		return false;
	if (len >= REGION_SIZE)
		return true;
	for (i = 0; i < ARRAY_SIZE(edu_forbidden); i++) {
		if (edu_forbidden[i].ioeventfd && !ioeventfd)
			continue;
		if (lo < edu_forbidden[i].end &&
		    lo + len > edu_forbidden[i].start)
			return true;
		/* running over into the next region */
		if (lo + len > REGION_SIZE &&
		    lo + len - REGION_SIZE > edu_forbidden[i].start)
			return true;
	}
	return false;
}

/* An offset within a region, near its size or its ends */
static uint64_t fz_region_off(struct fz *f)
{
	static const uint64_t sizes[] = {
		256, 4096, EDU_BAR0_SIZE, REGION_SIZE,
	};
	uint64_t size = sizes[below(f, ARRAY_SIZE(sizes))];

	switch (below(f, 6)) {
	case 0:
		return size - below(f, 9);
	case 1:
		return size + below(f, 9);
	case 2:
		return below(f, 0x100);
	case 3:
		return below(f, EDU_BAR0_SIZE);
	case 4:
		return fz_u64(f) & REGION_MASK;
	default:
		return below(f, 0x1000);
	}
}

/* A file offset: region index and offset, or anything */
static uint64_t fz_file_off(struct fz *f)
{
	uint64_t index;

	switch (below(f, 8)) {
	case 0:
		return fz_u64(f);
	case 1:
		index = fz_u64(f) >> REGION_SHIFT;
		break;
	case 2:
		index = VFIO_PCI_CONFIG_REGION_INDEX;
		break;
	case 3:
		index = below(f, 16);
		break;
	default:
		index = VFIO_PCI_BAR0_REGION_INDEX;
		break;
	}
	return index << REGION_SHIFT | fz_region_off(f);
}

static uint64_t fz_len(struct fz *f)
{
	static const uint64_t lens[] = { 1, 2, 4, 8 };

	switch (below(f, 8)) {
	case 0:
		return fz_u64(f);
	case 1:
		return below(f, IO_SIZE + 1);
	case 2:
		return 3;
	default:
		return lens[below(f, 4)];
	}
}

/* A user address for MAP_DMA: the pool, the scratch pages, or anything */
static uint64_t fz_vaddr(struct fz *f)
{
	if (f->sane)
		return (uintptr_t)w.pool + below(f, POOL_SIZE / PAGE) * PAGE;
	switch (below(f, 10)) {
	case 0:
		return fz_u64(f);
	case 1:
		return (uintptr_t)w.scratch + below(f, SCRATCH_PAGES) * PAGE;
	case 2:
		return (uintptr_t)w.pool + below(f, POOL_SIZE);
	case 3:
		return (uintptr_t)f->guard;
	default:
		return (uintptr_t)w.pool + below(f, POOL_SIZE / PAGE) * PAGE;
	}
}

/* An IOVA: low, near 4 GiB and the MSI window, at the top, or anything */
static uint64_t fz_iova(struct fz *f)
{
	if (f->sane)
		return below(f, 1024) * 16 * PAGE;
	switch (below(f, 10)) {
	case 0:
		return fz_u64(f);
	case 1:
		return 0xfee00000 + (below(f, 5) - 2) * PAGE;
	case 2:
		return (1ULL << (32 + below(f, 33))) - below(f, 3) * PAGE;
	case 3:
		return rnd(f) & ~(PAGE - 1);
	default:
		return below(f, 64) * 64 * PAGE;
	}
}

static uint64_t fz_dma_size(struct fz *f)
{
	if (f->sane)
		return (1 + below(f, 16)) * PAGE;
	switch (below(f, 8)) {
	case 0:
		return fz_u64(f);
	case 1:
		return POOL_SIZE;
	case 2:
		return PAGE + below(f, 3) - 1;
	default:
		return (1 + below(f, 16)) * PAGE;
	}
}

/*
 * A struct vfio_bitmap: a pointer the kernel may write size bytes to
 * (our bitmap area, with a size that fits), or one it must refuse.
 */
static void fz_bitmap(struct fz *f, struct vfio_bitmap *b, uint64_t range)
{
	static const uint64_t pgsizes[] = {
		PAGE, 0, 1, PAGE - 1, PAGE + 1, 2UL << 20, 1ULL << 63, -1ULL,
	};

	b->pgsize = f->sane || one_in(f, 2) ? PAGE : pgsizes[below(f, 8)];
	if (f->sane) {
		/* one bit per page, in u64s */
		b->size = (range / PAGE + 63) / 64 * 8;
		if (b->size > BITMAP_SIZE)
			b->size = BITMAP_SIZE;
		b->data = (void *)(f->bitmap + BITMAP_SIZE - b->size);
		return;
	}
	switch (below(f, 6)) {
	case 0:
		b->data = NULL;
		b->size = fz_u64(f);
		break;
	case 1:
		b->data = (void *)f->guard;
		b->size = fz_u64(f);
		break;
	case 2:
		b->data = KERNEL_PTR;
		b->size = fz_u64(f);
		break;
	default:
		b->size = below(f, BITMAP_SIZE + 1);
		b->data = (void *)(f->bitmap + BITMAP_SIZE - b->size);
		break;
	}
}

static long fz_ioctl(int fd, unsigned long req, void *arg)
{
	return vfio_ioctl(fd, req, arg);
}

/* A random ioctl number of VFIO's type (never a VFS one), any size */
static unsigned long fz_ioctl_nr(struct fz *f)
{
	return _IOC(below(f, 4), VFIO_TYPE, VFIO_BASE + below(f, 48) - 4,
		    one_in(f, 2) ? 0 : below(f, 256));
}

static long op_check_extension(struct fz *f, int fd)
{
	unsigned long ext = one_in(f, 2) ? below(f, 12) : fz_u64(f);

	LOG(f, "CHECK_EXTENSION fd %d %lu", fd, ext);
	return fz_ioctl(fd, VFIO_CHECK_EXTENSION, (void *)ext);
}

static long op_set_iommu(struct fz *f, int fd)
{
	unsigned long type = one_in(f, 2) ? below(f, 12) : fz_u64(f);

	if (one_in(f, 2))
		type = one_in(f, 3) ? VFIO_TYPE1_IOMMU :
				      VFIO_TYPE1v2_IOMMU;
	LOG(f, "SET_IOMMU fd %d %lu", fd, type);
	return fz_ioctl(fd, VFIO_SET_IOMMU, (void *)type);
}

static long op_iommu_get_info(struct fz *f, int fd)
{
	struct vfio_iommu_type1_info *info;
	long ret;
	void *p;

	info = fz_arg(f);
	info->argsz = one_in(f, 3) ? ARG_SIZE :
		fz_argsz(f, sizeof(*info));
	info->flags = one_in(f, 4) ? fz_u32(f) : 0;
	LOG(f, "IOMMU_GET_INFO fd %d argsz %u", fd, info->argsz);
	p = fz_place(f, sizeof(*info));
	ret = fz_ioctl(fd, VFIO_IOMMU_GET_INFO, p);
	if (!ret)
		f->live_container = fd;
	return ret;
}

static long op_map_dma(struct fz *f, int fd)
{
	struct vfio_iommu_type1_dma_map *map;
	typeof(f->mapped[0]) *m;
	uint32_t flags = VFIO_DMA_MAP_FLAG_READ |
			 VFIO_DMA_MAP_FLAG_WRITE;
	long ret;
	void *p;

	map = fz_arg(f);
	if (one_in(f, 4))
		flags = below(f, 16);
	if (one_in(f, 8) && !f->sane)
		flags = fz_u32(f);
	map->argsz = fz_argsz(f, sizeof(*map));
	map->flags = flags;
	map->vaddr = fz_vaddr(f);
	map->iova = fz_iova(f);
	map->size = fz_dma_size(f);
	/* a new vaddr for a recent mapping */
	if (flags & VFIO_DMA_MAP_FLAG_VADDR && f->sane) {
		m = &f->mapped[below(f, ARRAY_SIZE(f->mapped))];
		map->iova = m->iova;
		map->size = m->size;
	}
	LOG(f, "MAP_DMA fd %d argsz %u flags %#x vaddr %#llx iova %#llx size %#llx",
	    fd, map->argsz, map->flags, (unsigned long long)map->vaddr,
	    (unsigned long long)map->iova,
	    (unsigned long long)map->size);
	p = fz_place(f, sizeof(*map));
	m = &f->mapped[below(f, ARRAY_SIZE(f->mapped))];
	ret = fz_ioctl(fd, VFIO_IOMMU_MAP_DMA, p);
	if (!ret)
		f->live_container = fd;
	if (!ret && p == f->arg) {
		m->iova = map->iova;
		m->size = map->size;
	}
	return ret;
}

static long op_unmap_dma(struct fz *f, int fd)
{
	struct vfio_iommu_type1_dma_unmap *unmap;
	typeof(f->mapped[0]) *m;
	struct vfio_bitmap *bm;
	static const uint32_t flag_set[] = {
		0, VFIO_DMA_UNMAP_FLAG_ALL, VFIO_DMA_UNMAP_FLAG_VADDR,
		VFIO_DMA_UNMAP_FLAG_ALL | VFIO_DMA_UNMAP_FLAG_VADDR,
		VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP,
		VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP |
		VFIO_DMA_UNMAP_FLAG_ALL,
	};
	void *p;

	unmap = fz_arg(f);
	bm = (struct vfio_bitmap *)unmap->data;
	unmap->flags = one_in(f, 8) && !f->sane ? fz_u32(f) :
		flag_set[below(f, ARRAY_SIZE(flag_set))];
	unmap->argsz = fz_argsz(f, sizeof(*unmap) +
			(unmap->flags &
			 VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP ?
			 sizeof(*bm) : 0));
	unmap->iova = one_in(f, 4) ? 0 : fz_iova(f);
	unmap->size = one_in(f, 4) ? 0 : fz_dma_size(f);
	if (one_in(f, 3))
		unmap->size = -1ULL - unmap->iova + 1;
	m = &f->mapped[below(f, ARRAY_SIZE(f->mapped))];
	if (f->sane && unmap->flags & VFIO_DMA_UNMAP_FLAG_ALL) {
		unmap->iova = 0;
		unmap->size = 0;
	} else if (f->sane && one_in(f, 6)) {
		/* everything the sane maps can reach */
		unmap->iova = 0;
		unmap->size = 1024 * 16 * PAGE;
	} else if (f->sane) {
		unmap->iova = m->iova;
		unmap->size = m->size;
	}
	fz_bitmap(f, bm, unmap->size);
	LOG(f, "UNMAP_DMA fd %d argsz %u flags %#x iova %#llx size %#llx",
	    fd, unmap->argsz, unmap->flags,
	    (unsigned long long)unmap->iova,
	    (unsigned long long)unmap->size);
	p = fz_place(f, sizeof(*unmap) + sizeof(*bm));
	return fz_ioctl(fd, VFIO_IOMMU_UNMAP_DMA, p);
}

static long op_dirty_pages(struct fz *f, int fd)
{
	struct vfio_iommu_type1_dirty_bitmap *d;
	struct vfio_iommu_type1_dirty_bitmap_get *g;
	void *p;

	d = fz_arg(f);
	g = (struct vfio_iommu_type1_dirty_bitmap_get *)d->data;
	d->flags = 1U << below(f, 3);
	if (one_in(f, 6) && !f->sane)
		d->flags = fz_u32(f);
	d->argsz = fz_argsz(f, sizeof(*d) +
			    (d->flags &
			     VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP ?
			     sizeof(*g) : 0));
	g->iova = fz_iova(f);
	g->size = one_in(f, 2) ? POOL_SIZE : fz_dma_size(f);
	if (f->sane) {
		typeof(f->mapped[0]) *m =
			&f->mapped[below(f, ARRAY_SIZE(f->mapped))];

		g->iova = m->iova;
		g->size = m->size;
	}
	fz_bitmap(f, &g->bitmap, g->size);
	LOG(f, "DIRTY_PAGES fd %d argsz %u flags %#x iova %#llx size %#llx",
	    fd, d->argsz, d->flags, (unsigned long long)g->iova,
	    (unsigned long long)g->size);
	p = fz_place(f, sizeof(*d) + sizeof(*g));
	return fz_ioctl(fd, VFIO_IOMMU_DIRTY_PAGES, p);
}

/* A random ioctl number on a container, with 8 random u64s or a value */
static long op_container_ioctl(struct fz *f, int fd)
{
	unsigned long nr = fz_ioctl_nr(f);
	uint64_t *a;
	unsigned int i;
	void *p;

	a = fz_arg(f);
	for (i = 0; i < 8; i++)
		a[i] = fz_u64(f);
	p = fz_place(f, 64);
	/* or the argument as a value */
	if (one_in(f, 4))
		p = (void *)fz_u64(f);
	LOG(f, "ioctl container fd %d %#lx arg %p", fd, nr, p);
	return fz_ioctl(fd, nr, p);
}

/* Container ioctls: call number which, or a random one when negative */
static long op_container(struct fz *f, int which)
{
	int fd = fz_container(f);

	switch (which >= 0 ? which : (int)below(f, 16)) {
	case 0:
		LOG(f, "GET_API_VERSION fd %d", fd);
		return fz_ioctl(fd, VFIO_GET_API_VERSION, NULL);
	case 1:
		return op_check_extension(f, fd);
	case 2:
		return op_set_iommu(f, fd);
	case 3:
		return op_iommu_get_info(f, fd);
	case OP_MAP_DMA:
	case 5:
	case 6:
	case 7:
		return op_map_dma(f, fd);
	case 8:
	case 9:
	case 10:
		return op_unmap_dma(f, fd);
	case 11:
	case 12:
		return op_dirty_pages(f, fd);
	default:
		return op_container_ioctl(f, fd);
	}
}

/* A device name for GET_DEVICE_FD: right, almost right, or garbage */
static void fz_name(struct fz *f, char *name, size_t size, unsigned int e)
{
	const char *bdf = edu[one_in(f, 4) ? below(f, NR_EDU) : e];
	size_t i, n;

	switch (f->sane ? 7 : below(f, 8)) {
	case 0:
		snprintf(name, size, "%s vf_token=%08x-c335-45f4-9b16-8569e5b08258",
			 bdf, (uint32_t)rnd(f));
		break;
	case 1:
		snprintf(name, size, "%s%c", bdf, (char)(1 + below(f, 255)));
		break;
	case 2:
		n = below(f, size);
		for (i = 0; i < n; i++)
			name[i] = (char)(1 + below(f, 255));
		name[n] = '\0';
		break;
	case 3:
		/* no terminator before the guard page */
		memset(name, 'a', size);
		break;
	case 4:
		snprintf(name, size, "%.*s", (int)below(f, 13), bdf);
		break;
	default:
		snprintf(name, size, "%s", bdf);
		break;
	}
}

static long fd_store(int *slot, int fd);

/* Group ioctls */
static long op_group(struct fz *f)
{
	unsigned int slot = below(f, NR_DEVICES);
	unsigned int e = below(f, NR_EDU);
	int fd = fz_group(f);
	void *p;

	/* the group of edu e, if open */
	if (f->sane && __atomic_load_n(&w.group[e], __ATOMIC_RELAXED) >= 0)
		fd = __atomic_load_n(&w.group[e], __ATOMIC_RELAXED);

	switch (below(f, 8)) {
	case 0: {
		struct vfio_group_status *st;

		st = fz_arg(f);
		st->argsz = fz_argsz(f, sizeof(*st));
		LOG(f, "GROUP_GET_STATUS fd %d argsz %u", fd, st->argsz);
		p = fz_place(f, sizeof(*st));
		return fz_ioctl(fd, VFIO_GROUP_GET_STATUS, p);
	}
	case 1:
	case 2: {
		int *c;

		c = fz_arg(f);
		*c = fz_container(f);
		LOG(f, "GROUP_SET_CONTAINER fd %d container %d", fd, *c);
		p = fz_place(f, sizeof(int));
		return fz_ioctl(fd, VFIO_GROUP_SET_CONTAINER, p);
	}
	case 3:
		LOG(f, "GROUP_UNSET_CONTAINER fd %d", fd);
		return fz_ioctl(fd, VFIO_GROUP_UNSET_CONTAINER, NULL);
	case 4:
	case 5:
	case 6: {
		long ret;

		fz_name(f, fz_arg(f), ARG_SIZE, e);
		LOG(f, "GROUP_GET_DEVICE_FD fd %d '%.40s'", fd,
		    (char *)f->arg);
		p = fz_place(f, 64);
		ret = fz_ioctl(fd, VFIO_GROUP_GET_DEVICE_FD, p);
		if (ret >= 0 && !f->child)
			return fd_store(&w.device[slot],
					(int)ret);
		return ret;
	}
	default: {
		unsigned long nr = fz_ioctl_nr(f);

		memset(fz_arg(f), (int)below(f, 256), 256);
		LOG(f, "ioctl group fd %d %#lx", fd, nr);
		p = fz_place(f, 64);
		return fz_ioctl(fd, nr, p);
	}
	}
}

/* A vfio_irq_set: flags, index, start, count and data */
static long op_set_irqs(struct fz *f, int fd)
{
	static const uint32_t data_types[] = {
		VFIO_IRQ_SET_DATA_NONE, VFIO_IRQ_SET_DATA_BOOL,
		VFIO_IRQ_SET_DATA_EVENTFD,
	};
	static const uint32_t actions[] = {
		VFIO_IRQ_SET_ACTION_MASK, VFIO_IRQ_SET_ACTION_UNMASK,
		VFIO_IRQ_SET_ACTION_TRIGGER,
	};
	struct vfio_irq_set *set;
	size_t data_size;
	unsigned int i;
	void *p;

	set = fz_arg(f);
	set->flags = data_types[below(f, 3)] | actions[below(f, 3)];
	if (one_in(f, 10))
		set->flags = fz_u32(f);
	set->index = one_in(f, 6) ? fz_u32(f) : below(f, VFIO_PCI_NUM_IRQS + 1);
	set->start = one_in(f, 6) ? fz_u32(f) : below(f, 3);
	set->count = one_in(f, 6) ? fz_u32(f) : below(f, 4);
	if (f->sane) {
		/* INTx or MSI, one vector: set, mask, unmask, or off */
		set->flags = data_types[below(f, 3)] | actions[below(f, 3)];
		if (one_in(f, 2))
			set->flags = VFIO_IRQ_SET_DATA_EVENTFD |
				     VFIO_IRQ_SET_ACTION_TRIGGER;
		set->index = below(f, 2);
		set->start = 0;
		set->count = one_in(f, 8) ? 0 : 1;
	}
	data_size = set->flags & VFIO_IRQ_SET_DATA_EVENTFD ? 4 :
		    set->flags & VFIO_IRQ_SET_DATA_BOOL ? 1 : 0;
	for (i = 0; i < 32; i++) {
		if (set->flags & VFIO_IRQ_SET_DATA_EVENTFD) {
			int32_t efd = one_in(f, 6) ? -1 :
				fz_efd(f, set->flags &
					  VFIO_IRQ_SET_ACTION_TRIGGER);

			memcpy(set->data + 4 * i, &efd, sizeof(efd));
		} else {
			set->data[i] = below(f, 3);
		}
	}
	set->argsz = fz_argsz(f, sizeof(*set) +
			      data_size * (set->count < 32 ? set->count : 32));
	LOG(f, "SET_IRQS fd %d argsz %u flags %#x index %u start %u count %u",
	    fd, set->argsz, set->flags, set->index, set->start, set->count);
	p = fz_place(f, sizeof(*set) + 64);
	return fz_ioctl(fd, VFIO_DEVICE_SET_IRQS, p);
}

static long op_ioeventfd(struct fz *f, int fd)
{
	struct vfio_device_ioeventfd *io;
	void *p;

	io = fz_arg(f);
	io->argsz = fz_argsz(f, sizeof(*io));
	io->flags = 1U << below(f, 4);
	if (one_in(f, 8))
		io->flags = fz_u32(f);
	io->offset = fz_file_off(f);
	if (!FUZZ_IOEVENTFD_BIT63)
		io->offset &= ~(1ULL << 63);
	io->data = fz_u64(f);
	io->fd = one_in(f, 4) ? -1 : fz_efd(f, false);
	if (f->sane) {
		/* registers that are safe to write, or the buffer */
		static const uint64_t regs[] = {
			EDU_REG_LIVENESS, 0x20, EDU_REG_IRQ_ACK,
			EDU_DMA_BUF,
		};

		io->offset = regs[below(f, ARRAY_SIZE(regs))];
		io->flags = 4;
		if (io->offset == EDU_DMA_BUF) {
			io->offset += below(f, 512) * 8;
			io->flags = 1U << below(f, 4);
		}
		io->data = below(f, 4);
	}
	/* A signal of the eventfd writes there: never edu_forbidden[] */
	if (hits_edu_regs(io->offset, 8, true))
		io->offset = (uint64_t)VFIO_PCI_BAR0_REGION_INDEX <<
			     REGION_SHIFT | EDU_REG_LIVENESS;
	LOG(f, "IOEVENTFD fd %d argsz %u flags %#x offset %#llx data %#llx fd %d",
	    fd, io->argsz, io->flags, (unsigned long long)io->offset,
	    (unsigned long long)io->data, io->fd);
	p = fz_place(f, sizeof(*io));
	return fz_ioctl(fd, VFIO_DEVICE_IOEVENTFD, p);
}

static long op_hot_reset(struct fz *f, int fd)
{
	struct vfio_pci_hot_reset *r;
	unsigned int i;
	void *p;

	r = fz_arg(f);
	r->count = one_in(f, 4) ? fz_u32(f) : below(f, 4);
	r->flags = one_in(f, 4) ? fz_u32(f) : 0;
	for (i = 0; i < 16; i++)
		r->group_fds[i] = fz_group(f);
	r->argsz = fz_argsz(f, sizeof(*r) + 4 * (r->count < 16 ? r->count : 16));
	LOG(f, "PCI_HOT_RESET fd %d argsz %u count %u flags %#x", fd,
	    r->argsz, r->count, r->flags);
	p = fz_place(f, sizeof(*r) + 16);
	return fz_ioctl(fd, VFIO_DEVICE_PCI_HOT_RESET, p);
}

static long op_get_info(struct fz *f, int fd)
{
	struct vfio_device_info *info;
	void *p;

	info = fz_arg(f);
	info->argsz = fz_argsz(f, sizeof(*info));
	LOG(f, "GET_INFO fd %d argsz %u", fd, info->argsz);
	p = fz_place(f, sizeof(*info));
	return fz_ioctl(fd, VFIO_DEVICE_GET_INFO, p);
}

static long op_get_region_info(struct fz *f, int fd)
{
	struct vfio_region_info *ri;
	void *p;

	ri = fz_arg(f);
	ri->argsz = one_in(f, 4) ? ARG_SIZE : fz_argsz(f, sizeof(*ri));
	ri->index = one_in(f, 4) && !f->sane ? fz_u32(f) :
		below(f, VFIO_PCI_NUM_REGIONS + 2);
	LOG(f, "GET_REGION_INFO fd %d argsz %u index %u", fd,
	    ri->argsz, ri->index);
	p = fz_place(f, sizeof(*ri));
	return fz_ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, p);
}

static long op_get_irq_info(struct fz *f, int fd)
{
	struct vfio_irq_info *ii;
	void *p;

	ii = fz_arg(f);
	ii->argsz = fz_argsz(f, sizeof(*ii));
	ii->index = one_in(f, 4) && !f->sane ? fz_u32(f) :
		below(f, VFIO_PCI_NUM_IRQS + 2);
	LOG(f, "GET_IRQ_INFO fd %d argsz %u index %u", fd, ii->argsz,
	    ii->index);
	p = fz_place(f, sizeof(*ii));
	return fz_ioctl(fd, VFIO_DEVICE_GET_IRQ_INFO, p);
}

static long op_hot_reset_info(struct fz *f, int fd)
{
	struct vfio_pci_hot_reset_info *hi;
	void *p;

	hi = fz_arg(f);
	hi->argsz = one_in(f, 2) ? ARG_SIZE : fz_argsz(f, sizeof(*hi));
	hi->count = fz_u32(f);
	LOG(f, "GET_PCI_HOT_RESET_INFO fd %d argsz %u", fd, hi->argsz);
	p = fz_place(f, sizeof(*hi) + 64);
	return fz_ioctl(fd, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, p);
}

static long op_feature(struct fz *f, int fd)
{
	struct vfio_device_feature *ft;
	unsigned int i;
	void *p;

	ft = fz_arg(f);
	ft->flags = below(f, 12) |
		    (uint32_t)below(f, 8) << 16;
	if (one_in(f, 6))
		ft->flags = fz_u32(f);
	for (i = 0; i < 64; i++)
		ft->data[i] = one_in(f, 2) ? 0 : (uint8_t)rnd(f);
	ft->argsz = one_in(f, 3) ? sizeof(*ft) + below(f, 65) :
		fz_argsz(f, sizeof(*ft));
	LOG(f, "DEVICE_FEATURE fd %d argsz %u flags %#x", fd,
	    ft->argsz, ft->flags);
	p = fz_place(f, sizeof(*ft) + 64);
	return fz_ioctl(fd, VFIO_DEVICE_FEATURE, p);
}

/* A random ioctl number on a device, with 256 bytes of one random value */
static long op_device_ioctl(struct fz *f, int fd)
{
	unsigned long nr = fz_ioctl_nr(f);
	void *p;

	memset(fz_arg(f), (int)below(f, 256), 256);
	LOG(f, "ioctl device fd %d %#lx", fd, nr);
	p = fz_place(f, 64);
	return fz_ioctl(fd, nr, p);
}

/* Device ioctls */
static long op_device(struct fz *f)
{
	int fd = fz_device(f);

	switch (below(f, 20)) {
	case 0:
		return op_get_info(f, fd);
	case 1:
	case 2:
		return op_get_region_info(f, fd);
	case 3:
		return op_get_irq_info(f, fd);
	case 4:
	case 5:
	case 6:
	case 7:
		return op_set_irqs(f, fd);
	case 8:
		if (!one_in(f, 8))
			return 0;
		LOG(f, "RESET fd %d", fd);
		return fz_ioctl(fd, VFIO_DEVICE_RESET, NULL);
	case 9:
		return op_hot_reset_info(f, fd);
	case 10:
		if (!one_in(f, 4))
			return 0;
		return op_hot_reset(f, fd);
	case 11:
	case 12:
	case 13:
		return op_ioeventfd(f, fd);
	case 14:
	case 15:
		return op_feature(f, fd);
	default:
		return op_device_ioctl(f, fd);
	}
}

/* pread/pwrite at random offsets of any fd, mostly a device's */
static long op_rdwr(struct fz *f)
{
	int fd = fz_device(f);
	uint64_t off = fz_file_off(f);
	uint64_t len = fz_len(f);
	bool write = one_in(f, 3);
	uint8_t *buf;
	ssize_t n;
	unsigned int i;

	switch (below(f, 12)) {
	case 0:
		buf = BAD_PTR;
		break;
	case 1:
		buf = f->guard;
		break;
	default:
		/* up to the guard page after the buffer, at most */
		buf = f->io + IO_SIZE - (len < IO_SIZE ? len : IO_SIZE);
		break;
	}
	for (i = 0; i < 8; i++)
		f->io[IO_SIZE - 8 + i] = (uint8_t)rnd(f);
	if (f->sane) {
		/* a register of config space or BAR0, or the edu buffer */
		len = 1U << below(f, 4);
		switch (below(f, 3)) {
		case 0:
			off = (uint64_t)VFIO_PCI_CONFIG_REGION_INDEX <<
			      REGION_SHIFT | below(f, 256);
			break;
		case 1:
			off = below(f, 0x100);
			break;
		default:
			off = EDU_DMA_BUF + below(f, 0x1000);
			break;
		}
		off &= ~(len - 1);
		buf = f->io + IO_SIZE - len;
	}
	if (len > SSIZE_MAX)
		len = SSIZE_MAX;
	if (write) {
		/* nothing into our own output, nor into edu_forbidden[] */
		if (fd <= STDERR_FILENO || hits_edu_regs(off, len, false))
			return 0;
		LOG(f, "pwrite fd %d off %#llx len %#llx", fd,
		    (unsigned long long)off, (unsigned long long)len);
		n = pwrite(fd, buf, len, (off_t)off);
	} else {
		LOG(f, "pread fd %d off %#llx len %#llx", fd,
		    (unsigned long long)off, (unsigned long long)len);
		n = pread(fd, buf, len, (off_t)off);
	}
	return n < 0 ? -errno : n;
}

/*
 * A fault in an access through a mapping is an answer (memory decode
 * off, a hole, a protection); any other is our own bug: say where, and
 * die of it.
 */
static void fault_handler(int sig, siginfo_t *si, void *uc)
{
	char buf[160];
	int n;

	(void)uc;
	if (fault_jmp)
		siglongjmp(*fault_jmp, 1);
	n = snprintf(buf, sizeof(buf),
		     "# signal %d at %p in thread %d, op %llu\n", sig,
		     si->si_addr, fault_fz ? (int)fault_fz->id : -1,
		     fault_fz ? (unsigned long long)fault_fz->op : 0ULL);
	if (write(STDERR_FILENO, buf, n) < 0)
		n = 0;
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Reads or writes through a mapping of a device; a fault is an answer */
static long map_access(struct fz *f, unsigned int i)
{
	static const unsigned int widths[] = { 1, 2, 4, 8 };
	unsigned int width = widths[below(f, 4)];
	bool write = one_in(f, 2);
	uint64_t val = fz_u64(f), x;
	sigjmp_buf env;
	uint8_t *a;
	bool anywhere = one_in(f, 2);
	long ret = 0;

	x = below(f, 1ULL << 21);
	if (!w.map[i].addr || !w.map[i].len)
		return 0;
	/* anywhere in the mapping, or in its first page (the registers) */
	x %= anywhere && w.map[i].len > PAGE ? w.map[i].len : PAGE;
	x &= ~(uint64_t)(width - 1);
	if (write && hits_edu_regs(w.map[i].off + x, width, false))
		return 0;
	a = w.map[i].addr + x;
	LOG(f, "access map %u: %s%u at off %#llx + %#llx", i,
	    write ? "write" : "read", width * 8,
	    (unsigned long long)w.map[i].off, (unsigned long long)x);
	if (sigsetjmp(env, 1)) {
		fault_jmp = NULL;
		return -EFAULT;
	}
	fault_jmp = &env;
	/* relaxed atomics: single accesses of that width, as in vfio_util.c */
#define MMIO(type)							\
	do {								\
		if (write)						\
			__atomic_store_n((type *)a, (type)val,		\
					 __ATOMIC_RELAXED);		\
		else							\
			ret = (long)__atomic_load_n((type *)a,		\
						    __ATOMIC_RELAXED);	\
	} while (0)
	switch (width) {
	case 1:
		MMIO(uint8_t);
		break;
	case 2:
		MMIO(uint16_t);
		break;
	case 4:
		MMIO(uint32_t);
		break;
	default:
		MMIO(uint64_t);
		break;
	}
#undef MMIO
	fault_jmp = NULL;
	return ret & 0xffff;
}

/* mmap of device files at random offsets, munmap, access */
static long op_mmap(struct fz *f)
{
	static const size_t lens[] = {
		PAGE, EDU_BAR0_SIZE, 2 * EDU_BAR0_SIZE, EDU_BAR0_SIZE + PAGE,
		0, REGION_SIZE,
	};
	unsigned int i = below(f, NR_MAPS);
	long ret = 0;

	pthread_mutex_lock(&w.map_lock);
	switch (below(f, 6)) {
	case 0:
	case 1: {
		int fd = fz_device(f);
		uint64_t off = one_in(f, 4) ? fz_u64(f) :
			fz_file_off(f) & ~(PAGE - 1);
		size_t len = one_in(f, 2) ? lens[below(f, 6)] :
			(1 + below(f, 300)) * PAGE;
		int prot = below(f, 4);
		int flags = one_in(f, 8) ? MAP_PRIVATE : MAP_SHARED;
		void *a;

		if (f->sane) {
			/* some pages of BAR0 */
			off = below(f, EDU_BAR0_SIZE / PAGE) * PAGE;
			len = EDU_BAR0_SIZE - off;
			if (one_in(f, 2) && len > 16 * PAGE)
				len = (1 + below(f, 16)) * PAGE;
			prot = PROT_READ | PROT_WRITE;
			flags = MAP_SHARED;
		}

		if (w.map[i].addr)
			munmap(w.map[i].addr, w.map[i].len);
		w.map[i].addr = NULL;
		LOG(f, "mmap fd %d off %#llx len %#zx prot %d flags %d", fd,
		    (unsigned long long)off, len, prot, flags);
		a = mmap(NULL, len, prot, flags, fd, (off_t)off);
		if (a == MAP_FAILED) {
			ret = -errno;
			break;
		}
		w.map[i].addr = a;
		w.map[i].len = len;
		w.map[i].off = off;
		break;
	}
	case 2: {
		bool hole = one_in(f, 3);
		size_t pg = below(f, 1ULL << 20);

		if (!w.map[i].addr)
			break;
		if (hole) {
			/*
			 * A hole, which splits the VMA.  Not by munmap():
			 * another mapping could take the hole, and accesses
			 * through this one would then write into it.
			 */
			pg %= w.map[i].len / PAGE;
			LOG(f, "hole at page %zu of map %u", pg, i);
			ret = mmap(w.map[i].addr + pg * PAGE, PAGE, PROT_NONE,
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
				   -1, 0) == MAP_FAILED ? -errno : 0;
		} else {
			LOG(f, "munmap map %u", i);
			ret = munmap(w.map[i].addr, w.map[i].len) ? -errno : 0;
			w.map[i].addr = NULL;
		}
		break;
	}
	default:
		ret = map_access(f, i);
		break;
	}
	pthread_mutex_unlock(&w.map_lock);
	return ret;
}

/* Puts a new fd into a slot, closing what was there */
static long fd_store(int *slot, int fd)
{
	int old;

	pthread_mutex_lock(&w.lock);
	old = *slot;
	__atomic_store_n(slot, fd, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&w.lock);
	if (old >= 0)
		close(old);
	return fd;
}

static void fd_close(int *slot)
{
	fd_store(slot, -1);
}

/*
 * A working chain for one edu: a container, the group in it, an IOMMU
 * type, a device fd.  Without these now and then, random closes would
 * soon leave nothing deep to reach.
 */
static long rebuild(struct fz *f)
{
	unsigned int d = below(f, NR_DEVICES);
	unsigned int e = below(f, NR_EDU);
	unsigned int c = one_in(f, 4) ? below(f, NR_CONTAINERS) : e;
	int fd, cfd, gfd;
	long ret;

	LOG(f, "chain of edu %u in container %u", e, c);
	if (__atomic_load_n(&w.container[c], __ATOMIC_RELAXED) < 0) {
		fd = vfio_open_container();
		if (fd >= 0) {
			pthread_mutex_lock(&w.lock);
			if (w.container[c] < 0) {
				__atomic_store_n(&w.container[c], fd,
						 __ATOMIC_RELAXED);
				fd = -1;
			}
			pthread_mutex_unlock(&w.lock);
			if (fd >= 0)
				close(fd);
		}
	}
	if (__atomic_load_n(&w.group[e], __ATOMIC_RELAXED) < 0) {
		fd = vfio_open_group(edu[e]);
		if (fd >= 0) {
			pthread_mutex_lock(&w.lock);
			if (w.group[e] < 0) {
				__atomic_store_n(&w.group[e], fd,
						 __ATOMIC_RELAXED);
				fd = -1;
			}
			pthread_mutex_unlock(&w.lock);
			if (fd >= 0)
				close(fd);
		}
	}
	cfd = __atomic_load_n(&w.container[c], __ATOMIC_RELAXED);
	gfd = __atomic_load_n(&w.group[e], __ATOMIC_RELAXED);
	vfio_group_set_container(gfd, cfd);
	vfio_set_iommu(cfd, one_in(f, 3) ? VFIO_TYPE1_IOMMU :
					   VFIO_TYPE1v2_IOMMU);
	ret = vfio_get_device_fd(gfd, edu[e]);
	if (ret < 0)
		return ret;
	f->live_container = cfd;
	return fd_store(&w.device[d], (int)ret);
}

/* Closing, reopening, duplicating */
static long op_fd(struct fz *f)
{
	unsigned int d = below(f, NR_DEVICES), ev = below(f, NR_EVENTFDS);
	unsigned int i;
	int fd;

	switch (below(f, 10)) {
	case 0:
		LOG(f, "close container");
		fd_close(&w.container[below(f, NR_CONTAINERS)]);
		return 0;
	case 1:
		/*
		 * Device files hold their group's file open: without closing
		 * them too, the group could not be opened again for long.
		 */
		LOG(f, "close group");
		if (one_in(f, 2))
			for (i = 0; i < NR_DEVICES; i++)
				fd_close(&w.device[i]);
		fd_close(&w.group[below(f, NR_EDU)]);
		return 0;
	case 2:
		LOG(f, "close device");
		fd_close(&w.device[below(f, NR_DEVICES)]);
		return 0;
	case 3:
		LOG(f, "close eventfd");
		fd_close(&w.efd[below(f, NR_EVENTFDS)]);
		return 0;
	case 4:
		fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (fd < 0)
			return -errno;
		return fd_store(&w.efd[ev], fd);
	case 5: {
		/* a second open of a group that is already open */
		int e = below(f, NR_EDU);

		LOG(f, "open group of %s", edu[e]);
		fd = vfio_open_group(edu[e]);
		if (fd < 0)
			return fd;
		return fd_store(&w.group[e], fd);
	}
	case 6:
		fd = dup(fz_device(f));
		LOG(f, "dup -> %d", fd);
		if (fd < 0)
			return -errno;
		return fd_store(&w.device[d], fd);
	default:
		return rebuild(f);
	}
}

/*
 * Signals or drains an eventfd: ioeventfds write, virqfds unmask.
 *
 * A write() goes only to an fd that is in an eventfd slot while w.lock
 * is held: fds leave the slots under it before they are closed, so that
 * one cannot have become a device file meanwhile.  A write() to a device
 * file writes at its file position, which reads and writes move on by
 * themselves, up to edu's DMA registers.  A read() may go anywhere.
 */
static long op_eventfd(struct fz *f)
{
	int fd = fz_fd(f, w.efd, NR_EVENTFDS);
	unsigned int slot = below(f, NR_EVENTFDS);
	uint64_t v = 1 + below(f, 3);
	long ret;

	if (one_in(f, 3)) {
		LOG(f, "eventfd read fd %d", fd);
		return read(fd, &v, sizeof(v)) < 0 ? -errno : 0;
	}
	pthread_mutex_lock(&w.lock);
	fd = w.efd[slot];
	LOG(f, "eventfd write fd %d", fd);
	ret = write(fd, &v, sizeof(v)) < 0 ? -errno : 0;
	pthread_mutex_unlock(&w.lock);
	return ret;
}

/* Unmaps, maps back or protects a scratch page, pinned or not */
static long op_memory(struct fz *f)
{
	uint8_t *pg = w.scratch + below(f, SCRATCH_PAGES) * PAGE;
	void *a;

	switch (below(f, 3)) {
	case 0:
		LOG(f, "munmap scratch %p", pg);
		return munmap(pg, PAGE) ? -errno : 0;
	case 1:
		LOG(f, "mprotect scratch %p", pg);
		return mprotect(pg, PAGE, below(f, 4)) ? -errno : 0;
	default:
		/*
		 * Populated by the kernel: touching it here could fault, as
		 * another thread may have unmapped or protected it already.
		 */
		LOG(f, "mmap scratch %p", pg);
		a = mmap(pg, PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED |
			 MAP_POPULATE, -1, 0);
		return a == MAP_FAILED ? -errno : 0;
	}
}

/*
 * A child maps DMA (and more) through the files it inherited, then exits
 * or is killed, maybe in the middle of a call.  It runs on a copy of the
 * thread's state and takes no lock: another thread may have held one at
 * the fork.
 */
static long op_child(struct fz *f)
{
	uint64_t child_rng = rnd(f);
	unsigned int calls = 1 + below(f, 16);
	unsigned int how = below(f, 4);
	useconds_t delay = below(f, 3000);
	int status;
	pid_t pid;

	LOG(f, "fork: %u calls, how %u", calls, how);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		struct fz c = *f;
		unsigned int i;

		c.child = true;
		c.rng = child_rng;
		for (i = 0; i < calls; i++) {
			c.op = i;
			c.sane = !one_in(&c, 3);
			if (one_in(&c, 2))
				op_container(&c, OP_MAP_DMA);
			else if (one_in(&c, 3))
				op_device(&c);
			else
				op_container(&c, -1);
			if (how == 3 && i == calls / 2)
				raise(SIGKILL);
		}
		_exit(0);
	}
	if (how == 1)
		kill(pid, SIGKILL);
	if (how == 2) {
		usleep(delay);
		kill(pid, SIGKILL);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return 0;
}

static long fz_one(struct fz *f)
{
	unsigned int r = below(f, 1000);
	unsigned int kind;
	long ret;

	f->sane = !one_in(f, 3);
	f->call = NULL;
	if (r < 250)
		kind = OP_CONTAINER;
	else if (r < 350)
		kind = OP_GROUP;
	else if (r < 650)
		kind = OP_DEVICE;
	else if (r < 800)
		kind = OP_RDWR;
	else if (r < 880)
		kind = OP_MMAP;
	else if (r < 950)
		kind = OP_FD;
	else if (r < 975)
		kind = OP_EVENTFD;
	else if (r < 997)
		kind = OP_MEMORY;
	else
		kind = OP_CHILD;

	switch (kind) {
	case OP_CONTAINER:
		ret = op_container(f, -1);
		break;
	case OP_GROUP:
		ret = op_group(f);
		break;
	case OP_DEVICE:
		ret = op_device(f);
		break;
	case OP_RDWR:
		ret = op_rdwr(f);
		break;
	case OP_MMAP:
		ret = op_mmap(f);
		break;
	case OP_FD:
		ret = op_fd(f);
		break;
	case OP_EVENTFD:
		ret = op_eventfd(f);
		break;
	case OP_MEMORY:
		ret = op_memory(f);
		break;
	default:
		ret = op_child(f);
		break;
	}
	if (verbose)
		fz_log(f, "-> %ld", ret);
	tally(f->call, ret);
	__atomic_add_fetch(&stat_calls[kind], 1, __ATOMIC_RELAXED);
	if (ret >= 0)
		__atomic_add_fetch(&stat_ok[kind], 1, __ATOMIC_RELAXED);
	return ret;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void *fz_thread(void *data)
{
	struct fz *f = data;
	uint64_t n = nr_ops / nr_threads + (f->id < nr_ops % nr_threads);

	fault_fz = f;
	for (f->op = 0; f->op < n; f->op++) {
		if (deadline && !(f->op % 64) && now_ns() > deadline)
			break;
		fz_one(f);
	}
	return NULL;
}

/* Areas followed by PROT_NONE pages, for one thread */
static int fz_init(struct fz *f, unsigned int id)
{
	size_t size = ARG_SIZE + IO_SIZE + BITMAP_SIZE + 3 * PAGE;
	uint8_t *p;

	memset(f, 0, sizeof(*f));
	f->id = id;
	f->live_container = -1;
	f->rng = seed ^ (0x9e3779b97f4a7c15ULL * (id + 1));
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	memset(p, 0, size);
	f->arg = p;
	f->io = p + ARG_SIZE + PAGE;
	f->bitmap = f->io + IO_SIZE + PAGE;
	f->guard = f->io - PAGE;
	if (mprotect(f->io - PAGE, PAGE, PROT_NONE) ||
	    mprotect(f->bitmap - PAGE, PAGE, PROT_NONE) ||
	    mprotect(f->bitmap + BITMAP_SIZE, PAGE, PROT_NONE))
		return -errno;
	return 0;
}

static void fz_fini(struct fz *f)
{
	if (f->arg)
		munmap(f->arg, ARG_SIZE + IO_SIZE + BITMAP_SIZE + 3 * PAGE);
	f->arg = NULL;
}

/* A "Name:   N kB" line of /proc/self/status, -1 if absent */
static long long status_kb(const char *name)
{
	size_t len = strlen(name);
	long long val = -1;
	char line[256];
	FILE *fp;

	fp = fopen("/proc/self/status", "r");
	if (!fp)
		return -1;
	while (fgets(line, sizeof(line), fp)) {
		if (!strncmp(line, name, len) && line[len] == ':') {
			val = strtoll(line + len + 1, NULL, 10);
			break;
		}
	}
	fclose(fp);
	return val;
}

/* /sys/module/<name>/refcnt, -errno when unreadable */
static long module_refcnt(const char *name)
{
	char path[128], buf[32];
	ssize_t n;
	FILE *fp;

	snprintf(path, sizeof(path), "/sys/module/%s/refcnt", name);
	fp = fopen(path, "r");
	if (!fp)
		return -errno;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

/* The open fds, as a bitmap of the first 1024; -errno on failure */
static int open_fds(uint64_t fds[16])
{
	struct dirent *de;
	DIR *d;
	int self;

	memset(fds, 0, 16 * sizeof(uint64_t));
	d = opendir("/proc/self/fd");
	if (!d)
		return -errno;
	self = dirfd(d);
	while ((de = readdir(d))) {
		int fd = atoi(de->d_name);

		if (de->d_name[0] == '.' || fd == self || fd >= 1024)
			continue;
		fds[fd / 64] |= 1ULL << (fd % 64);
	}
	closedir(d);
	return 0;
}

static void close_all(void)
{
	unsigned int i;

	for (i = 0; i < NR_MAPS; i++) {
		if (w.map[i].addr)
			munmap(w.map[i].addr, w.map[i].len);
		w.map[i].addr = NULL;
	}
	for (i = 0; i < NR_DEVICES; i++)
		fd_close(&w.device[i]);
	for (i = 0; i < NR_EDU; i++)
		fd_close(&w.group[i]);
	for (i = 0; i < NR_CONTAINERS; i++)
		fd_close(&w.container[i]);
	for (i = 0; i < NR_EVENTFDS; i++)
		fd_close(&w.efd[i]);
	if (w.pool)
		munmap(w.pool, POOL_SIZE);
	if (w.scratch)
		munmap(w.scratch, SCRATCH_PAGES * PAGE);
	w.pool = NULL;
	w.scratch = NULL;
}

/* Opens an edu, reads its ID through read and mmap, checks liveness */
static void check_edu(struct __test_metadata *_metadata, const char *bdf)
{
	struct vfio_dev d;
	uint32_t val;

	ASSERT_EQ(0, vfio_dev_open(&d, bdf, VFIO_TYPE1v2_IOMMU)) {
		vfio_dev_close(&d);
	}
	EXPECT_EQ(0, edu_enable(&d));
	EXPECT_EQ(0, vfio_region_read(d.device, &d.bar0, EDU_REG_ID, &val,
				      sizeof(val)));
	EXPECT_EQ(EDU_ID_VALUE, val) TH_LOG("%s: ID register", bdf);
	EXPECT_EQ(0, edu_map_bar0(&d));
	if (d.bar0_map) {
		EXPECT_EQ(EDU_ID_VALUE, edu_read32(&d, EDU_REG_ID));
		edu_write32(&d, EDU_REG_LIVENESS, 0x12345678);
		EXPECT_EQ(~0x12345678U, edu_read32(&d, EDU_REG_LIVENESS));
	}
	vfio_dev_close(&d);
}

static void check_refcnt(struct __test_metadata *_metadata)
{
	EXPECT_EQ(0, module_refcnt("vfio_pci"))
		TH_LOG("vfio_pci holds a reference with every fd closed");
	EXPECT_EQ(0, module_refcnt("vfio_iommu_type1"))
		TH_LOG("vfio_iommu_type1 holds a reference with every fd closed");
}

FIXTURE(fuzz)
{
	struct fz *f;
	uint64_t fds_before[16];
};

FIXTURE_SETUP(fuzz)
{
	unsigned int i;

	memset(&w.container, 0xff, sizeof(w.container));
	memset(&w.group, 0xff, sizeof(w.group));
	memset(&w.device, 0xff, sizeof(w.device));
	memset(&w.efd, 0xff, sizeof(w.efd));
	ASSERT_EQ(0, open_fds(self->fds_before));
	self->f = calloc(nr_threads, sizeof(*self->f));
	ASSERT_NE(NULL, self->f);
	for (i = 0; i < nr_threads; i++)
		ASSERT_EQ(0, fz_init(&self->f[i], i));

	w.pool = vfio_alloc(POOL_SIZE);
	ASSERT_NE(NULL, w.pool);
	w.scratch = vfio_alloc(SCRATCH_PAGES * PAGE);
	ASSERT_NE(NULL, w.scratch);
	for (i = 0; i < NR_EVENTFDS; i++) {
		w.efd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		ASSERT_LE(0, w.efd[i]);
	}
	/* both devices open, to start deep */
	for (i = 0; i < NR_EDU; i++) {
		w.container[i] = vfio_open_container();
		ASSERT_LE(0, w.container[i]);
		w.group[i] = vfio_open_group(edu[i]);
		ASSERT_LE(0, w.group[i]);
		ASSERT_EQ(0, vfio_group_set_container(w.group[i],
						      w.container[i]));
		ASSERT_EQ(0, vfio_set_iommu(w.container[i],
					    VFIO_TYPE1v2_IOMMU));
		w.device[i] = vfio_get_device_fd(w.group[i], edu[i]);
		ASSERT_LE(0, w.device[i]);
	}
}

FIXTURE_TEARDOWN(fuzz)
{
	unsigned int i;

	close_all();
	if (self->f)
		for (i = 0; i < nr_threads; i++)
			fz_fini(&self->f[i]);
	free(self->f);
}

static void fault_handlers(void)
{
	struct sigaction sa = { .sa_sigaction = fault_handler };

	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NODEFER | SA_SIGINFO;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
}

/*
 * The seed in the kernel log too: when the kernel hangs, the console may
 * be all that comes back of the VM.
 */
static void kmsg_seed(void)
{
	char buf[128];
	int fd, n;

	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = snprintf(buf, sizeof(buf),
		     "vfio_fuzz_test: seed %llu, %llu calls, %u threads\n",
		     (unsigned long long)seed, (unsigned long long)nr_ops,
		     nr_threads);
	if (write(fd, buf, n) < 0)
		n = 0;
	close(fd);
}

TEST_F_TIMEOUT(fuzz, threads, FUZZ_TIMEOUT)
{
	pthread_t tid[FUZZ_MAX_THREADS];
	uint64_t fds_after[16], done;
	struct timespec t0, t1;
	unsigned int i;
	double secs;

	printf("# seed %llu: replay with VFIO_FUZZ_SEED=%llu\n",
	       (unsigned long long)seed, (unsigned long long)seed);
	kmsg_seed();
	printf("# %llu operations in %u threads", (unsigned long long)nr_ops,
	       nr_threads);
	if (time_limit)
		printf(", at most %llu s", (unsigned long long)time_limit);
	printf("\n");
	fflush(stdout);
	fault_handlers();

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (time_limit)
		deadline = now_ns() + time_limit * 1000000000ULL;
	for (i = 0; i < nr_threads; i++)
		ASSERT_EQ(0, pthread_create(&tid[i], NULL, fz_thread,
					    &self->f[i]));
	for (i = 0; i < nr_threads; i++)
		pthread_join(tid[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	for (i = 0, done = 0; i < nr_threads; i++)
		done += self->f[i].op;
	printf("# %llu operations in %.1f s%s\n", (unsigned long long)done,
	       secs, done < nr_ops ? ", stopped at the time limit" : "");
	for (i = 0; i < NR_OP_KINDS; i++)
		printf("#   %-9s %8llu calls, %8llu succeeded\n", op_names[i],
		       (unsigned long long)stat_calls[i],
		       (unsigned long long)stat_ok[i]);
	printf("# by call:\n");
	for (i = 0; i < ARRAY_SIZE(tallies) && tallies[i].call; i++)
		printf("#   %-24.*s %8llu calls, %8llu succeeded\n",
		       (int)strcspn(tallies[i].call, "%:"), tallies[i].call,
		       (unsigned long long)tallies[i].calls,
		       (unsigned long long)tallies[i].ok);
	fflush(stdout);

	/* Everything closed: nothing may be left behind */
	close_all();
	ASSERT_EQ(0, open_fds(fds_after));
	for (i = 0; i < 1024; i++) {
		bool before = self->fds_before[i / 64] >> (i % 64) & 1;
		bool after = fds_after[i / 64] >> (i % 64) & 1;

		EXPECT_EQ(before, after) TH_LOG("fd %u left open", i);
	}
	EXPECT_EQ(0, status_kb("VmLck"))
		TH_LOG("locked memory left with every fd closed");
	if (status_kb("VmPin") >= 0)
		EXPECT_EQ(0, status_kb("VmPin"))
			TH_LOG("pinned memory left with every fd closed");
	check_refcnt(_metadata);

	/* Both devices still work */
	for (i = 0; i < NR_EDU; i++)
		check_edu(_metadata, edu[i]);
	check_refcnt(_metadata);
	EXPECT_EQ(0, status_kb("VmLck"));
}

/* Why the fuzzer skips Debian's modules */
static const char stock_msg[] =
	"stock 6.1 modules oops on VFIO_DEVICE_IOEVENTFD at offset bit 63";

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : def;
}

int main(int argc, char **argv)
{
	struct timespec ts;

	/* vfio_test_env() may return the same buffer each time */
	edu[0] = vfio_test_env("VFIO_EDU0");
	edu[0] = edu[0] ? strdup(edu[0]) : NULL;
	edu[1] = vfio_test_env("VFIO_EDU1");
	edu[1] = edu[1] ? strdup(edu[1]) : NULL;
	if (!edu[0] || !edu[1] || access(VFIO_CONTAINER_PATH, F_OK)) {
		ksft_print_header();
		ksft_exit_skip("no VFIO test VM (VFIO_EDU0, VFIO_EDU1, %s)\n",
			       VFIO_CONTAINER_PATH);
	}
	if (vfio_stock_modules()) {
		ksft_print_header();
		ksft_exit_skip("%s\n", stock_msg);
	}

	clock_gettime(CLOCK_REALTIME, &ts);
	seed = env_u64("VFIO_FUZZ_SEED",
		       (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec);
	nr_ops = env_u64("VFIO_FUZZ_OPS", 0);
	/* The default run must fit run_tests.sh's limit, even when slow */
	time_limit = env_u64("VFIO_FUZZ_SECONDS",
			     nr_ops ? 0 : FUZZ_DEFAULT_SECONDS);
	if (!nr_ops)
		nr_ops = FUZZ_DEFAULT_OPS;
	nr_threads = env_u64("VFIO_FUZZ_THREADS", FUZZ_DEFAULT_THREADS);
	if (!nr_threads || nr_threads > FUZZ_MAX_THREADS)
		nr_threads = FUZZ_DEFAULT_THREADS;
	verbose = env_u64("VFIO_FUZZ_VERBOSE", 0);
	return test_harness_run(argc, argv);
}
