// SPDX-License-Identifier: GPL-2.0-only
/*
 * One test per published VFIO vulnerability that applies to vfio-pci and
 * Type1 (Documentation/vfio.rst, "Known vulnerabilities", names them):
 * each does what the exploit did and checks that the kernel refuses it,
 * or survives it, and that the device still works afterwards.
 *
 * Error codes are those of Debian's stock 6.1 modules, which carry the
 * fixes of all of these too.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <linux/pci_regs.h>

#include "vfio_util.h"
#include "kselftest_harness.h"

#define IRQ_TIMEOUT_MS		2000
#define PAGE			4096UL
#define ENTRY_LIMIT_PARAM \
	"/sys/module/vfio_iommu_type1/parameters/dma_entry_limit"

static const char *edu0;

static long set_irqs(int device, uint32_t argsz, uint32_t flags,
		     uint32_t index, uint32_t start, uint32_t count)
{
	char buf[sizeof(struct vfio_irq_set) + 2 * sizeof(int32_t)] = { 0 };
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;

	set->argsz = argsz;
	set->flags = flags;
	set->index = index;
	set->start = start;
	set->count = count;
	return vfio_ioctl(device, VFIO_DEVICE_SET_IRQS, set);
}

static int read_command(struct vfio_dev *d, uint16_t *cmd)
{
	return vfio_region_read(d->device, &d->config, PCI_COMMAND, cmd,
				sizeof(*cmd));
}

static int write_command(struct vfio_dev *d, uint16_t cmd)
{
	return vfio_region_write(d->device, &d->config, PCI_COMMAND, &cmd,
				 sizeof(cmd));
}

/* EDU0 opened, BAR0 mapped, memory decode and bus master on. */
FIXTURE(cve)
{
	struct vfio_dev d;
	char entry_limit[32];
	uint8_t *buf;
	size_t buf_size;
};

FIXTURE_SETUP(cve)
{
	self->entry_limit[0] = '\0';
	self->buf = NULL;
	vfio_dev_init(&self->d, edu0);
	ASSERT_EQ(0, edu_open(&self->d, edu0));
}

FIXTURE_TEARDOWN(cve)
{
	FILE *f;

	vfio_dev_close(&self->d);
	if (self->buf)
		vfio_free(self->buf, self->buf_size);
	if (self->entry_limit[0]) {
		f = fopen(ENTRY_LIMIT_PARAM, "w");
		if (f) {
			fputs(self->entry_limit, f);
			fclose(f);
		}
	}
}

/*
 * CVE-2019-3882: a user could create DMA mappings until the kernel ran
 * out of memory.  Type1 limits them per container (dma_entry_limit):
 * past it MAP_DMA fails with -ENOSPC, and an unmap makes room again.
 */
TEST_F(cve, cve_2019_3882_dma_entry_limit)
{
	const unsigned int limit = 8;
	struct vfio_dev *d = &self->d;
	unsigned int i;
	uint8_t *buf;
	FILE *f;

	f = fopen(ENTRY_LIMIT_PARAM, "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(self->entry_limit, sizeof(self->entry_limit),
			      f));
	fclose(f);
	f = fopen(ENTRY_LIMIT_PARAM, "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "%u\n", limit);
	ASSERT_EQ(0, fclose(f));

	/* The limit is read when a container's IOMMU is set: a new one */
	vfio_dev_close(d);
	ASSERT_EQ(0, vfio_dev_open(d, edu0, VFIO_TYPE1v2_IOMMU));
	self->buf_size = (limit + 1) * PAGE;
	self->buf = vfio_alloc(self->buf_size);
	ASSERT_NE(NULL, self->buf);
	buf = self->buf;

	for (i = 0; i < limit; i++)
		ASSERT_EQ(0, vfio_map_dma(d->container, buf + i * PAGE,
					  0x100000 + i * 2 * PAGE, PAGE,
					  VFIO_DMA_MAP_FLAG_READ));
	EXPECT_EQ(-ENOSPC, vfio_map_dma(d->container, buf + limit * PAGE,
					0x100000 + limit * 2 * PAGE, PAGE,
					VFIO_DMA_MAP_FLAG_READ));
	ASSERT_EQ(0, vfio_unmap_dma(d->container, 0x100000, PAGE, 0, NULL));
	EXPECT_EQ(0, vfio_map_dma(d->container, buf + limit * PAGE,
				  0x100000 + limit * 2 * PAGE, PAGE,
				  VFIO_DMA_MAP_FLAG_READ));
	EXPECT_EQ(0, vfio_unmap_dma(d->container, 0, 0,
				    VFIO_DMA_UNMAP_FLAG_ALL, NULL));
}

