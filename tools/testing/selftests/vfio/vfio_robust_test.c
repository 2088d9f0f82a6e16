// SPDX-License-Identifier: GPL-2.0-only
/*
 * No user input, fault or race may break the kernel:
 *
 * - unpriv: a client with no capabilities at all, a non-root uid and a
 *   1 MiB RLIMIT_MEMLOCK drives the edu (DMA through the IOMMU, MSI,
 *   INTx) through a group node it was given, cannot open another group,
 *   and a MAP_DMA beyond its limit fails with -ENOMEM leaving nothing
 *   pinned or charged.
 * - death: a process killed while MAP_DMA is pinning, killed right after
 *   MAP_DMA returned, or exiting with everything open, mapped and
 *   interrupts armed, leaves nothing behind: the pages it pinned are
 *   unpinned (the system-wide count of pinned pages in /proc/vmstat and
 *   MemAvailable come back), the groups open again at once and the
 *   devices work.  Mappings whose owner died while a forked heir holds
 *   the container stay usable until the heir unmaps them.
 * - race: IOMMU backend ioctls on a container whose only group leaves
 *   and comes back over and over (stock 6.1 frees the backend under
 *   them: skipped there).
 * - unbind: the process writing unbind is SIGKILLed while the unbind
 *   waits for a device fd; the unbind still completes once the fd is
 *   closed, and only then does the process go.
 * - irq_loop: one eventfd that is both the edu's MSI trigger and an
 *   ioeventfd writing its raise-interrupt register makes each interrupt
 *   raise the next, for good.  With the soft lockup watchdog at its
 *   shortest, the CPUs must stay schedulable (6.1 runs the ioeventfd's
 *   write in the interrupt and locks a CPU up: skipped on stock), the
 *   loop must go on, and it must stop when MSI is disabled.
 * - stress: for VFIO_ROBUST_STRESS_S seconds (default 10), threads take
 *   and close device fds of VFIO_EDU1's group, another thread closes and
 *   reopens the group and its container, another maps and unmaps memory
 *   through that container, and another unbinds the device from vfio-pci
 *   and binds it again.  Every ioctl gives an answer from a small expected
 *   set, nothing hangs, no page stays pinned, and the device works
 *   afterwards.
 *
 * The pinned-page count is nr_foll_pin_acquired - nr_foll_pin_released of
 * /proc/vmstat (folded by a write to /proc/sys/vm/stat_refresh): the
 * pages Type1 pins are FOLL_PIN pins, and nothing else in the test VM
 * holds any.  A process's locked_vm dies with its mm, so it cannot show
 * a leak after the process is gone; the pin count and MemAvailable can.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>

#include "vfio_util.h"
#include "kselftest_harness.h"

#define PAGE		4096UL
#define MIB		(1024UL * 1024)
#define RW		(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)
#define IOVA_SRC	0x100000ULL
#define IOVA_DST	0x200000ULL
#define IOVA_BIG	0x40000000ULL
#define MAP_SIZE	(64 * 1024)	/* of the threads that race */
#define IRQ_TIMEOUT_MS	2000
/* How long the kernel may take to release what a dead process held. */
#define RELEASE_MS	5000
/*
 * Slack of the system-wide measures.  The pin count is exact once folded
 * (only others' pins could move it).  MemFree, in the guest, was seen to
 * move by up to 35 MiB with no other /proc/meminfo line moving (pages in
 * per-cpu free lists): MemAvailable is the cross-check for the leak of a
 * whole mapping (128 or 256 MiB), the pin count for anything smaller.
 */
#define PIN_SLACK	64
#define AVAIL_SLACK_KB	(64 * 1024)

#define NOBODY		65534
#define MEMLOCK_LIMIT	MIB

static const char *edu0, *edu1;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = {
		.tv_sec = ms / 1000,
		.tv_nsec = (long)(ms % 1000) * 1000000,
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * A debug kernel (lockdep, KASAN) under TCG is some 20 times slower than
 * Debian's: the death tests map less there.
 */
static bool debug_kernel(void)
{
	return access("/proc/lockdep", F_OK) == 0;
}

static unsigned long env_ulong(const char *name, unsigned long def,
			       unsigned long max)
{
	const char *s = getenv(name);
	unsigned long v;
	char *end;

	if (!s || !*s)
		return def;
	v = strtoul(s, &end, 0);
	if (*end || !v)
		return def;
	return v > max ? max : v;
}

/* The number after "key" (then ':' or ' ') in a /proc file, or -errno. */
static long long proc_value(const char *path, const char *key)
{
	size_t klen = strlen(key);
	long long v = -ENOENT;
	char line[256];
	FILE *f;

	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) ||
		    (line[klen] != ':' && line[klen] != ' '))
			continue;
		v = strtoll(line + klen + 1, NULL, 10);
		break;
	}
	fclose(f);
	return v;
}

/* Pages pinned with FOLL_PIN system-wide, or -errno. */
static long long pinned_pages(bool refresh)
{
	long long acq, rel;
	int fd;

	/* Folds the per-cpu counter deltas; needs root. */
	if (refresh) {
		fd = open("/proc/sys/vm/stat_refresh", O_WRONLY | O_CLOEXEC);
		if (fd >= 0) {
			if (write(fd, "1", 1) != 1)
				fd = -fd;	/* nothing to do */
			close(fd < 0 ? -fd : fd);
		}
	}
	acq = proc_value("/proc/vmstat", "nr_foll_pin_acquired");
	rel = proc_value("/proc/vmstat", "nr_foll_pin_released");
	if (acq < 0)
		return acq;
	if (rel < 0)
		return rel;
	return acq - rel;
}

static long long mem_available_kb(void)
{
	return proc_value("/proc/meminfo", "MemAvailable");
}

/* /proc/meminfo lines that tell where memory went. */
static const char * const meminfo_keys[] = {
	"MemFree", "Cached", "AnonPages", "AnonHugePages", "Unevictable",
	"Mlocked", "PageTables", "Slab", "SUnreclaim", "VmallocUsed",
	"Active(anon)", "Inactive(anon)", "Active(file)", "Inactive(file)",
};

#define NMEMINFO	ARRAY_SIZE(meminfo_keys)

static void meminfo_snapshot(long long *v)
{
	size_t i;

	for (i = 0; i < NMEMINFO; i++)
		v[i] = proc_value("/proc/meminfo", meminfo_keys[i]);
}

static long long vmlck_kb(void)
{
	return proc_value("/proc/self/status", "VmLck");
}

static void fill(uint8_t *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 13 + seed + (i >> 8));
}

/* The rest of edu_open() for a group already open. */
static int dev_open_group(struct vfio_dev *d, const char *bdf, int group,
			  int container, unsigned long type)
{
	int ret = vfio_dev_attach(d, bdf, group, container, type);

	if (!ret)
		ret = edu_map_bar0(d);
	return ret ? ret : edu_enable(d);
}

/*
 * Opens the group of bdf, retrying while it is busy: a dead process's
 * files are released before it can be reaped, so this should succeed at
 * once.  The fd, or -errno; *waited_ms says how long it was busy.
 */
static int reopen_group(const char *bdf, long long *waited_ms)
{
	long long start = now_ms();
	int fd;

	*waited_ms = 0;
	for (;;) {
		fd = vfio_open_group(bdf);
		if (fd != -EBUSY || now_ms() - start > RELEASE_MS)
			break;
		sleep_ms(1);
		*waited_ms = now_ms() - start;
	}
	return fd;
}

/*
 * Checks that a device works: a DMA round trip through the IOMMU and an
 * interrupt (MSI or INTx).  Interrupts a previous user left raised are
 * acknowledged first.  0, or the line of the first failed check.
 */
