// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every error path of the calls a VFIO user makes, in the style of
 * iommufd_fail_nth: for each call, make the 1st, 2nd, ... nth failure
 * point that this thread reaches fail, until the call no longer reaches
 * an nth one.  After each injected failure the same call must succeed
 * when tried again on the same state, and the guest must log no splat;
 * the debug-kernel lanes also check kmemleak at the end and that the
 * modules unload.
 *
 * Two sources of failures, each where the kernel has it:
 * - "vfio": our own failure points (include/linux/vfio.h), every
 *   allocation and fallible kernel call of our modules, through
 *   /sys/kernel/debug/vfio/fail_nth (our modules built for a debug kernel).
 *   Nothing outside our code fails, so every call is covered.
 * - "kernel": every allocation of the kernel, ours and the core's, through
 *   /proc/thread-self/fail-nth with failslab and fail_page_alloc failing
 *   sleeping allocations too (CONFIG_FAULT_INJECTION).  Not for the calls
 *   that reach 6.1 core code with bugs of its own on its error paths
 *   (Documentation/vfio.rst): the first GET_DEVICE_FD of a device
 *   (pci_enable_device() and ACPI's _PRT evaluation) and SET_IRQS
 *   (the IRQ core's /proc entries).
 * Skips where neither exists (Debian's kernel).
 *
 * replay.join: a failure at a group's join into the existing domain makes
 * Type1 replay the mappings into the group's own domain; EDU1's DMA then
 * checks them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/mount.h>

#include "vfio_util.h"
#include "kselftest_harness.h"

#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define VFIO_FAIL_NTH	"/sys/kernel/debug/vfio/fail_nth"
#define DEBUGFS		"/sys/kernel/debug"
#define MAX_NTH		1000
/*
 * More pages than Type1 keeps on its stack (16), faulted in from the last
 * to the first so that hardly two are physically contiguous: MAP_DMA then
 * allocates its page of pinned pages, UNMAP_DMA its list of runs, and
 * those allocations are failure points too.
 */
#define BUF_PAGES	64
#define BUF_SIZE	(BUF_PAGES * 4096UL)
#define IOVA		0x100000UL

static const char *edu0, *edu1, *nvme;
static bool kernel_source;	/* failslab set up for fail-nth */

/* What a scenario works on; fds are -1 and pointers NULL when unused. */
struct fn_state {
	struct vfio_dev d;
	int fd;			/* what the call under test opened */
	int efd;
	void *buf;
	void *map;
};

struct fn_scenario {
	const char *name;
	/* Preconditions, not injected: 0 or -errno */
	int (*setup)(struct fn_state *s);
	/* The call under test: 0 or -errno */
	int (*call)(struct fn_state *s);
	/* Undoes a successful call, leaving what setup made */
	void (*undo)(struct fn_state *s);
	/* Safe with every kernel allocation failing (see above) */
	bool kernel_safe;
};

/* Arms fail-nth for the nth fallible call of this thread from now on. */
static int arm(int nth_fd, unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	return pwrite(nth_fd, buf, len, 0) == len ? 0 : -errno;
}

/*
 * Disarms, whatever happens: how many failure points were still to go
 * (0: the failure was injected), or -errno.
 */
static int disarm(int nth_fd)
{
	char buf[16] = "";
	ssize_t n;

	n = pread(nth_fd, buf, sizeof(buf) - 1, 0);
	if (pwrite(nth_fd, "0", 1, 0) != 1)
		return -errno;
	return n > 0 ? atoi(buf) : n < 0 ? -errno : -EIO;
}

/* A line in the kernel log, to tell which call a splat came from */
static void mark_log(const char *fmt, const char *a, const char *b)
{
	char line[160];
	int fd, len;

	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	len = snprintf(line, sizeof(line), "%s: ", program_invocation_short_name);
	len += snprintf(line + len, sizeof(line) - len, fmt, a, b);
	if (write(fd, line, len) < 0)
		len = 0;
	close(fd);
}

static void state_init(struct fn_state *s)
{
	vfio_dev_init(&s->d, edu0);
	s->fd = -1;
	s->efd = -1;
	s->buf = NULL;
	s->map = NULL;
}

static void state_close(struct fn_state *s)
{
	if (s->map)
		munmap(s->map, s->d.bar0.size);
	if (s->fd >= 0)
		close(s->fd);
	if (s->efd >= 0)
		close(s->efd);
	vfio_dev_close(&s->d);
	if (s->buf)
		vfio_free(s->buf, BUF_SIZE);
	state_init(s);
}

static int ret_fd(struct fn_state *s, int fd)
{
	if (fd < 0)
		return fd;
	s->fd = fd;
	return 0;
}

static void close_fd(struct fn_state *s)
{
	close(s->fd);
	s->fd = -1;
}

static int setup_none(struct fn_state *s)
{
	(void)s;
	return 0;
}

static int setup_container_group(struct fn_state *s)
{
	s->d.container = vfio_open_container();
	if (s->d.container < 0)
		return s->d.container;
	s->d.group = vfio_open_group(edu0);
	return s->d.group < 0 ? s->d.group : 0;
}

static int setup_group_set(struct fn_state *s)
{
	int ret = setup_container_group(s);

	return ret ? ret : vfio_group_set_container(s->d.group,
						    s->d.container);
}

static void *alloc_fragmented(void)
{
	char *p = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long i;

	if (p == MAP_FAILED)
		return NULL;
	madvise(p, BUF_SIZE, MADV_NOHUGEPAGE);
	for (i = BUF_PAGES - 1; i >= 0; i--)
		p[i * 4096] = 1;
	return p;
}

static int setup_iommu(struct fn_state *s)
{
	int ret = setup_group_set(s);

	if (ret)
		return ret;
	ret = vfio_set_iommu(s->d.container, VFIO_TYPE1v2_IOMMU);
	if (ret)
		return ret;
	s->buf = alloc_fragmented();
	return s->buf ? 0 : -ENOMEM;
}

static int setup_mapped(struct fn_state *s)
{
	int ret = setup_iommu(s);

	return ret ? ret : vfio_map_dma(s->d.container, s->buf, IOVA,
					BUF_SIZE, VFIO_DMA_MAP_FLAG_READ |
					VFIO_DMA_MAP_FLAG_WRITE);
}

static int setup_device(struct fn_state *s)
{
	int ret;

	vfio_dev_close(&s->d);
	ret = vfio_dev_open(&s->d, edu0, VFIO_TYPE1v2_IOMMU);
	if (ret)
		return ret;
	s->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	return s->efd < 0 ? -errno : edu_enable(&s->d);
}

static int call_open_container(struct fn_state *s)
{
	return ret_fd(s, vfio_open_container());
}

static int call_open_group(struct fn_state *s)
{
	return ret_fd(s, vfio_open_group(edu0));
}

static int call_set_container(struct fn_state *s)
{
	return vfio_group_set_container(s->d.group, s->d.container);
}

static void undo_set_container(struct fn_state *s)
{
	vfio_group_unset_container(s->d.group);
}

static int call_set_iommu(struct fn_state *s)
{
	return vfio_set_iommu(s->d.container, VFIO_TYPE1v2_IOMMU);
}

/* SET_IOMMU cannot be undone but by leaving the container */
static void undo_set_iommu(struct fn_state *s)
{
	vfio_group_unset_container(s->d.group);
	vfio_group_set_container(s->d.group, s->d.container);
}

static int call_map_dma(struct fn_state *s)
{
	return vfio_map_dma(s->d.container, s->buf, IOVA, BUF_SIZE,
			    VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE);
}

static void undo_map_dma(struct fn_state *s)
{
	vfio_unmap_dma(s->d.container, IOVA, BUF_SIZE, 0, NULL);
}

static int call_unmap_dma(struct fn_state *s)
{
	uint64_t unmapped = 0;
	int ret;

	ret = vfio_unmap_dma(s->d.container, IOVA, BUF_SIZE, 0, &unmapped);
	if (!ret && unmapped != BUF_SIZE)
		return -EIO;
	return ret;
}

static void undo_unmap_dma(struct fn_state *s)
{
	call_map_dma(s);
}

static int call_get_device_fd(struct fn_state *s)
{
	return ret_fd(s, vfio_get_device_fd(s->d.group, edu0));
}

static int call_ioeventfd(struct fn_state *s)
{
	struct vfio_device_ioeventfd ie = {
		.argsz = sizeof(ie),
		.flags = 4,
		.offset = s->d.bar0.offset + EDU_REG_LIVENESS,
		.fd = s->efd,
	};

	return vfio_ioctl(s->d.device, VFIO_DEVICE_IOEVENTFD, &ie);
}

static void undo_ioeventfd(struct fn_state *s)
{
	struct vfio_device_ioeventfd ie = {
		.argsz = sizeof(ie),
		.flags = 4,
		.offset = s->d.bar0.offset + EDU_REG_LIVENESS,
		.fd = -1,
	};

	vfio_ioctl(s->d.device, VFIO_DEVICE_IOEVENTFD, &ie);
}

/* mmap and the first fault, which maps the BAR's pages in */
static int call_mmap(struct fn_state *s)
{
	void *p = mmap(NULL, s->d.bar0.size, PROT_READ | PROT_WRITE,
		       MAP_SHARED, s->d.device, (off_t)s->d.bar0.offset);

	if (p == MAP_FAILED)
		return -errno;
	s->map = p;
	return __atomic_load_n((uint32_t *)p, __ATOMIC_RELAXED) ==
	       EDU_ID_VALUE ? 0 : -EIO;
}

static void undo_mmap(struct fn_state *s)
{
	munmap(s->map, s->d.bar0.size);
	s->map = NULL;
}

static int call_intx(struct fn_state *s)
{
	return vfio_irq_set_eventfd(s->d.device, VFIO_PCI_INTX_IRQ_INDEX,
				    s->efd);
}

static void undo_intx(struct fn_state *s)
{
	vfio_irq_set_eventfd(s->d.device, VFIO_PCI_INTX_IRQ_INDEX, -1);
}

static int setup_msi(struct fn_state *s)
{
	int ret = setup_device(s);

	return ret ? ret : vfio_irq_set_eventfd(s->d.device,
						VFIO_PCI_MSI_IRQ_INDEX, s->efd);
}

static int call_msi(struct fn_state *s)
{
	return vfio_irq_set_eventfd(s->d.device, VFIO_PCI_MSI_IRQ_INDEX,
				    s->efd);
}

static void undo_msi(struct fn_state *s)
{
	vfio_irq_set_eventfd(s->d.device, VFIO_PCI_MSI_IRQ_INDEX, -1);
}

/* read() of a BAR goes through a kernel bounce buffer */
static int call_bar_read(struct fn_state *s)
{
	uint32_t id = 0;
	int ret;

	ret = vfio_region_read(s->d.device, &s->d.bar0, EDU_REG_ID, &id,
			       sizeof(id));
	return ret ? ret : id == EDU_ID_VALUE ? 0 : -EIO;
}

static void undo_nothing(struct fn_state *s)
{
	(void)s;
}

static void undo_close_device(struct fn_state *s)
{
	close(s->d.device);
	s->d.device = -1;
}

static int call_first_device_fd(struct fn_state *s)
{
	int fd = vfio_get_device_fd(s->d.group, edu0);

	if (fd < 0)
		return fd;
	s->d.device = fd;
	return 0;
}

/* The NVMe controller: the device of the VM with MSI-X */
static int setup_nvme(struct fn_state *s)
{
	int ret;

	vfio_dev_close(&s->d);
	ret = vfio_dev_open(&s->d, nvme, VFIO_TYPE1v2_IOMMU);
	if (ret)
		return ret;
	s->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	return s->efd < 0 ? -errno : 0;
}

static int call_msix(struct fn_state *s)
{
	return vfio_irq_set_eventfd(s->d.device, VFIO_PCI_MSIX_IRQ_INDEX,
				    s->efd);
}

static void undo_msix(struct fn_state *s)
{
	vfio_irq_set_eventfd(s->d.device, VFIO_PCI_MSIX_IRQ_INDEX, -1);
}

static const struct fn_scenario scenarios[] = {
	{ "open_container", setup_none, call_open_container, close_fd, true },
	{ "open_group", setup_none, call_open_group, close_fd, true },
	{ "set_container", setup_container_group, call_set_container,
	  undo_set_container, true },
	{ "set_iommu", setup_group_set, call_set_iommu, undo_set_iommu, true },
	{ "map_dma", setup_iommu, call_map_dma, undo_map_dma, true },
	{ "unmap_dma", setup_mapped, call_unmap_dma, undo_unmap_dma, true },
	{ "first_device_fd", setup_iommu, call_first_device_fd,
	  undo_close_device, false },
	{ "second_device_fd", setup_device, call_get_device_fd, close_fd,
	  true },
	{ "ioeventfd", setup_device, call_ioeventfd, undo_ioeventfd, true },
	{ "mmap", setup_device, call_mmap, undo_mmap, true },
	{ "bar_read", setup_device, call_bar_read, undo_nothing, true },
	{ "set_irqs_intx", setup_device, call_intx, undo_intx, false },
	{ "set_irqs_msi", setup_device, call_msi, undo_msi, false },
	{ "set_irqs_msi_retarget", setup_msi, call_msi, undo_nothing, false },
	{ "set_irqs_msix", setup_nvme, call_msix, undo_msix, false },
};

static long vm_locked_kb(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmLck: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

FIXTURE(fail_nth)
{
	struct fn_state s;
};

FIXTURE_VARIANT(fail_nth)
{
	unsigned int scenario;
};

FIXTURE_VARIANT_ADD(fail_nth, open_container) { .scenario = 0 };
FIXTURE_VARIANT_ADD(fail_nth, open_group) { .scenario = 1 };
FIXTURE_VARIANT_ADD(fail_nth, set_container) { .scenario = 2 };
FIXTURE_VARIANT_ADD(fail_nth, set_iommu) { .scenario = 3 };
FIXTURE_VARIANT_ADD(fail_nth, map_dma) { .scenario = 4 };
FIXTURE_VARIANT_ADD(fail_nth, unmap_dma) { .scenario = 5 };
FIXTURE_VARIANT_ADD(fail_nth, first_device_fd) { .scenario = 6 };
FIXTURE_VARIANT_ADD(fail_nth, second_device_fd) { .scenario = 7 };
FIXTURE_VARIANT_ADD(fail_nth, ioeventfd) { .scenario = 8 };
FIXTURE_VARIANT_ADD(fail_nth, mmap) { .scenario = 9 };
FIXTURE_VARIANT_ADD(fail_nth, bar_read) { .scenario = 10 };
FIXTURE_VARIANT_ADD(fail_nth, set_irqs_intx) { .scenario = 11 };
FIXTURE_VARIANT_ADD(fail_nth, set_irqs_msi) { .scenario = 12 };
FIXTURE_VARIANT_ADD(fail_nth, set_irqs_msi_retarget) { .scenario = 13 };
FIXTURE_VARIANT_ADD(fail_nth, set_irqs_msix) { .scenario = 14 };

FIXTURE_SETUP(fail_nth)
{
	state_init(&self->s);
}

FIXTURE_TEARDOWN(fail_nth)
{
	state_close(&self->s);
}

/*
 * Fails the 1st, 2nd, ... failure point of @path's source in sc's call.
 * Returns how many points the call reached (-1: none could be armed).
 */
static int run_nth(struct __test_metadata *_metadata, const char *path,
		   const struct fn_scenario *sc, struct fn_state *s)
{
	unsigned int n, failed = 0;
	int nth_fd, ret, left;

	nth_fd = open(path, O_RDWR | O_CLOEXEC);
	if (nth_fd < 0)
		return -1;
	mark_log("%s, %s", sc->name, path);
	for (n = 1; n <= MAX_NTH; n++) {
		ASSERT_EQ(0, sc->setup(s)) {
			TH_LOG("%s: setup after failure %u", sc->name, n - 1);
		}
		ASSERT_EQ(0, arm(nth_fd, n));
		ret = sc->call(s);
		left = disarm(nth_fd);
		ASSERT_LE(0, left) {
			TH_LOG("%s: %s unreadable", sc->name, path);
		}
		if (left) {
			/* fewer than n failure points: done */
			EXPECT_EQ(0, ret) {
				TH_LOG("%s: %d without an injected failure",
				       sc->name, ret);
			}
			state_close(s);
			break;
		}
		if (ret)
			failed++;
		else
			sc->undo(s);	/* the kernel got by without it */
		/* the same call on the same state now succeeds */
		EXPECT_EQ(0, sc->call(s)) {
			TH_LOG("%s: retry after failure %u (%d)", sc->name, n,
			       ret);
		}
		state_close(s);
	}
	close(nth_fd);
	TH_LOG("%s, %s: %u failure points, %u failed the call", sc->name,
	       path, n - 1, failed);
	EXPECT_GE(MAX_NTH, n);
	EXPECT_EQ(0, vm_locked_kb());
	return n - 1;
}

TEST_F_TIMEOUT(fail_nth, call, 600)
{
	const struct fn_scenario *sc = &scenarios[variant->scenario];
	int ours, kernel = -1;

	ours = run_nth(_metadata, VFIO_FAIL_NTH, sc, &self->s);
	if (sc->kernel_safe && kernel_source)
		kernel = run_nth(_metadata, FAIL_NTH, sc, &self->s);
	if (ours < 0 && kernel < 0)
		SKIP(return, "no failure source for %s here", sc->name);
}

/*
 * Replay of the mappings into a second domain.  Both edus sit behind one
 * IOMMU, so a group joining a container with mappings normally moves
 * into the existing domain and nothing is replayed.  With the nth failure
 * point of the join failed (the attach to the existing domain among
 * them), the group keeps a domain of its own, into which Type1 copies
 * every mapping.  For each n until the attach reaches no nth point: an
 * attach that succeeds after an injected failure must leave EDU1's DMA
 * moving the right data through the existing mappings, and an unmap must
 * then take a mapping from both domains.  Ours only (fail_nth).
 */
#define REPLAY_SRC	IOVA
#define REPLAY_DST	(IOVA + BUF_SIZE)
#define REPLAY_LEN	2000

/* EDU1's device in a container already set, its BAR0 mapped and on. */
static int replay_device(struct vfio_dev *d1, const char *edu1)
{
	int ret = vfio_get_device_fd(d1->group, edu1);

	if (ret < 0)
		return ret;
	d1->device = ret;
	ret = vfio_region_info(d1->device, VFIO_PCI_CONFIG_REGION_INDEX,
			       &d1->config);
	if (!ret)
		ret = vfio_region_info(d1->device, VFIO_PCI_BAR0_REGION_INDEX,
				       &d1->bar0);
	if (!ret)
		ret = edu_map_bar0(d1);
	return ret ? ret : edu_enable(d1);
}

/* EDU1 copies src to dst through the mappings; then dst is unmapped. */
static void replay_check(struct __test_metadata *_metadata,
			 struct fn_state *s, struct vfio_dev *d1,
			 uint8_t *dst)
{
	uint8_t *src = s->buf;
	uint64_t unmapped = 0;
	unsigned int i;

	for (i = 0; i < REPLAY_LEN; i++)
		src[i] = (uint8_t)(i * 5 + 3);
	memset(dst, 0, BUF_SIZE);
	ASSERT_EQ(0, edu_dma(d1, REPLAY_SRC, 0, REPLAY_LEN, false));
	ASSERT_EQ(0, edu_dma(d1, REPLAY_DST + 8, 0, REPLAY_LEN, true));
	EXPECT_EQ(0, memcmp(src, dst + 8, REPLAY_LEN));
	EXPECT_EQ(0, dst[7]);
	EXPECT_EQ(0, dst[8 + REPLAY_LEN]);

	/* gone from both domains: neither device's write lands */
	ASSERT_EQ(0, vfio_unmap_dma(s->d.container, REPLAY_DST, BUF_SIZE, 0,
				    &unmapped));
	EXPECT_EQ(BUF_SIZE, unmapped);
	memset(dst, 0x77, BUF_SIZE);
	ASSERT_EQ(0, edu_dma(d1, REPLAY_DST, 0, REPLAY_LEN, true));
	ASSERT_EQ(0, edu_dma(&s->d, REPLAY_DST, 0, REPLAY_LEN, true));
	for (i = 0; i < BUF_SIZE && dst[i] == 0x77; i++)
		;
	EXPECT_EQ(BUF_SIZE, i);
	ASSERT_EQ(0, vfio_map_dma(s->d.container, dst, REPLAY_DST, BUF_SIZE,
				  VFIO_DMA_MAP_FLAG_READ |
				  VFIO_DMA_MAP_FLAG_WRITE));
}

FIXTURE(replay)
{
	struct fn_state s;
	struct vfio_dev d1;
	uint8_t *dst;
	int nth_fd;
};

FIXTURE_SETUP(replay)
{
	state_init(&self->s);
	vfio_dev_init(&self->d1, edu1);
	self->dst = NULL;
	self->nth_fd = open(VFIO_FAIL_NTH, O_RDWR | O_CLOEXEC);
}

FIXTURE_TEARDOWN(replay)
{
	if (self->nth_fd >= 0)
		close(self->nth_fd);
	vfio_dev_close(&self->d1);
	state_close(&self->s);
	if (self->dst)
		vfio_free(self->dst, BUF_SIZE);
}

TEST_F_TIMEOUT(replay, join, 600)
{
	struct fn_state *s = &self->s;
	struct vfio_dev *d1 = &self->d1;
	unsigned int n, replayed = 0;
	int ret, left;

	if (self->nth_fd < 0)
		SKIP(return, "no %s here", VFIO_FAIL_NTH);
	ASSERT_NE(NULL, edu1);
	ASSERT_EQ(0, edu_open(&s->d, edu0));
	s->buf = alloc_fragmented();
	self->dst = vfio_alloc(BUF_SIZE);
	ASSERT_NE(NULL, s->buf);
	ASSERT_NE(NULL, self->dst);
	ASSERT_EQ(0, vfio_map_dma(s->d.container, s->buf, REPLAY_SRC,
				  BUF_SIZE, VFIO_DMA_MAP_FLAG_READ));
	ASSERT_EQ(0, vfio_map_dma(s->d.container, self->dst, REPLAY_DST,
				  BUF_SIZE, VFIO_DMA_MAP_FLAG_READ |
				  VFIO_DMA_MAP_FLAG_WRITE));

	mark_log("%s, %s", "replay_join", VFIO_FAIL_NTH);
	for (n = 1; n <= MAX_NTH; n++) {
		d1->group = vfio_open_group(edu1);
		ASSERT_LE(0, d1->group);
		ASSERT_EQ(0, arm(self->nth_fd, n));
		ret = vfio_group_set_container(d1->group, s->d.container);
		left = disarm(self->nth_fd);
		ASSERT_LE(0, left);
		if (!ret) {
			/* a failure injected, and yet attached: replayed */
			if (!left)
				replayed++;
			ASSERT_EQ(0, replay_device(d1, edu1));
			replay_check(_metadata, s, d1, self->dst);
		}
		vfio_dev_close(d1);
		if (left) {
			/* fewer than n failure points: done */
			EXPECT_EQ(0, ret);
			break;
		}
	}
	TH_LOG("attach: %u failure points, %u attached all the same",
	       n - 1, replayed);
	EXPECT_GE(MAX_NTH, n);
	/* the failed attach to the existing domain is one of them */
	EXPECT_LT(0U, replayed);
}

/* failslab and fail_page_alloc also fail allocations that may sleep. */
static int fault_injection_setup(void)
{
	static const char *const files[][2] = {
		{ DEBUGFS "/failslab/ignore-gfp-wait", "N" },
		{ DEBUGFS "/failslab/verbose", "0" },
		{ DEBUGFS "/fail_page_alloc/ignore-gfp-wait", "N" },
		{ DEBUGFS "/fail_page_alloc/verbose", "0" },
		{ DEBUGFS "/fail_page_alloc/min-order", "0" },
	};
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		ret = vfio_write_file(files[i][0], files[i][1]);
		if (ret)
			return ret;
	}
	return 0;
}

int main(int argc, char **argv)
{
	edu0 = vfio_test_env("VFIO_EDU0");
	edu1 = vfio_test_env("VFIO_EDU1");
	nvme = vfio_test_env("VFIO_NVME");
	if (!edu0 || !nvme || access(VFIO_CONTAINER_PATH, F_OK)) {
		ksft_print_header();
		ksft_exit_skip("no VFIO test VM (VFIO_EDU0, VFIO_NVME, %s)\n",
			       VFIO_CONTAINER_PATH);
	}
	if (access(DEBUGFS "/failslab", F_OK) && access(VFIO_FAIL_NTH, F_OK))
		mount("debugfs", DEBUGFS, "debugfs", 0, NULL);
	kernel_source = !access(FAIL_NTH, F_OK) && !fault_injection_setup();
	if (!kernel_source && access(VFIO_FAIL_NTH, F_OK)) {
		ksft_print_header();
		ksft_exit_skip("no fault injection here (%s, %s)\n",
			       FAIL_NTH, VFIO_FAIL_NTH);
	}
	return test_harness_run(argc, argv);
}