/*
 * CVE-2020-12888: BAR accesses while the user had memory decode disabled
 * made some hosts raise fatal errors.  With decode off, read() and
 * write() of a memory BAR fail with -EIO and a BAR mapping faults with
 * SIGBUS; with decode back on, both work again.
 */
TEST_F(cve, cve_2020_12888_bar_access_decode_off)
{
	uint32_t id = 0;
	uint16_t cmd;
	pid_t pid;
	int status;

	ASSERT_EQ(0, read_command(&self->d, &cmd));
	ASSERT_EQ(0, write_command(&self->d, cmd & ~PCI_COMMAND_MEMORY));

	EXPECT_EQ(-EIO, vfio_region_read(self->d.device, &self->d.bar0,
					 EDU_REG_ID, &id, sizeof(id)));
	EXPECT_EQ(-EIO, vfio_region_write(self->d.device, &self->d.bar0,
					  EDU_REG_LIVENESS, &id, sizeof(id)));

	/* a mapping made before, and one made now, both fault */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		edu_read32(&self->d, EDU_REG_ID);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		uint32_t *p;

		p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, self->d.device,
			 (off_t)self->d.bar0.offset);
		if (p == MAP_FAILED)
			_exit(2);
		__atomic_load_n(&p[EDU_REG_ID / 4], __ATOMIC_RELAXED);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS);

	ASSERT_EQ(0, write_command(&self->d, cmd | PCI_COMMAND_MEMORY));
	EXPECT_EQ(0, vfio_region_read(self->d.device, &self->d.bar0,
				      EDU_REG_ID, &id, sizeof(id)));
	EXPECT_EQ(EDU_ID_VALUE, id);
	EXPECT_EQ(EDU_ID_VALUE, edu_read32(&self->d, EDU_REG_ID));
}

/*
 * CVE-2016-9083, CVE-2016-9084: VFIO_DEVICE_SET_IRQS computed the size
 * of its data from a user count that could overflow, and checked start
 * + count with a sum that could wrap: heap corruption.  Counts that
 * only fit after an overflow must be refused before anything is copied.
 */
TEST_F(cve, cve_2016_9083_9084_set_irqs_count)
{
	const uint32_t fd = VFIO_IRQ_SET_DATA_EVENTFD |
			    VFIO_IRQ_SET_ACTION_TRIGGER;
	const uint32_t boolean = VFIO_IRQ_SET_DATA_BOOL |
				 VFIO_IRQ_SET_ACTION_TRIGGER;
	const struct { uint32_t flags, index, start, count; } bad[] = {
		{ fd, VFIO_PCI_MSI_IRQ_INDEX, 0, 0x40000000 },	/* * 4 = 2^32 */
		{ fd, VFIO_PCI_MSI_IRQ_INDEX, 0, 0x40000001 },
		{ fd, VFIO_PCI_MSI_IRQ_INDEX, 0, 0x80000000 },
		{ fd, VFIO_PCI_MSI_IRQ_INDEX, 0, ~0U },
		{ fd, VFIO_PCI_MSI_IRQ_INDEX, 1, ~0U },		/* wraps to 0 */
		{ fd, VFIO_PCI_MSI_IRQ_INDEX, ~0U, 2 },		/* wraps to 1 */
		{ fd, VFIO_PCI_MSIX_IRQ_INDEX, 0, 0x40000000 },
		{ fd, VFIO_PCI_INTX_IRQ_INDEX, 0, 0x40000000 },
		{ boolean, VFIO_PCI_MSI_IRQ_INDEX, 0, ~0U },
		{ boolean, VFIO_PCI_MSI_IRQ_INDEX, ~0U, 1 },
	};
	unsigned int i, argsz;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		/* with room for one vector's data, and claiming 4 GiB */
		argsz = sizeof(struct vfio_irq_set) + sizeof(int32_t);
		EXPECT_EQ(-EINVAL, set_irqs(self->d.device, argsz,
					    bad[i].flags, bad[i].index,
					    bad[i].start, bad[i].count)) {
			TH_LOG("index %u start %u count %u", bad[i].index,
			       bad[i].start, bad[i].count);
		}
		EXPECT_EQ(-EINVAL, set_irqs(self->d.device, ~0U,
					    bad[i].flags, bad[i].index,
					    bad[i].start, bad[i].count)) {
			TH_LOG("argsz ~0, index %u start %u count %u",
			       bad[i].index, bad[i].start, bad[i].count);
		}
	}
}