static int use_device(struct vfio_dev *d, int container, uint32_t irq_index)
{
	const uint32_t len = 3000;
	uint8_t *src, *dst;
	int efd, ret = 0;

	src = vfio_alloc(PAGE);
	dst = vfio_alloc(PAGE);
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (!src || !dst || efd < 0) {
		ret = __LINE__;
		goto out;
	}
	if (edu_read32(d, EDU_REG_ID) != EDU_ID_VALUE) {
		ret = __LINE__;
		goto out;
	}
	edu_write32(d, EDU_REG_IRQ_ACK, ~0U);
	fill(src, PAGE, 77);
	if (vfio_map_dma(container, src, IOVA_SRC, PAGE,
			 VFIO_DMA_MAP_FLAG_READ) ||
	    vfio_map_dma(container, dst, IOVA_DST, PAGE, RW)) {
		ret = __LINE__;
		goto out;
	}
	if (edu_dma(d, IOVA_SRC, 0, len, false) ||
	    edu_dma(d, IOVA_DST, 0, len, true) || memcmp(src, dst, len)) {
		ret = __LINE__;
		goto unmap;
	}
	if (vfio_irq_set_eventfd(d->device, irq_index, efd)) {
		ret = __LINE__;
		goto unmap;
	}
	edu_write32(d, EDU_REG_IRQ_RAISE, 0x1);
	if (vfio_eventfd_wait(efd, IRQ_TIMEOUT_MS) != 1)
		ret = __LINE__;
	edu_write32(d, EDU_REG_IRQ_ACK, 0x1);
	if (irq_index == VFIO_PCI_INTX_IRQ_INDEX &&
	    vfio_irq_unmask(d->device, irq_index))
		ret = __LINE__;
	if (vfio_irq_set_eventfd(d->device, irq_index, -1))
		ret = __LINE__;
unmap:
	vfio_unmap_dma(container, IOVA_SRC, PAGE, 0, NULL);
	vfio_unmap_dma(container, IOVA_DST, PAGE, 0, NULL);
out:
	if (efd >= 0)
		close(efd);
	vfio_free(src, PAGE);
	vfio_free(dst, PAGE);
	return ret;
}

/*
 * Checks in a forked child, which cannot use the harness's asserts: the
 * first failure is printed and ends the child with status 1.
 */
static void child_fail(int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "# child (uid %d), line %d: ", (int)getuid(), line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	_exit(1);
}

#define CHILD_CHECK(cond, ...) do {			\
	if (!(cond))					\
		child_fail(__LINE__, __VA_ARGS__);	\
} while (0)

/*
 * unpriv: EDU0's group node is given to an unprivileged uid; EDU1's stays
 * root's (0600).
 */
FIXTURE(unpriv)
{
	char node[64];
	struct stat orig;
	bool chowned;
	pid_t child;
	int req[2], ans[2];
};

FIXTURE_SETUP(unpriv)
{
	char node1[64];
	struct stat st;

	self->child = -1;
	memset(self->req, -1, sizeof(self->req));
	memset(self->ans, -1, sizeof(self->ans));
	ASSERT_NE(NULL, edu1);
	ASSERT_EQ(0, stat(VFIO_CONTAINER_PATH, &st));
	ASSERT_EQ(0666, st.st_mode & 0777);
	snprintf(node1, sizeof(node1), "/dev/vfio/%d", vfio_group_id(edu1));
	ASSERT_EQ(0, stat(node1, &st));
	ASSERT_EQ(0U, st.st_uid);
	ASSERT_EQ(0600, st.st_mode & 0777);
	snprintf(self->node, sizeof(self->node), "/dev/vfio/%d",
		 vfio_group_id(edu0));
	ASSERT_EQ(0, stat(self->node, &self->orig));
	ASSERT_EQ(0, pipe2(self->req, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(self->ans, O_CLOEXEC));
	/* last: the teardown gives the node back */
	ASSERT_EQ(0, chown(self->node, NOBODY, NOBODY));
	self->chowned = true;
}

FIXTURE_TEARDOWN(unpriv)
{
	int i;

	if (self->child > 0) {
		kill(self->child, SIGKILL);
		waitpid(self->child, NULL, 0);
	}
	for (i = 0; i < 2; i++) {
		if (self->req[i] >= 0)
			close(self->req[i]);
		if (self->ans[i] >= 0)
			close(self->ans[i]);
	}
	if (self->chowned) {
		EXPECT_EQ(0, chown(self->node, self->orig.st_uid,
				   self->orig.st_gid));
		EXPECT_EQ(0, chmod(self->node, self->orig.st_mode & 07777));
	}
}

/* Asks the (root) parent for the system-wide pinned page count. */
static long long child_pins(int req, int ans)
{
	long long v;

	if (write(req, "p", 1) != 1 || read(ans, &v, sizeof(v)) != sizeof(v))
		return -EIO;
	return v;
}

/* src and dst of the unpriv child: 2 * 128 KiB of its 1 MiB limit */
#define UNPRIV_BUF	(128 * 1024UL)

/* The child becomes nobody: no capabilities, a 1 MiB RLIMIT_MEMLOCK. */
static void unpriv_drop_privileges(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct cap[_LINUX_CAPABILITY_U32S_3];
	struct rlimit rl = { MEMLOCK_LIMIT, MEMLOCK_LIMIT };
	int i;

	CHILD_CHECK(!setrlimit(RLIMIT_MEMLOCK, &rl), "setrlimit: %m");
	CHILD_CHECK(!setgroups(0, NULL), "setgroups: %m");
	CHILD_CHECK(!setgid(NOBODY), "setgid: %m");
	CHILD_CHECK(!setuid(NOBODY), "setuid: %m");
	CHILD_CHECK(getuid() == NOBODY && geteuid() == NOBODY &&
		    getgid() == NOBODY && getegid() == NOBODY,
		    "still privileged ids");
	CHILD_CHECK(!syscall(SYS_capget, &hdr, cap), "capget: %m");
	for (i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		CHILD_CHECK(!cap[i].effective && !cap[i].permitted &&
			    !cap[i].inheritable,
			    "capabilities left: %x/%x/%x", cap[i].effective,
			    cap[i].permitted, cap[i].inheritable);
	CHILD_CHECK(vmlck_kb() == 0, "VmLck %lld kB", vmlck_kb());
}

/* DMA through the IOMMU, RAM -> edu -> RAM */
static void unpriv_dma(struct vfio_dev *d, uint8_t *src, uint8_t *dst)
{
	int ret;

	fill(src, UNPRIV_BUF, 5);
	ret = vfio_map_dma(d->container, src, IOVA_SRC, UNPRIV_BUF,
			   VFIO_DMA_MAP_FLAG_READ);
	CHILD_CHECK(!ret, "MAP_DMA src: %d", ret);
	ret = vfio_map_dma(d->container, dst, IOVA_DST, UNPRIV_BUF, RW);
	CHILD_CHECK(!ret, "MAP_DMA dst: %d", ret);
	CHILD_CHECK(vmlck_kb() == 2 * UNPRIV_BUF / 1024, "VmLck %lld kB",
		    vmlck_kb());
	CHILD_CHECK(!edu_dma(d, IOVA_SRC + 100, 0, EDU_DMA_MAX, false) &&
		    !edu_dma(d, IOVA_DST + PAGE - 7, 0, EDU_DMA_MAX, true),
		    "edu DMA timed out");
	CHILD_CHECK(!memcmp(src + 100, dst + PAGE - 7, EDU_DMA_MAX),
		    "DMA data differs");
}

/* MSI, then INTx */
static void unpriv_irqs(struct vfio_dev *d)
{
	int ret, efd;

	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	CHILD_CHECK(efd >= 0, "eventfd: %m");
	ret = vfio_irq_set_eventfd(d->device, VFIO_PCI_MSI_IRQ_INDEX, efd);
	CHILD_CHECK(!ret, "MSI on: %d", ret);
	edu_write32(d, EDU_REG_IRQ_RAISE, 0x1);
	CHILD_CHECK(vfio_eventfd_wait(efd, IRQ_TIMEOUT_MS) == 1, "no MSI");
	edu_write32(d, EDU_REG_IRQ_ACK, 0x1);
	ret = vfio_irq_set_eventfd(d->device, VFIO_PCI_MSI_IRQ_INDEX, -1);
	CHILD_CHECK(!ret, "MSI off: %d", ret);
	ret = vfio_irq_set_eventfd(d->device, VFIO_PCI_INTX_IRQ_INDEX, efd);
	CHILD_CHECK(!ret, "INTx on: %d", ret);
	edu_write32(d, EDU_REG_IRQ_RAISE, 0x2);
	CHILD_CHECK(vfio_eventfd_wait(efd, IRQ_TIMEOUT_MS) == 1, "no INTx");
	edu_write32(d, EDU_REG_IRQ_ACK, 0x2);
	CHILD_CHECK(!vfio_irq_unmask(d->device, VFIO_PCI_INTX_IRQ_INDEX),
		    "INTx unmask");
	ret = vfio_irq_set_eventfd(d->device, VFIO_PCI_INTX_IRQ_INDEX, -1);
	CHILD_CHECK(!ret, "INTx off: %d", ret);
}

/*
 * Beyond the limit: fails, and takes nothing with it; the rest of the
 * limit (src and dst are mapped already) maps to the page, and works.
 */
static void unpriv_memlock(struct vfio_dev *d, int req, int ans,
			   const uint8_t *src, uint8_t *big, uint8_t *more)
{
	long long pins, lck;
	int ret;

	pins = child_pins(req, ans);
	CHILD_CHECK(pins >= 0, "pin count: %lld", pins);
	ret = vfio_map_dma(d->container, big, IOVA_BIG, MEMLOCK_LIMIT, RW);
	CHILD_CHECK(ret == -ENOMEM, "MAP_DMA beyond the limit: %d", ret);
	lck = vmlck_kb();
	CHILD_CHECK(lck == 2 * UNPRIV_BUF / 1024, "VmLck %lld kB after it",
		    lck);
	lck = child_pins(req, ans) - pins;
	CHILD_CHECK(lck >= -PIN_SLACK && lck <= PIN_SLACK,
		    "%lld more pages pinned after a failed MAP_DMA", lck);
	/* the whole rest of the limit can still be used */
	ret = vfio_map_dma(d->container, big, IOVA_BIG,
			   MEMLOCK_LIMIT - 2 * UNPRIV_BUF, RW);
	CHILD_CHECK(!ret, "MAP_DMA of the rest of the limit: %d", ret);
	lck = vmlck_kb();
	CHILD_CHECK(lck == MEMLOCK_LIMIT / 1024, "VmLck %lld kB", lck);
	ret = vfio_map_dma(d->container, more, IOVA_BIG + MEMLOCK_LIMIT, PAGE,
			   RW);
	CHILD_CHECK(ret == -ENOMEM, "MAP_DMA of one more page: %d", ret);
	CHILD_CHECK(!edu_dma(d, IOVA_BIG + 3 * PAGE, 0, EDU_DMA_MAX, true),
		    "edu DMA timed out");
	CHILD_CHECK(!memcmp(src + 100, big + 3 * PAGE, EDU_DMA_MAX),
		    "DMA data differs");
}

static void unpriv_child(int req, int ans)
{
	uint8_t *src, *dst, *big, *more;
	struct vfio_dev d;
	int ret;

	/* src, dst: 2 * 128 KiB; big: the other 768 KiB of the limit */
	src = vfio_alloc(UNPRIV_BUF);
	dst = vfio_alloc(UNPRIV_BUF);
	big = vfio_alloc(MEMLOCK_LIMIT);
	more = vfio_alloc(PAGE);
	CHILD_CHECK(src && dst && big && more, "no memory");

	unpriv_drop_privileges();

	/* not its group; nor may it rebind devices */
	ret = vfio_open_group(edu1);
	CHILD_CHECK(ret == -EACCES, "open EDU1's group: %d", ret);
	ret = pci_set_driver_override(edu0, "");
	CHILD_CHECK(ret == -EACCES, "driver_override: %d", ret);

	ret = vfio_dev_open(&d, edu0, VFIO_TYPE1v2_IOMMU);
	CHILD_CHECK(!ret, "opening EDU0: %d", ret);
	CHILD_CHECK(!edu_map_bar0(&d) && !edu_enable(&d), "BAR0, command");
	CHILD_CHECK(edu_read32(&d, EDU_REG_ID) == EDU_ID_VALUE, "edu ID");

	unpriv_dma(&d, src, dst);
	unpriv_irqs(&d);
	unpriv_memlock(&d, req, ans, src, big, more);

	ret = vfio_unmap_dma(d.container, 0, 0, VFIO_DMA_UNMAP_FLAG_ALL,
			     NULL);
	CHILD_CHECK(!ret, "UNMAP_DMA all: %d", ret);
	CHILD_CHECK(vmlck_kb() == 0, "VmLck %lld kB", vmlck_kb());
	vfio_dev_close(&d);
	_exit(0);
}

TEST_F(unpriv, no_capabilities)
{
	int status = 0;
	long long v;
	char c;

	self->child = fork();
	ASSERT_LE(0, self->child);
	if (!self->child) {
		close(self->req[0]);
		close(self->ans[1]);
		unpriv_child(self->req[1], self->ans[0]);
	}
	close(self->req[1]);
	close(self->ans[0]);
	self->req[1] = -1;
	self->ans[0] = -1;
	/* answer the child's requests until it is done */
	while (read(self->req[0], &c, 1) == 1) {
		v = pinned_pages(true);
		if (write(self->ans[1], &v, sizeof(v)) != sizeof(v))
			break;
	}
	ASSERT_EQ(self->child, waitpid(self->child, &status, 0));
	self->child = -1;
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/*
 * death: a child holding EDU0 (and EDU1) dies.  The baselines are taken
 * before it starts; afterwards the pinned pages and MemAvailable must
 * come back within a slack much smaller than what it had mapped.
 */
FIXTURE(death)
{
	pid_t child, grandchild;
	int rd, wr;		/* the child's reports, our orders */
	size_t size;
	long long pins0, avail0;
	long long meminfo0[NMEMINFO];
};

FIXTURE_SETUP(death)
{
	int g;

	self->child = -1;
	self->grandchild = -1;
	self->rd = -1;
	self->wr = -1;
	self->size = env_ulong("VFIO_ROBUST_MAP_MIB",
			       debug_kernel() ? 128 : 256, 512) * MIB;
	/* nobody holds the groups */
	g = vfio_open_group(edu0);
	ASSERT_LE(0, g);
	close(g);
	g = vfio_open_group(edu1);
	ASSERT_LE(0, g);
	close(g);
	self->pins0 = pinned_pages(true);
	ASSERT_LE(0, self->pins0);
	self->avail0 = mem_available_kb();
	meminfo_snapshot(self->meminfo0);
	ASSERT_LT((long long)(self->size / 1024) + AVAIL_SLACK_KB,
		  self->avail0);
}

FIXTURE_TEARDOWN(death)
{
	if (self->child > 0) {
		kill(self->child, SIGKILL);
		waitpid(self->child, NULL, 0);
	}
	if (self->grandchild > 0) {
		kill(self->grandchild, SIGKILL);
		waitpid(self->grandchild, NULL, 0);
	}
	if (self->rd >= 0)
		close(self->rd);
	if (self->wr >= 0)
		close(self->wr);
}

/* Forks the child, with a pipe each way: true in the child. */
static bool spawn(struct __test_metadata *_metadata,
		  FIXTURE_DATA(death) * self)
{
	int up[2], down[2];

	ASSERT_EQ(0, pipe2(up, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(down, O_CLOEXEC));
	self->child = fork();
	ASSERT_LE(0, self->child);
	if (!self->child) {
		close(up[0]);
		close(down[1]);
		self->rd = down[0];
		self->wr = up[1];
		return true;
	}
	close(up[1]);
	close(down[0]);
	self->rd = up[0];
	self->wr = down[1];
	return false;
}

/* The child's next report, or -ETIMEDOUT / -EPIPE. */
static int report(int rd, int timeout_ms)
{
	struct pollfd pfd = { .fd = rd, .events = POLLIN };
	char c;
	int ret;

	do {
		ret = poll(&pfd, 1, timeout_ms);
	} while (ret < 0 && errno == EINTR);
	if (ret <= 0)
		return -ETIMEDOUT;
	if (read(rd, &c, 1) != 1)
		return -EPIPE;
	return c;
}

/* The child's report to the test. */
static void tell(int fd, char c)
{
	if (write(fd, &c, 1) != 1)
		_exit(2);
}

/*
 * Waits until what the dead child held is released, then uses EDU0 (and
 * EDU1 when both) again.
 */
static void check_released(struct __test_metadata *_metadata,
			   FIXTURE_DATA(death) * self, bool both)
{
	long long waited, pins, avail, start;
	struct vfio_dev d0, d1;
	int g0, g1 = -1;

	g0 = reopen_group(edu0, &waited);
	ASSERT_LE(0, g0) TH_LOG("EDU0's group: %d after %lld ms", g0, waited);
	if (waited > 0)
		TH_LOG("EDU0's group was busy for %lld ms after the reaping",
		       waited);
	if (both) {
		g1 = reopen_group(edu1, &waited);
		EXPECT_LE(0, g1) TH_LOG("EDU1's group: %d after %lld ms", g1,
					waited);
	}

	/* A leaked pin keeps its page: both measures would show it. */
	start = now_ms();
	do {
		pins = pinned_pages(true);
		if (pins <= self->pins0 + PIN_SLACK)
			break;
		sleep_ms(10);
	} while (now_ms() - start < RELEASE_MS);
	EXPECT_GE(self->pins0 + PIN_SLACK, pins)
		TH_LOG("%lld pages still pinned", pins - self->pins0);
	do {
		avail = mem_available_kb();
		if (avail >= self->avail0 - AVAIL_SLACK_KB)
			break;
		sleep_ms(10);
	} while (now_ms() - start < RELEASE_MS);
	EXPECT_LE(self->avail0 - AVAIL_SLACK_KB, avail)
		TH_LOG("MemAvailable %lld kB short of %lld kB",
		       self->avail0 - avail, self->avail0);
	if (avail < self->avail0 - AVAIL_SLACK_KB) {
		long long m[NMEMINFO];
		size_t i;

		meminfo_snapshot(m);
		for (i = 0; i < NMEMINFO; i++)
			TH_LOG("%s: %lld kB -> %lld kB", meminfo_keys[i],
			       self->meminfo0[i], m[i]);
	}

	ASSERT_EQ(0, dev_open_group(&d0, edu0, g0, -1, VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(0, use_device(&d0, d0.container, VFIO_PCI_MSI_IRQ_INDEX));
	if (g1 >= 0) {
		EXPECT_EQ(0, dev_open_group(&d1, edu1, g1, d0.container, 0));
		EXPECT_EQ(0, use_device(&d1, d0.container,
					VFIO_PCI_INTX_IRQ_INDEX));
		vfio_dev_close(&d1);
	}
	vfio_dev_close(&d0);
}

/*
 * The child: opens EDU0, says 'o', maps size bytes of untouched memory
 * (the pinning faults them in), says 'm' (or 'e'), waits to be killed.
 */
static void pinner(FIXTURE_DATA(death) * self)
{
	struct vfio_dev d;
	void *p;

	p = mmap(NULL, self->size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || vfio_dev_open(&d, edu0, VFIO_TYPE1v2_IOMMU))
		_exit(1);
	tell(self->wr, 'o');
	if (vfio_map_dma(d.container, p, IOVA_BIG, self->size, RW))
		tell(self->wr, 'e');
	else
		tell(self->wr, 'm');
	for (;;)
		pause();
}

static void expect_killed(struct __test_metadata *_metadata,
			  FIXTURE_DATA(death) * self)
{
	int status = 0;

	ASSERT_EQ(0, kill(self->child, SIGKILL));
	ASSERT_EQ(self->child, waitpid(self->child, &status, 0));
	self->child = -1;
	ASSERT_TRUE(WIFSIGNALED(status));
	ASSERT_EQ(SIGKILL, WTERMSIG(status));
}

/* SIGKILL while MAP_DMA is pinning. */
TEST_F_TIMEOUT(death, kill_while_pinning, 120)
{
	long long pins = 0, start;
	int r;

	if (spawn(_metadata, self))
		pinner(self);
	ASSERT_EQ('o', report(self->rd, 30000));
	/* a good part pinned, not all of it */
	start = now_ms();
	r = -ETIMEDOUT;
	while (now_ms() - start < 60000) {
		pins = pinned_pages(false) - self->pins0;
		if (pins >= (long long)(self->size / PAGE / 8))
			break;
		r = report(self->rd, 2);
		if (r != -ETIMEDOUT)
			break;
	}
	expect_killed(_metadata, self);
	ASSERT_EQ(-ETIMEDOUT, r) TH_LOG("MAP_DMA ended before the kill");
	ASSERT_LE((long long)(self->size / PAGE / 8), pins)
		TH_LOG("pinning too slow to see");
	TH_LOG("killed with %lld of %zu pages pinned", pins,
	       self->size / PAGE);
	check_released(_metadata, self, false);
}

/* SIGKILL as soon as MAP_DMA returned. */
TEST_F_TIMEOUT(death, kill_after_map, 120)
{
	if (spawn(_metadata, self))
		pinner(self);
	ASSERT_EQ('o', report(self->rd, 30000));
	ASSERT_EQ('m', report(self->rd, 60000));
	expect_killed(_metadata, self);
	check_released(_metadata, self, false);
}

/*
 * A child that exits by itself holding everything: EDU0 and EDU1 in one
 * container, several mappings, MSI on EDU0 with an interrupt raised and
 * not acknowledged, INTx on EDU1 raised and left masked, REQ eventfds, an
 * ioeventfd, and a DMA to RAM still running when it exits.  The measures
 * are first checked to see what it holds.
 */
static void holder(FIXTURE_DATA(death) * self)
{
	const size_t chunk = self->size / 4;
	struct vfio_device_ioeventfd ioev = {
		.argsz = sizeof(ioev),
		.flags = VFIO_DEVICE_IOEVENTFD_32,
		.data = 0x12345678,
	};
	struct vfio_dev d0, d1;
	int msi, intx, req, g;
	long long start;
	uint8_t *buf;
	int i;

	buf = vfio_alloc(self->size);
	msi = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	intx = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	req = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	CHILD_CHECK(buf && msi >= 0 && intx >= 0 && req >= 0, "no memory");
	CHILD_CHECK(!vfio_dev_open(&d0, edu0, VFIO_TYPE1v2_IOMMU) &&
		    !edu_map_bar0(&d0) && !edu_enable(&d0), "EDU0");
	g = vfio_open_group(edu1);
	CHILD_CHECK(g >= 0, "EDU1's group: %d", g);
	CHILD_CHECK(!dev_open_group(&d1, edu1, g, d0.container, 0), "EDU1");
	for (i = 0; i < 4; i++)
		CHILD_CHECK(!vfio_map_dma(d0.container, buf + i * chunk,
					  IOVA_BIG + 2 * i * chunk, chunk, RW),
			    "MAP_DMA %d", i);
	CHILD_CHECK(!vfio_irq_set_eventfd(d0.device, VFIO_PCI_MSI_IRQ_INDEX,
					  msi) &&
		    !vfio_irq_set_eventfd(d0.device, VFIO_PCI_REQ_IRQ_INDEX,
					  req) &&
		    !vfio_irq_set_eventfd(d1.device, VFIO_PCI_INTX_IRQ_INDEX,
					  intx) &&
		    !vfio_irq_set_eventfd(d1.device, VFIO_PCI_REQ_IRQ_INDEX,
					  req), "SET_IRQS");
	edu_write32(&d0, EDU_REG_IRQ_RAISE, 0x1);
	CHILD_CHECK(vfio_eventfd_wait(msi, IRQ_TIMEOUT_MS) == 1, "no MSI");
	edu_write32(&d1, EDU_REG_IRQ_RAISE, 0x1);
	CHILD_CHECK(vfio_eventfd_wait(intx, IRQ_TIMEOUT_MS) == 1, "no INTx");

	/* the ioeventfd writes the liveness register, which inverts it */
	ioev.offset = d0.bar0.offset + EDU_REG_LIVENESS;
	ioev.fd = eventfd(0, EFD_CLOEXEC);
	CHILD_CHECK(ioev.fd >= 0, "eventfd: %m");
	CHILD_CHECK(!vfio_ioctl(d0.device, VFIO_DEVICE_IOEVENTFD, &ioev),
		    "VFIO_DEVICE_IOEVENTFD: %m");
	CHILD_CHECK(eventfd_write(ioev.fd, 1) == 0, "eventfd_write: %m");
	start = now_ms();
	while (edu_read32(&d0, EDU_REG_LIVENESS) != ~0x12345678U &&
	       now_ms() - start < IRQ_TIMEOUT_MS)
		sleep_ms(1);
	CHILD_CHECK(edu_read32(&d0, EDU_REG_LIVENESS) == ~0x12345678U,
		    "ioeventfd did not write");

	tell(self->wr, 'r');
	CHILD_CHECK(report(self->rd, 60000) == 'x', "no order to exit");
	/* edu runs a DMA 100 ms after it is started */
	edu_write64(&d0, EDU_REG_DMA_SRC, EDU_DMA_BUF);
	edu_write64(&d0, EDU_REG_DMA_DST, IOVA_BIG + 8 * PAGE);
	edu_write64(&d0, EDU_REG_DMA_COUNT, 2000);
	edu_write32(&d0, EDU_REG_DMA_CMD, EDU_DMA_CMD_START |
		    EDU_DMA_CMD_TO_RAM | EDU_DMA_CMD_IRQ);
	_exit(0);
}

TEST_F_TIMEOUT(death, exit_holding_everything, 120)
{
	long long pins, avail;
	int status = 0;

	if (spawn(_metadata, self))
		holder(self);
	ASSERT_EQ('r', report(self->rd, 60000));
	/* the measures see what the child holds */
	pins = pinned_pages(true) - self->pins0;
	avail = mem_available_kb();
	EXPECT_LE((long long)(self->size / PAGE), pins);
	EXPECT_GE(self->avail0 - (long long)(self->size / 1024) +
		  AVAIL_SLACK_KB, avail);
	ASSERT_EQ(1, write(self->wr, "x", 1));
	ASSERT_EQ(self->child, waitpid(self->child, &status, 0));
	self->child = -1;
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	check_released(_metadata, self, true);
}

/*
 * The process that made the mappings exits while its child, which
 * inherited the files, still holds the container: the mappings stay,
 * pinned and usable by the device, until the heir unmaps them, after
 * their owner's mm is gone.
 */
static void owner(FIXTURE_DATA(death) * self)
{
	const size_t len = self->size / 2;
	uint64_t unmapped = 0;
	struct vfio_dev d;
	uint8_t *buf, *dst;
	pid_t heir;
	int ret;

	buf = vfio_alloc(len);
	dst = vfio_alloc(PAGE);
	CHILD_CHECK(buf && dst, "no memory");
	CHILD_CHECK(!vfio_dev_open(&d, edu0, VFIO_TYPE1v2_IOMMU) &&
		    !edu_map_bar0(&d) && !edu_enable(&d), "EDU0");
	fill(buf + len - PAGE, PAGE, 9);
	ret = vfio_map_dma(d.container, buf, IOVA_BIG, len, RW);
	CHILD_CHECK(!ret, "MAP_DMA: %d", ret);
	heir = fork();
	CHILD_CHECK(heir >= 0, "fork: %m");
	if (heir) {
		CHILD_CHECK(write(self->wr, &heir, sizeof(heir)) ==
			    sizeof(heir), "write: %m");
		_exit(0);
	}

	/* the heir, once its parent is reaped */
	CHILD_CHECK(report(self->rd, 60000) == 'g', "no order to go on");
	ret = vfio_map_dma(d.container, dst, IOVA_DST, PAGE, RW);
	CHILD_CHECK(!ret, "MAP_DMA of the heir: %d", ret);
	CHILD_CHECK(!edu_dma(&d, IOVA_BIG + len - PAGE, 0, EDU_DMA_MAX,
			     false) &&
		    !edu_dma(&d, IOVA_DST, 0, EDU_DMA_MAX, true),
		    "edu DMA timed out");
	/* the dead owner's page, seen through the IOMMU */
	CHILD_CHECK(!memcmp(dst, buf + len - PAGE, EDU_DMA_MAX),
		    "DMA data differs");
	ret = vfio_unmap_dma(d.container, IOVA_BIG, len, 0, &unmapped);
	CHILD_CHECK(!ret && unmapped == len, "UNMAP_DMA: %d, %llu bytes",
		    ret, (unsigned long long)unmapped);
	tell(self->wr, 'u');
	for (;;)
		pause();
}

TEST_F_TIMEOUT(death, owner_exits_first, 120)
{
	const long long npages = (long long)(self->size / 2 / PAGE);
	long long pins, start;
	int status = 0;
	pid_t heir;

	/* the heir becomes our child when its parent dies */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	if (spawn(_metadata, self))
		owner(self);
	ASSERT_EQ(sizeof(heir), read(self->rd, &heir, sizeof(heir)));
	self->grandchild = heir;
	ASSERT_EQ(self->child, waitpid(self->child, &status, 0));
	self->child = -1;
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));

	/* still pinned: the heir's container maps them */
	pins = pinned_pages(true) - self->pins0;
	EXPECT_LE(npages, pins);
	ASSERT_EQ(1, write(self->wr, "g", 1));
	ASSERT_EQ('u', report(self->rd, 60000));
	/* unmapped by the heir: unpinned, though their mm is gone */
	start = now_ms();
	do {
		pins = pinned_pages(true) - self->pins0;
		if (pins <= PIN_SLACK + 1)
			break;
		sleep_ms(10);
	} while (now_ms() - start < RELEASE_MS);
	EXPECT_GE(PIN_SLACK + 1, pins);

	ASSERT_EQ(0, kill(heir, SIGKILL));
	ASSERT_EQ(heir, waitpid(heir, &status, 0));
	self->grandchild = -1;
	check_released(_metadata, self, false);
}

/*
 * race: MAP_DMA, UNMAP_DMA and IOMMU_GET_INFO on a container whose only
 * group leaves it (UNSET_CONTAINER, which releases the IOMMU backend)
 * and comes back (SET_CONTAINER, SET_IOMMU), over and over.  The backend
 * must not go away under a running ioctl: the ioctls answer 0 or -EINVAL
 * (no backend), and nothing stays pinned.
 */
struct race {
	int container;
	int stop;
	int maps, einval, nbad, bad;
};

static void race_bad(struct race *r, int ret)
{
	r->nbad++;
	r->bad = ret;
}

static void *race_mapper(void *arg)
{
	struct vfio_iommu_type1_info info;
	struct race *r = arg;
	void *buf;
	int ret;

	buf = vfio_alloc(MAP_SIZE);
	if (!buf) {
		race_bad(r, -ENOMEM);
		return NULL;
	}
	while (!__atomic_load_n(&r->stop, __ATOMIC_RELAXED)) {
		ret = vfio_map_dma(r->container, buf, IOVA_SRC, MAP_SIZE, RW);
		if (!ret)
			r->maps++;
		else if (ret == -EINVAL)
			r->einval++;
		else
			race_bad(r, ret);
		memset(&info, 0, sizeof(info));
		info.argsz = sizeof(info);
		ret = (int)vfio_ioctl(r->container, VFIO_IOMMU_GET_INFO,
				      &info);
		if (ret && ret != -EINVAL)
			race_bad(r, ret);
		ret = vfio_unmap_dma(r->container, IOVA_SRC, MAP_SIZE, 0,
				     NULL);
		if (ret && ret != -EINVAL)
			race_bad(r, ret);
	}
	vfio_free(buf, MAP_SIZE);
	return NULL;
}

FIXTURE(race)
{
	struct race r;
	int group;
	pthread_t thread;
	bool started;
	long long pins0;
};

FIXTURE_SETUP(race)
{
	self->r.container = vfio_open_container();
	ASSERT_LE(0, self->r.container);
	self->group = vfio_open_group(edu0);
	ASSERT_LE(0, self->group);
	self->pins0 = pinned_pages(true);
	ASSERT_LE(0, self->pins0);
}

FIXTURE_TEARDOWN(race)
{
	if (self->started) {
		__atomic_store_n(&self->r.stop, 1, __ATOMIC_RELAXED);
		pthread_join(self->thread, NULL);
	}
	if (self->group >= 0)
		close(self->group);
	if (self->r.container >= 0)
		close(self->r.container);
}

TEST_F_TIMEOUT(race, backend_ioctls_vs_last_group_leaving, 60)
{
	unsigned int seed = 3;
	long long start;
	int cycles = 0;

	/* see the stress test: stock frees the backend under the ioctl */
	if (vfio_stock_modules())
		SKIP(return,
		     "stock 6.1 bug: backend ioctls race the last group leaving");
	ASSERT_EQ(0, pthread_create(&self->thread, NULL, race_mapper,
				    &self->r));
	self->started = true;
	start = now_ms();
	while (now_ms() - start < 3000) {
		ASSERT_EQ(0, vfio_group_set_container(self->group,
						      self->r.container));
		ASSERT_EQ(0, vfio_set_iommu(self->r.container,
					    VFIO_TYPE1v2_IOMMU));
		if (rand_r(&seed) & 1)
			sleep_ms(1);
		ASSERT_EQ(0, vfio_group_unset_container(self->group));
		cycles++;
	}
	__atomic_store_n(&self->r.stop, 1, __ATOMIC_RELAXED);
	ASSERT_EQ(0, pthread_join(self->thread, NULL));
	self->started = false;
	TH_LOG("%d attach/detach cycles, %d maps, %d -EINVAL", cycles,
	       self->r.maps, self->r.einval);
	EXPECT_EQ(0, self->r.nbad) TH_LOG("last unexpected: %d", self->r.bad);
	EXPECT_LE(10, cycles);
	EXPECT_LE(1, self->r.maps);
	/* the backend's release unmapped whatever was mapped */
	EXPECT_GE(self->pins0 + PIN_SLACK, pinned_pages(true));
}

/*
 * unbind: the process writing unbind is SIGKILLed while the unbind waits
 * for a device fd to be closed.  It cannot die before the unbind is done
 * (the driver core is in the middle of it), the device fd keeps working
 * meanwhile, and once it is closed the unbind completes and the killed
 * process goes away.  VFIO_EDU1 is bound to vfio-pci again afterwards.
 */
FIXTURE(unbind)
{
	struct vfio_dev d;
	int req;
	pid_t child;
};

FIXTURE_SETUP(unbind)
{
	char drv[64];

	vfio_dev_init(&self->d, edu1);
	self->req = -1;
	self->child = -1;
	ASSERT_EQ(0, pci_driver_name(edu1, drv, sizeof(drv)));
	ASSERT_STREQ("vfio-pci", drv);
	self->req = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, self->req);
}

FIXTURE_TEARDOWN(unbind)
{
	char drv[64] = "";
	int i;

	vfio_dev_close(&self->d);
	if (self->child > 0) {
		kill(self->child, SIGKILL);
		/* it can only go once the unbind is done */
		for (i = 0; i < 1000; i++) {
			if (waitpid(self->child, NULL, WNOHANG))
				break;
			sleep_ms(10);
		}
	}
	if (self->req >= 0)
		close(self->req);
	pci_driver_name(edu1, drv, sizeof(drv));
	if (strcmp(drv, "vfio-pci"))
		EXPECT_EQ(0, pci_rebind(edu1, "vfio-pci"));
	EXPECT_EQ(0, pci_set_driver_override(edu1, "vfio-pci"));
}

TEST_F_TIMEOUT(unbind, kill_the_unbinder, 60)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	long long start;
	char drv[64];
	int status = 0;
	pid_t ret;

	ASSERT_EQ(0, vfio_dev_open(&self->d, edu1, VFIO_TYPE1v2_IOMMU));
	ASSERT_EQ(0, edu_map_bar0(&self->d));
	ASSERT_EQ(0, vfio_irq_set_eventfd(self->d.device,
					  VFIO_PCI_REQ_IRQ_INDEX, self->req));
	self->child = fork();
	ASSERT_LE(0, self->child);
	if (!self->child) {
		/* our copies of the files would keep the device busy */
		munmap(self->d.bar0_map, self->d.bar0.size);
		close(self->d.device);
		close(self->d.group);
		close(self->d.container);
		close(self->req);
		_exit(pci_rebind(edu1, "") ? 1 : 0);
	}
	/* the unbind has started: it asks us to let go */
	ASSERT_EQ(1, vfio_eventfd_wait(self->req, 10000));
	ASSERT_EQ(0, kill(self->child, SIGKILL));
	/* still in the unbind, which waits for our fd */
	sleep_ms(300);
	EXPECT_EQ(0, waitpid(self->child, &status, WNOHANG));
	EXPECT_EQ(0, vfio_ioctl(self->d.device, VFIO_DEVICE_GET_INFO, &info));
	EXPECT_EQ(EDU_ID_VALUE, edu_read32(&self->d, EDU_REG_ID));

	vfio_dev_close(&self->d);
	start = now_ms();
	do {
		ret = waitpid(self->child, &status, WNOHANG);
		if (ret)
			break;
		sleep_ms(5);
	} while (now_ms() - start < 10000);
	ASSERT_EQ(self->child, ret) TH_LOG("unbinder still there");
	self->child = -1;
	ASSERT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(SIGKILL, WTERMSIG(status));
	/* the unbind was carried out */
	ASSERT_EQ(0, pci_driver_name(edu1, drv, sizeof(drv)));
	EXPECT_STREQ("", drv);
	/* and the device comes back */
	ASSERT_EQ(0, pci_rebind(edu1, "vfio-pci"));
	ASSERT_EQ(0, vfio_dev_open(&self->d, edu1, VFIO_TYPE1v2_IOMMU));
	ASSERT_EQ(0, edu_map_bar0(&self->d));
	EXPECT_EQ(EDU_ID_VALUE, edu_read32(&self->d, EDU_REG_ID));
}

/*
 * stress: threads on VFIO_EDU1 for a bounded time.
 *
 * An unbind waits until every file of the device is closed, and signals
 * the REQ eventfd once at its start (then every 10 s).  The fd takers
 * hold a device fd for at most a few milliseconds, let go at once and
 * back off for a while when REQ fires.  A taker that got its fd just
 * after the REQ went out would not hear it, and on a slow (debug) kernel
 * the takers could keep the device busy for seconds: the rebinder also
 * raises "unbinding" while it writes unbind, which the takers treat
 * like a REQ.  Neither keeps GET_DEVICE_FD from racing the unbind.  So
 * an unbind always finds a moment where no fd is open: the test cannot
 * deadlock unless the kernel does.
 */
#define TAKERS		2
#define NTHREADS	(TAKERS + 3)
#define MAX_BAD		8

struct stress {
	const char *bdf;
	pthread_mutex_t lock;		/* group, container, bad */
	int group, container;		/* -1 when closed */
	int req;			/* REQ eventfd of every device fd */
	long long backoff_until;	/* takers wait after REQ */
	int unbinding;			/* the rebinder is in unbind */
	int stop;
	/* counts */
	int takes, take_enodev, take_einval, reqs;
	int group_opens, group_open_fail;
	int maps, map_einval;
	int rebinds, max_unbind_ms;
	int max_take_ms, max_hold_ms;	/* GET_DEVICE_FD, fd open */
	/* stock 6.1 races the first BAR accesses of two device fds */
	bool stock;
	int stock_bar_busy;
	/* anything unexpected, described */
	int nbad;
	char bad[MAX_BAD][120];
	/* where the rebinder is, to tell a hang */
	const char *rebinder_at;
};

static void stress_bad(struct stress *st, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&st->lock);
	if (st->nbad < MAX_BAD) {
		va_start(ap, fmt);
		vsnprintf(st->bad[st->nbad], sizeof(st->bad[0]), fmt, ap);
		va_end(ap);
	}
	st->nbad++;
	pthread_mutex_unlock(&st->lock);
}

static bool stress_done(struct stress *st)
{
	return __atomic_load_n(&st->stop, __ATOMIC_RELAXED);
}

static void count(int *c)
{
	__atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}

static bool unbinding(struct stress *st)
{
	return __atomic_load_n(&st->unbinding, __ATOMIC_RELAXED);
}

/* Uses a device fd the way a client would, while it is held. */
static void use_device_fd(struct stress *st, int fd, unsigned int *seed)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_region_info bar0;
	uint32_t id = EDU_ID_VALUE;
	long long until;
	uint8_t *bar;
	long ret;

	ret = vfio_ioctl(fd, VFIO_DEVICE_GET_INFO, &info);
	if (ret || !(info.flags & VFIO_DEVICE_FLAGS_PCI))
		stress_bad(st, "DEVICE_GET_INFO: %ld, flags %#x", ret,
			   info.flags);
	ret = vfio_irq_set_eventfd(fd, VFIO_PCI_REQ_IRQ_INDEX, st->req);
	if (ret)
		stress_bad(st, "SET_IRQS(REQ): %ld", ret);
	ret = vfio_region_info(fd, VFIO_PCI_BAR0_REGION_INDEX, &bar0);
	if (ret) {
		stress_bad(st, "GET_REGION_INFO(BAR0): %ld", ret);
	} else if (rand_r(seed) & 1) {
		bar = mmap(NULL, bar0.size, PROT_READ, MAP_SHARED, fd,
			   (off_t)bar0.offset);
		if (bar == MAP_FAILED && errno == EBUSY && st->stock) {
			count(&st->stock_bar_busy);
		} else if (bar == MAP_FAILED) {
			stress_bad(st, "mmap(BAR0): %d", errno);
		} else {
			id = __atomic_load_n((uint32_t *)(bar + EDU_REG_ID),
					     __ATOMIC_RELAXED);
			munmap(bar, bar0.size);
		}
	} else {
		ret = vfio_region_read(fd, &bar0, EDU_REG_ID, &id,
				       sizeof(id));
		if (ret == -EBUSY && st->stock)
			count(&st->stock_bar_busy);
		else if (ret)
			stress_bad(st, "read(BAR0): %ld", ret);
	}
	if (id != EDU_ID_VALUE)
		stress_bad(st, "edu ID %#x", id);

	/* hold it a little, letting go at once if asked to */
	until = now_ms() + rand_r(seed) % 3;
	do {
		if (unbinding(st))
			break;
		if (vfio_eventfd_wait(st->req, 1) == 1) {
			count(&st->reqs);
			__atomic_store_n(&st->backoff_until, now_ms() + 50,
					 __ATOMIC_RELAXED);
			break;
		}
	} while (now_ms() < until);
}