/* The INTx race: threads that change what INTx is while it fires. */
struct intx_race {
	struct vfio_dev *d;
	bool stop;		/* __atomic */
	int efd[3];
	long ops;
	long bad;		/* results that no race may give */
	long last_bad;
};

static void race_result(struct intx_race *r, long ret)
{
	/* -EINVAL: INTx is off at that moment, the only other answer */
	if (ret && ret != -EINVAL) {
		__atomic_add_fetch(&r->bad, 1, __ATOMIC_RELAXED);
		r->last_bad = ret;
	}
	__atomic_add_fetch(&r->ops, 1, __ATOMIC_RELAXED);
}

/* Enables INTx, swaps its eventfd, disables it again. */
static void *race_trigger(void *arg)
{
	const uint32_t trig = VFIO_IRQ_SET_ACTION_TRIGGER;
	struct intx_race *r = arg;
	unsigned int i = 0;
	long ret;

	while (!__atomic_load_n(&r->stop, __ATOMIC_RELAXED)) {
		switch (i++ % 3) {
		case 0:
		case 1:
			ret = vfio_irq_set_eventfd(r->d->device,
						   VFIO_PCI_INTX_IRQ_INDEX,
						   r->efd[i % 2]);
			race_result(r, ret);
			break;
		default:
			ret = set_irqs(r->d->device,
				       sizeof(struct vfio_irq_set),
				       VFIO_IRQ_SET_DATA_NONE | trig,
				       VFIO_PCI_INTX_IRQ_INDEX, 0, 0);
			race_result(r, ret);
		}
	}
	return NULL;
}

/* Masks and unmasks, directly and through an unmask eventfd. */
static void *race_mask(void *arg)
{
	const uint32_t none = VFIO_IRQ_SET_DATA_NONE;
	struct intx_race *r = arg;
	char buf[sizeof(struct vfio_irq_set) + sizeof(int32_t)];
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;
	unsigned int i = 0;
	uint64_t one = 1;
	long ret;

	while (!__atomic_load_n(&r->stop, __ATOMIC_RELAXED)) {
		switch (i++ % 4) {
		case 0:
			ret = set_irqs(r->d->device, sizeof(*set),
				       none | VFIO_IRQ_SET_ACTION_MASK,
				       VFIO_PCI_INTX_IRQ_INDEX, 0, 1);
			race_result(r, ret);
			break;
		case 1:
			ret = set_irqs(r->d->device, sizeof(*set),
				       none | VFIO_IRQ_SET_ACTION_UNMASK,
				       VFIO_PCI_INTX_IRQ_INDEX, 0, 1);
			race_result(r, ret);
			break;
		case 2:
			set->argsz = sizeof(buf);
			set->flags = VFIO_IRQ_SET_DATA_EVENTFD |
				     VFIO_IRQ_SET_ACTION_UNMASK;
			set->index = VFIO_PCI_INTX_IRQ_INDEX;
			set->start = 0;
			set->count = 1;
			memcpy(set->data, &r->efd[2], sizeof(int32_t));
			race_result(r, vfio_ioctl(r->d->device,
						  VFIO_DEVICE_SET_IRQS, set));
			if (write(r->efd[2], &one, sizeof(one)) < 0)
				__atomic_add_fetch(&r->bad, 1,
						   __ATOMIC_RELAXED);
			break;
		default:
			set->flags = VFIO_IRQ_SET_DATA_EVENTFD |
				     VFIO_IRQ_SET_ACTION_UNMASK;
			memset(set->data, 0xff, sizeof(int32_t));
			race_result(r, vfio_ioctl(r->d->device,
						  VFIO_DEVICE_SET_IRQS, set));
		}
	}
	return NULL;
}