static void max_ms(int *m, long long since)
{
	int t = (int)(now_ms() - since);
	int old = __atomic_load_n(m, __ATOMIC_RELAXED);

	while (t > old &&
	       !__atomic_compare_exchange_n(m, &old, t, false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

static void *taker(void *arg)
{
	struct stress *st = arg;
	unsigned int seed = (unsigned int)(uintptr_t)&seed;
	int i = 0, g, fd;
	long long t;

	while (!stress_done(st)) {
		if (unbinding(st) ||
		    now_ms() < __atomic_load_n(&st->backoff_until,
					       __ATOMIC_RELAXED)) {
			sleep_ms(1);
			continue;
		}
		/* our own reference to the group file, however short */
		pthread_mutex_lock(&st->lock);
		g = st->group >= 0 ? dup(st->group) : -1;
		pthread_mutex_unlock(&st->lock);
		if (g < 0) {
			sleep_ms(1);
			continue;
		}
		t = now_ms();
		fd = vfio_get_device_fd(g, st->bdf);
		max_ms(&st->max_take_ms, t);
		close(g);
		if (fd == -ENODEV) {
			count(&st->take_enodev);
		} else if (fd == -EINVAL) {
			count(&st->take_einval);
		} else if (fd < 0) {
			stress_bad(st, "GET_DEVICE_FD: %d", fd);
		} else {
			count(&st->takes);
			use_device_fd(st, fd, &seed);
			close(fd);
			max_ms(&st->max_hold_ms, t);
		}
		if (++i % 4 == 0)
			sleep_ms(rand_r(&seed) % 3);
	}
	return NULL;
}

/* Closes the group and container and opens them again, repeatedly. */
static void *group_cycler(void *arg)
{
	struct stress *st = arg;
	unsigned int seed = 7;
	int g, c, ret;

	while (!stress_done(st)) {
		pthread_mutex_lock(&st->lock);
		g = st->group;
		c = st->container;
		st->group = -1;
		st->container = -1;
		pthread_mutex_unlock(&st->lock);
		if (g >= 0)
			close(g);
		if (c >= 0)
			close(c);

		/*
		 * Unbound: no node, or (-ENXIO) a node whose cdev is gone
		 * but devtmpfs has not removed yet; -EBUSY: the previous
		 * file is still held by a device fd or a taker's dup.
		 */
		g = vfio_open_group(st->bdf);
		if (g == -ENOENT || g == -ENXIO || g == -EBUSY ||
		    g == -ENODEV) {
			count(&st->group_open_fail);
			sleep_ms(1);
			continue;
		}
		if (g < 0) {
			stress_bad(st, "open group: %d", g);
			sleep_ms(1);
			continue;
		}
		count(&st->group_opens);
		c = vfio_open_container();
		if (c < 0) {
			stress_bad(st, "open container: %d", c);
			close(g);
			continue;
		}
		/* published at once: takers race SET_CONTAINER / IOMMU */
		pthread_mutex_lock(&st->lock);
		st->group = g;
		st->container = c;
		pthread_mutex_unlock(&st->lock);
		ret = vfio_group_set_container(g, c);
		if (ret && ret != -ENODEV)
			stress_bad(st, "SET_CONTAINER: %d", ret);
		if (!ret) {
			ret = vfio_set_iommu(c, VFIO_TYPE1v2_IOMMU);
			/* -EINVAL: the group went with its device */
			if (ret && ret != -EINVAL && ret != -ENODEV)
				stress_bad(st, "SET_IOMMU: %d", ret);
		}
		sleep_ms(5 + rand_r(&seed) % 25);
	}
	return NULL;
}

/*
 * Maps and unmaps memory through the container of the moment, which may
 * lose its group (and with it its IOMMU backend) at any time.
 */
static void *mapper(void *arg)
{
	struct stress *st = arg;
	uint64_t unmapped;
	int c, ret;
	void *buf;

	buf = vfio_alloc(MAP_SIZE);
	if (!buf) {
		stress_bad(st, "no memory");
		return NULL;
	}
	while (!stress_done(st)) {
		pthread_mutex_lock(&st->lock);
		c = st->container >= 0 ? dup(st->container) : -1;
		pthread_mutex_unlock(&st->lock);
		if (c < 0) {
			sleep_ms(1);
			continue;
		}
		/* -EINVAL: no backend (not yet set, or the group left) */
		ret = vfio_map_dma(c, buf, IOVA_SRC, MAP_SIZE, RW);
		if (!ret)
			count(&st->maps);
		else if (ret == -EINVAL)
			count(&st->map_einval);
		else
			stress_bad(st, "MAP_DMA: %d", ret);
		ret = vfio_unmap_dma(c, IOVA_SRC, MAP_SIZE, 0, &unmapped);
		if (ret && ret != -EINVAL)
			stress_bad(st, "UNMAP_DMA: %d", ret);
		close(c);
		sleep_ms(1);
	}
	vfio_free(buf, MAP_SIZE);
	return NULL;
}

/* Unbinds the device from vfio-pci and binds it again, repeatedly. */
static void *rebinder(void *arg)
{
	struct stress *st = arg;
	unsigned int seed = 11;
	long long t;
	int ret;

	while (!stress_done(st)) {
		sleep_ms(20 + rand_r(&seed) % 60);
		st->rebinder_at = "unbind";
		__atomic_store_n(&st->unbinding, 1, __ATOMIC_RELAXED);
		t = now_ms();
		ret = pci_rebind(st->bdf, "");
		t = now_ms() - t;
		__atomic_store_n(&st->unbinding, 0, __ATOMIC_RELAXED);
		if (ret)
			stress_bad(st, "unbind: %d", ret);
		if (t > st->max_unbind_ms)
			st->max_unbind_ms = (int)t;
		st->rebinder_at = "unbound";
		sleep_ms(10 + rand_r(&seed) % 20);
		st->rebinder_at = "bind";
		ret = pci_rebind(st->bdf, "vfio-pci");
		if (ret)
			stress_bad(st, "bind: %d", ret);
		else
			count(&st->rebinds);
		st->rebinder_at = "bound";
	}
	return NULL;
}

/* Interrupts of an IRQ action named @name, all CPUs, from /proc/interrupts */
static long long irq_count(const char *name)
{
	long long total = -1;
	char line[512];
	FILE *f = fopen("/proc/interrupts", "r");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *p = strchr(line, ':');

		if (!p || !strstr(line, name))
			continue;
		total = 0;
		for (p++; *p; ) {
			char *end;
			long long v = strtoll(p, &end, 10);

			if (end == p)
				break;
			total += v;
			p = end;
		}
	}
	fclose(f);
	return total;
}

FIXTURE(irq_loop)
{
	struct vfio_dev d;
	int efd;
	char thresh[16];
};

#define WATCHDOG_THRESH	"/proc/sys/kernel/watchdog_thresh"

FIXTURE_SETUP(irq_loop)
{
	FILE *f;

	self->efd = -1;
	self->thresh[0] = '\0';
	vfio_dev_init(&self->d, edu0);
	ASSERT_EQ(0, edu_open(&self->d, edu0));
	self->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, self->efd);
	/* a soft lockup is reported after twice this many seconds */
	f = fopen(WATCHDOG_THRESH, "r");
	if (f) {
		if (!fgets(self->thresh, sizeof(self->thresh), f))
			self->thresh[0] = '\0';
		fclose(f);
	}
}

FIXTURE_TEARDOWN(irq_loop)
{
	FILE *f;

	vfio_dev_close(&self->d);
	if (self->efd >= 0)
		close(self->efd);
	if (self->thresh[0]) {
		f = fopen(WATCHDOG_THRESH, "w");
		if (f) {
			fputs(self->thresh, f);
			fclose(f);
		}
	}
}

TEST_F_TIMEOUT(irq_loop, msi_raises_itself, 60)
{
	struct vfio_device_ioeventfd ie = {
		.argsz = sizeof(ie),
		.flags = 4,
		.offset = self->d.bar0.offset + EDU_REG_IRQ_RAISE,
		.data = 0x1,
		.fd = self->efd,
	};
	char name[64];
	long long before, during, after;
	FILE *f;

	if (vfio_stock_modules())
		SKIP(return, "stock 6.1 %s",
		     "writes the ioeventfd from the interrupt: a CPU locks up");
	/*
	 * The debug kernel has no soft lockup watchdog: there the loop
	 * must still go on and stop, and a stuck CPU would stall the test.
	 */
	if (self->thresh[0]) {
		f = fopen(WATCHDOG_THRESH, "w");
		ASSERT_NE(NULL, f);
		fputs("1\n", f);
		ASSERT_EQ(0, fclose(f));
	} else {
		TH_LOG("no %s: no soft lockup watchdog here", WATCHDOG_THRESH);
	}

	snprintf(name, sizeof(name), "vfio-msi[0](%s)", edu0);
	ASSERT_EQ(0, vfio_irq_set_eventfd(self->d.device,
					  VFIO_PCI_MSI_IRQ_INDEX, self->efd));
	ASSERT_EQ(0, vfio_ioctl(self->d.device, VFIO_DEVICE_IOEVENTFD, &ie));
	before = irq_count(name);
	ASSERT_LE(0, before);
	edu_write32(&self->d, EDU_REG_IRQ_RAISE, 0x1);

	/* four watchdog periods: a locked-up CPU gets reported meanwhile */
	sleep_ms(4000);
	during = irq_count(name);
	TH_LOG("%lld interrupts in 4 s", during - before);
	EXPECT_LT(before + 100, during);

	/* the loop ends with MSI */
	ASSERT_EQ(0, vfio_irq_set_eventfd(self->d.device,
					  VFIO_PCI_MSI_IRQ_INDEX, -1));
	ie.fd = -1;
	EXPECT_EQ(0, vfio_ioctl(self->d.device, VFIO_DEVICE_IOEVENTFD, &ie));
	after = irq_count(name);
	EXPECT_EQ(-1, after);	/* the action is gone with MSI */
	edu_write32(&self->d, EDU_REG_IRQ_ACK, ~0U);
	EXPECT_EQ(EDU_ID_VALUE, edu_read32(&self->d, EDU_REG_ID));
}

FIXTURE(stress)
{
	struct stress st;
	pthread_t threads[NTHREADS];
	int nthreads;
	long long pins0;
};

FIXTURE_SETUP(stress)
{
	char drv[64];

	self->st.bdf = edu1;
	self->st.group = -1;
	self->st.container = -1;
	self->st.req = -1;
	pthread_mutex_init(&self->st.lock, NULL);
	ASSERT_EQ(0, pci_driver_name(edu1, drv, sizeof(drv)));
	ASSERT_STREQ("vfio-pci", drv);
	self->st.stock = vfio_stock_modules();
	self->pins0 = pinned_pages(true);
	ASSERT_LE(0, self->pins0);
	self->st.req = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, self->st.req);
}

/* Joins the threads: false if one is still stuck after timeout_ms. */
static bool stress_join(FIXTURE_DATA(stress) * self, long long timeout_ms)
{
	struct timespec ts;
	bool ok = true;
	int i;

	__atomic_store_n(&self->st.stop, 1, __ATOMIC_RELAXED);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += timeout_ms / 1000;
	for (i = 0; i < self->nthreads; i++) {
		if (pthread_timedjoin_np(self->threads[i], NULL, &ts))
			ok = false;
	}
	self->nthreads = 0;
	return ok;
}

FIXTURE_TEARDOWN(stress)
{
	char drv[64] = "";

	if (self->nthreads && !stress_join(self, 30000))
		return;		/* stuck in the kernel: leave it be */
	if (self->st.group >= 0)
		close(self->st.group);
	if (self->st.container >= 0)
		close(self->st.container);
	if (self->st.req >= 0)
		close(self->st.req);
	/* as the harness left it */
	pci_driver_name(edu1, drv, sizeof(drv));
	if (strcmp(drv, "vfio-pci"))
		EXPECT_EQ(0, pci_rebind(edu1, "vfio-pci"));
	EXPECT_EQ(0, pci_set_driver_override(edu1, "vfio-pci"));
}

/* Starts the threads (no mapper on stock: see below). */
static void stress_start(struct __test_metadata *_metadata,
			 FIXTURE_DATA(stress) * self)
{
	struct stress *st = &self->st;
	int i;

	/*
	 * Stock 6.1's vfio_fops_unl_ioctl() calls the IOMMU backend without
	 * container->group_lock, so the last group leaving the container
	 * (an unbind, a group closed) frees the backend under a running
	 * MAP/UNMAP_DMA: KASAN saw the use-after-free in vfio_remove_dma().
	 */
	if (st->stock)
		TH_LOG("stock 6.1 bug: %s",
		       "backend ioctls race the last group leaving: no mapper");
	for (i = 0; i < NTHREADS; i++) {
		if (i == TAKERS + 1 && st->stock)
			continue;
		ASSERT_EQ(0, pthread_create(&self->threads[self->nthreads],
					    NULL,
					    i < TAKERS ? taker :
					    i == TAKERS ? group_cycler :
					    i == TAKERS + 1 ? mapper :
					    rebinder, st));
		self->nthreads++;
	}
}