/* Raises and acknowledges edu interrupts; toggles INTx disable. */
static void *race_device(void *arg)
{
	struct intx_race *r = arg;
	unsigned int i = 0;
	uint16_t cmd = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	uint64_t cnt;

	while (!__atomic_load_n(&r->stop, __ATOMIC_RELAXED)) {
		edu_write32(r->d, EDU_REG_IRQ_RAISE, 0x1);
		edu_write32(r->d, EDU_REG_IRQ_ACK, 0x1);
		if (!(++i % 8)) {
			cmd ^= PCI_COMMAND_INTX_DISABLE;
			race_result(r, write_command(r->d, cmd));
		}
		/* keep the counters from saturating */
		if (read(r->efd[0], &cnt, sizeof(cnt)) < 0 && errno != EAGAIN)
			__atomic_add_fetch(&r->bad, 1, __ATOMIC_RELAXED);
		if (read(r->efd[1], &cnt, sizeof(cnt)) < 0 && errno != EAGAIN)
			__atomic_add_fetch(&r->bad, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void *(*const race_threads[])(void *) = {
	race_trigger, race_mask, race_device
};

/*
 * CVE-2024-26810 (INTx masking from outside, unlocked), CVE-2024-26812
 * (the INTx handler and its trigger torn down under a firing interrupt):
 * for a few seconds, one thread enables, re-targets and disables INTx,
 * one masks and unmasks it (directly and through an unmask eventfd),
 * and one makes the edu raise it and toggles the virtual INTx disable
 * bit.  Nothing but 0 or -EINVAL (INTx off) may come back, the guest
 * must not splat (KASAN and lockdep on the debug kernel), and INTx
 * works afterwards.  VFIO_RACE_SECONDS sets the duration (default 4).
 */
TEST_F(cve, cve_2024_26810_26812_intx_races)
{
	const char *secs = getenv("VFIO_RACE_SECONDS");
	struct intx_race r = { .d = &self->d };
	pthread_t th[3];
	unsigned int i;
	int efd;

	for (i = 0; i < 3; i++) {
		r.efd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		ASSERT_LE(0, r.efd[i]);
	}
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, pthread_create(&th[i], NULL, race_threads[i], &r));
	sleep(secs ? atoi(secs) : 4);
	__atomic_store_n(&r.stop, true, __ATOMIC_RELAXED);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, pthread_join(th[i], NULL));
	TH_LOG("%ld operations", r.ops);
	EXPECT_EQ(0, r.bad) {
		TH_LOG("last unexpected result %ld", r.last_bad);
	}
	EXPECT_LT(100, r.ops);

	/* INTx from a clean state still works */
	set_irqs(self->d.device, sizeof(struct vfio_irq_set),
		 VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		 VFIO_PCI_INTX_IRQ_INDEX, 0, 0);
	ASSERT_EQ(0, write_command(&self->d,
				   PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER));
	edu_write32(&self->d, EDU_REG_IRQ_ACK, ~0U);
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, vfio_irq_set_eventfd(self->d.device,
					  VFIO_PCI_INTX_IRQ_INDEX, efd));
	edu_write32(&self->d, EDU_REG_IRQ_RAISE, 0x8);
	EXPECT_EQ(1, vfio_eventfd_wait(efd, IRQ_TIMEOUT_MS));
	edu_write32(&self->d, EDU_REG_IRQ_ACK, 0x8);
	EXPECT_EQ(0, vfio_irq_set_eventfd(self->d.device,
					  VFIO_PCI_INTX_IRQ_INDEX, -1));
	close(efd);
	for (i = 0; i < 3; i++)
		close(r.efd[i]);
}

int main(int argc, char **argv)
{
	edu0 = vfio_test_env("VFIO_EDU0");
	if (!edu0 || access(VFIO_CONTAINER_PATH, F_OK)) {
		ksft_print_header();
		ksft_exit_skip("no VFIO test VM (VFIO_EDU0, %s)\n",
			       VFIO_CONTAINER_PATH);
	}
	return test_harness_run(argc, argv);
}