/* What the threads counted and saw; they must have raced. */
static void stress_report(struct __test_metadata *_metadata,
			  struct stress *st)
{
	int i;

	TH_LOG("%d device fds (%d -ENODEV, %d -EINVAL), %d REQ seen",
	       st->takes, st->take_enodev, st->take_einval, st->reqs);
	TH_LOG("%d group opens (%d refused), %d maps (%d -EINVAL)",
	       st->group_opens, st->group_open_fail, st->maps,
	       st->map_einval);
	TH_LOG("%d rebinds; longest unbind %d ms, GET_DEVICE_FD %d ms, fd held %d ms",
	       st->rebinds, st->max_unbind_ms, st->max_take_ms,
	       st->max_hold_ms);
	if (st->stock_bar_busy)
		TH_LOG("stock 6.1 bug: %d BAR0 accesses got -EBUSY %s",
		       st->stock_bar_busy,
		       "(unlocked vfio_pci_setup_barmap(): first uses race)");
	for (i = 0; i < st->nbad && i < MAX_BAD; i++)
		TH_LOG("unexpected: %s", st->bad[i]);
	EXPECT_EQ(0, st->nbad);
	/* it did race (the debug kernel under TCG manages little) */
	EXPECT_LE(2, st->rebinds);
	EXPECT_LE(2, st->takes);
	if (!st->stock)
		EXPECT_LE(2, st->maps);
	/*
	 * With enough of both, some GET_DEVICE_FD met a stale group; a
	 * loaded debug kernel may manage too few takes for that to be sure.
	 */
	if (st->rebinds >= 10 && st->takes >= 50)
		EXPECT_LE(1, st->take_enodev);
}

/* EDU1 ends bound to vfio-pci and usable, its group and container closed. */
static void stress_check_device(struct __test_metadata *_metadata,
				struct stress *st)
{
	struct vfio_dev d;
	char drv[64];

	ASSERT_EQ(0, pci_driver_name(edu1, drv, sizeof(drv)));
	ASSERT_STREQ("vfio-pci", drv);
	pthread_mutex_lock(&st->lock);
	if (st->group >= 0)
		close(st->group);
	if (st->container >= 0)
		close(st->container);
	st->group = -1;
	st->container = -1;
	pthread_mutex_unlock(&st->lock);
	ASSERT_EQ(0, vfio_dev_open(&d, edu1, VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(0, edu_map_bar0(&d));
	if (d.bar0_map)
		EXPECT_EQ(EDU_ID_VALUE, edu_read32(&d, EDU_REG_ID));
	EXPECT_EQ(0, edu_enable(&d));
	EXPECT_EQ(0, use_device(&d, d.container, VFIO_PCI_MSI_IRQ_INDEX));
	vfio_dev_close(&d);
}

TEST_F_TIMEOUT(stress, fds_groups_and_rebinding, 160)
{
	unsigned long secs = env_ulong("VFIO_ROBUST_STRESS_S", 10, 40);
	struct stress *st = &self->st;
	long long start;

	start = now_ms();
	stress_start(_metadata, self);
	/* at least secs; up to twice that until every thread got going */
	while (now_ms() - start < 2000 * (long long)secs) {
		sleep_ms(100);
		if (now_ms() - start >= 1000 * (long long)secs &&
		    __atomic_load_n(&st->rebinds, __ATOMIC_RELAXED) >= 3 &&
		    __atomic_load_n(&st->takes, __ATOMIC_RELAXED) >= 5 &&
		    __atomic_load_n(&st->take_enodev, __ATOMIC_RELAXED) >= 1 &&
		    (st->stock ||
		     __atomic_load_n(&st->maps, __ATOMIC_RELAXED) >= 5))
			break;
	}
	ASSERT_TRUE(stress_join(self, 30000))
		TH_LOG("threads stuck: rebinder in %s", st->rebinder_at);

	stress_report(_metadata, st);
	stress_check_device(_metadata, st);
	/* and every page the mapper pinned is unpinned */
	EXPECT_GE(self->pins0 + PIN_SLACK, pinned_pages(true));
}

int main(int argc, char **argv)
{
	/* a dead child's pipe fails writes instead of killing the test */
	signal(SIGPIPE, SIG_IGN);
	/* vfio_test_env() may return its static buffer */
	edu0 = vfio_test_env("VFIO_EDU0");
	edu0 = edu0 ? strdup(edu0) : NULL;
	edu1 = vfio_test_env("VFIO_EDU1");
	edu1 = edu1 ? strdup(edu1) : NULL;
	if (!edu0 || !edu1 || access(VFIO_CONTAINER_PATH, F_OK)) {
		ksft_print_header();
		ksft_exit_skip("no VFIO test VM (VFIO_EDU0, VFIO_EDU1, %s)\n",
			       VFIO_CONTAINER_PATH);
	}
	return test_harness_run(argc, argv);
}
