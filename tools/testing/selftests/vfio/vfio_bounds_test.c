// SPDX-License-Identifier: GPL-2.0-only
/*
 * Boundary values of every user-controlled number that vfio-pci turns
 * into a region index or an offset: VFIO_DEVICE_IOEVENTFD's offset, size
 * and fd, pread/pwrite and mmap offsets, region and IRQ indexes, and
 * VFIO_DEVICE_SET_IRQS start/count.  Each is tried at 0, at the last valid
 * value, one past it, at the edge of the 40-bit region offset, with bit 63
 * set and at U64_MAX, so that a value that the kernel turns into a signed
 * or narrower type shows up as a wrong answer (or a crash) here.
 *
 * Error codes are those of Debian's stock 6.1 modules, except where 6.1
 * has a bug (README: "Where ours differ from stock 6.1"): its
 * VFIO_DEVICE_IOEVENTFD takes an offset with bit 63 set for a negative
 * region index and oopses, so those values are only sent to ours.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <linux/pci_regs.h>

#include "vfio_util.h"
#include "kselftest_harness.h"

/* The offset of region index i, as vfio-pci lays them out (not uapi). */
#define REGION_SHIFT	40
#define REGION(i)	((uint64_t)(i) << REGION_SHIFT)
#define BIT63		0x8000000000000000ULL

static const char *edu0;

static long ioeventfd(int device, uint64_t offset, uint32_t flags,
		      uint64_t data, int32_t fd)
{
	struct vfio_device_ioeventfd ie = {
		.argsz = sizeof(ie),
		.flags = flags,
		.offset = offset,
		.data = data,
		.fd = fd,
	};

	return vfio_ioctl(device, VFIO_DEVICE_IOEVENTFD, &ie);
}

/* pread/pwrite of len bytes at an absolute file offset: n or -errno. */
static long rw_at(int device, uint64_t off, size_t len, bool write)
{
	uint8_t buf[8] = { 0 };
	ssize_t n;

	n = write ? pwrite(device, buf, len, (off_t)off) :
		    pread(device, buf, len, (off_t)off);
	return n < 0 ? -errno : n;
}

/* mmap of len bytes at an absolute file offset: 0 mapped, or -errno. */
static int mmap_at(int device, uint64_t off, size_t len)
{
	void *p = mmap(NULL, len, PROT_READ, MAP_SHARED, device, (off_t)off);

	if (p == MAP_FAILED)
		return -errno;
	munmap(p, len);
	return 0;
}

static long set_irqs(int device, uint32_t flags, uint32_t index,
		     uint32_t start, uint32_t count)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set),
		.flags = flags,
		.index = index,
		.start = start,
		.count = count,
	};

	return vfio_ioctl(device, VFIO_DEVICE_SET_IRQS, &set);
}

/* EDU0 opened, BAR0 mapped, memory decode and bus master on. */
FIXTURE(dev)
{
	struct vfio_dev d;
	int efd;
};

FIXTURE_SETUP(dev)
{
	self->efd = -1;
	vfio_dev_init(&self->d, edu0);
	ASSERT_EQ(0, edu_open(&self->d, edu0));
	self->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, self->efd);
}

FIXTURE_TEARDOWN(dev)
{
	if (self->efd >= 0)
		close(self->efd);
	vfio_dev_close(&self->d);
}

/*
 * VFIO_DEVICE_IOEVENTFD offsets: only BARs, only inside them.  The
 * values with bit 63 set are the 6.1 bug: a negative region index that
 * passed its "> BAR5" check and indexed the BAR arrays out of bounds.
 */
TEST_F(dev, ioeventfd_offsets)
{
	const uint32_t four = 4, eight = 8;
	uint64_t bar0 = self->d.bar0.offset, size = self->d.bar0.size;
	const uint64_t bad[] = {
		REGION(VFIO_PCI_BAR1_REGION_INDEX),	/* empty BAR */
		REGION(VFIO_PCI_ROM_REGION_INDEX),
		REGION(VFIO_PCI_CONFIG_REGION_INDEX),
		REGION(VFIO_PCI_VGA_REGION_INDEX),
		REGION(VFIO_PCI_NUM_REGIONS),
		REGION(0x7fffff),			/* largest loff_t */
		bar0 + size,				/* one past BAR0 */
		bar0 + REGION(1) - four,		/* region's last dword */
	};
	const uint64_t bit63[] = {
		BIT63,
		BIT63 | bar0,
		BIT63 | bar0 | EDU_REG_LIVENESS,
		~0ULL,					/* index -1 in 6.1 */
		~0ULL - 3,
		(uint64_t)-REGION(1),			/* index -1, pos 0 */
		(uint64_t)-REGION(2) + EDU_REG_LIVENESS,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, ioeventfd(self->d.device, bad[i], four, 0,
					     self->efd)) {
			TH_LOG("offset 0x%llx", (unsigned long long)bad[i]);
		}
	}

	/* the last dword of BAR0 is fine, a qword there is not */
	EXPECT_EQ(-EINVAL, ioeventfd(self->d.device, bar0 + size - four,
				     eight, 0, self->efd));
	ASSERT_EQ(0, ioeventfd(self->d.device, bar0 + size - four, four, 0,
			       self->efd));
	EXPECT_EQ(0, ioeventfd(self->d.device, bar0 + size - four, four, 0,
			       -1));

	if (vfio_stock_modules()) {
		TH_LOG("stock 6.1 oopses on offsets with bit 63 set: skipped");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(bit63); i++) {
		/* as a new ioeventfd, and as a deletion */
		EXPECT_EQ(-EINVAL, ioeventfd(self->d.device, bit63[i], four,
					     0, self->efd)) {
			TH_LOG("offset 0x%llx", (unsigned long long)bit63[i]);
		}
		EXPECT_EQ(-EINVAL, ioeventfd(self->d.device, bit63[i], four,
					     0, -1)) {
			TH_LOG("offset 0x%llx", (unsigned long long)bit63[i]);
		}
	}
	/* the device, and the kernel, are still fine */
	EXPECT_EQ(EDU_ID_VALUE, edu_read32(&self->d, EDU_REG_ID));
}

/* VFIO_DEVICE_IOEVENTFD flags (the access size), fd and argsz. */
TEST_F(dev, ioeventfd_args)
{
	uint64_t off = self->d.bar0.offset + EDU_REG_LIVENESS;
	struct vfio_device_ioeventfd ie = {
		.argsz = offsetof(struct vfio_device_ioeventfd, fd),
		.flags = 4,
		.offset = off,
		.fd = self->efd,
	};
	const uint32_t bad_flags[] = { 0, 3, 5, 6, 7, 9, 12, 15, 16, 4 | 16,
				       1U << 31, ~0U };
	unsigned int i;

	EXPECT_EQ(-EINVAL, vfio_ioctl(self->d.device, VFIO_DEVICE_IOEVENTFD,
				      &ie));
	for (i = 0; i < ARRAY_SIZE(bad_flags); i++) {
		EXPECT_EQ(-EINVAL, ioeventfd(self->d.device, off, bad_flags[i],
					     0, self->efd)) {
			TH_LOG("flags 0x%x", bad_flags[i]);
		}
	}
	/* fds below -1; a deletion of what does not exist */
	EXPECT_EQ(-EINVAL, ioeventfd(self->d.device, off, 4, 0, -2));
	EXPECT_EQ(-EINVAL, ioeventfd(self->d.device, off, 4, 0, INT32_MIN));
	EXPECT_EQ(-ENODEV, ioeventfd(self->d.device, off, 4, 0, -1));
	/* not an eventfd; not an fd */
	EXPECT_EQ(-EINVAL, ioeventfd(self->d.device, off, 4, 0,
				     self->d.device));
	EXPECT_EQ(-EBADF, ioeventfd(self->d.device, off, 4, 0, INT32_MAX));
	EXPECT_EQ(-ENODEV, ioeventfd(self->d.device, off, 4, 0, -1));

	/* each size once; the same one twice is refused */
	EXPECT_EQ(0, ioeventfd(self->d.device, off, 1, 0, self->efd));
	EXPECT_EQ(0, ioeventfd(self->d.device, off, 2, 0, self->efd));
	EXPECT_EQ(0, ioeventfd(self->d.device, off, 4, 0, self->efd));
	EXPECT_EQ(0, ioeventfd(self->d.device, off, 8, 0, self->efd));
	EXPECT_EQ(-EEXIST, ioeventfd(self->d.device, off, 4, 0, self->efd));
	/* data is part of the key, all 64 bits of it */
	EXPECT_EQ(0, ioeventfd(self->d.device, off, 4, ~0ULL, self->efd));
	EXPECT_EQ(-ENODEV, ioeventfd(self->d.device, off, 4, 0xffffffffULL,
				     -1));
	EXPECT_EQ(0, ioeventfd(self->d.device, off, 4, ~0ULL, -1));
	EXPECT_EQ(0, ioeventfd(self->d.device, off, 1, 0, -1));
	EXPECT_EQ(0, ioeventfd(self->d.device, off, 2, 0, -1));
	EXPECT_EQ(0, ioeventfd(self->d.device, off, 4, 0, -1));
	EXPECT_EQ(0, ioeventfd(self->d.device, off, 8, 0, -1));
	EXPECT_EQ(-ENODEV, ioeventfd(self->d.device, off, 4, 0, -1));
}

/* Waits up to 5 s for edu's liveness register to read @want. */
static bool liveness_becomes(struct vfio_dev *d, uint32_t want)
{
	struct timespec ts = { .tv_nsec = 1000000 };
	int i;

	for (i = 0; i < 5000; i++) {
		if (edu_read32(d, EDU_REG_LIVENESS) == want)
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

/*
 * An ioeventfd's write reaches the device: edu's liveness register reads
 * back the inverse of what was written.  After the deletion, a signal
 * writes nothing: a second ioeventfd, signalled after it, is the barrier
 * (the deleted one would have written first, or not at all).
 */
TEST_F(dev, ioeventfd_write_arrives)
{
	uint64_t off = self->d.bar0.offset + EDU_REG_LIVENESS;
	const uint32_t val = 0x5a5a1234, val2 = 0x0badcafe;
	uint64_t one = 1;
	int efd2;

	edu_write32(&self->d, EDU_REG_LIVENESS, 0);
	ASSERT_EQ(~0U, edu_read32(&self->d, EDU_REG_LIVENESS));
	ASSERT_EQ(0, ioeventfd(self->d.device, off, 4, val, self->efd));
	ASSERT_EQ(sizeof(one), write(self->efd, &one, sizeof(one)));
	EXPECT_TRUE(liveness_becomes(&self->d, ~val));

	ASSERT_EQ(0, ioeventfd(self->d.device, off, 4, val, -1));
	edu_write32(&self->d, EDU_REG_LIVENESS, 0);
	ASSERT_EQ(sizeof(one), write(self->efd, &one, sizeof(one)));

	efd2 = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd2);
	ASSERT_EQ(0, ioeventfd(self->d.device, off, 4, val2, efd2));
	ASSERT_EQ(sizeof(one), write(efd2, &one, sizeof(one)));
	EXPECT_TRUE(liveness_becomes(&self->d, ~val2));
	/* nothing after the barrier either */
	EXPECT_EQ(~val2, edu_read32(&self->d, EDU_REG_LIVENESS));
	EXPECT_EQ(0, ioeventfd(self->d.device, off, 4, val2, -1));
	close(efd2);
}

/* pread/pwrite at the edges of regions and of the file offset space. */
TEST_F(dev, rw_offsets)
{
	uint64_t bar0 = self->d.bar0.offset, size = self->d.bar0.size;
	uint64_t cfg = self->d.config.offset;
	const uint64_t bad[] = {
		bar0 + size,
		bar0 + REGION(1) - 4,
		REGION(VFIO_PCI_BAR1_REGION_INDEX),
		REGION(VFIO_PCI_VGA_REGION_INDEX),
		REGION(VFIO_PCI_NUM_REGIONS),
		REGION(0x7fffff),
		REGION(0x7fffff) + REGION(1) - 8,	/* largest loff_t - 7 */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, rw_at(self->d.device, bad[i], 4, false)) {
			TH_LOG("read at 0x%llx", (unsigned long long)bad[i]);
		}
		EXPECT_EQ(-EINVAL, rw_at(self->d.device, bad[i], 4, true)) {
			TH_LOG("write at 0x%llx", (unsigned long long)bad[i]);
		}
	}
	/* negative file offsets stop in the VFS */
	EXPECT_EQ(-EINVAL, rw_at(self->d.device, BIT63 | bar0, 4, false));
	EXPECT_EQ(-EINVAL, rw_at(self->d.device, ~0ULL - 3, 4, true));

	/* BAR0's last dword; an access across its end stops there */
	EXPECT_EQ(4, rw_at(self->d.device, bar0 + size - 4, 4, false));
	EXPECT_EQ(4, rw_at(self->d.device, bar0 + size - 4, 8, false));
	/* config space: its last dword, and past its end (-EFAULT in 6.1) */
	EXPECT_EQ(4, rw_at(self->d.device, cfg + self->d.config.size - 4, 4,
			   false));
	EXPECT_EQ(-EFAULT, rw_at(self->d.device, cfg + REGION(1) - 4, 4,
				 false));
	EXPECT_EQ(-EFAULT, rw_at(self->d.device, cfg + REGION(1) - 4, 4,
				 true));
	/* the ROM region is read-only */
	EXPECT_EQ(-EINVAL, rw_at(self->d.device,
				 REGION(VFIO_PCI_ROM_REGION_INDEX), 4, true));
	EXPECT_EQ(EDU_ID_VALUE, edu_read32(&self->d, EDU_REG_ID));
}

/* mmap offsets: only BARs, only inside them, never wrapping. */
TEST_F(dev, mmap_offsets)
{
	uint64_t bar0 = self->d.bar0.offset, size = self->d.bar0.size;
	const uint64_t bad[] = {
		bar0 + size,
		bar0 + REGION(1) - 4096,
		REGION(VFIO_PCI_ROM_REGION_INDEX),
		REGION(VFIO_PCI_VGA_REGION_INDEX),
		REGION(VFIO_PCI_NUM_REGIONS),
		REGION(0x7fffff),
		REGION(0x7fffff) + REGION(1) - 4096,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, mmap_at(self->d.device, bad[i], 4096)) {
			TH_LOG("mmap at 0x%llx", (unsigned long long)bad[i]);
		}
	}
	/* the last page of BAR0; one page more runs past its end */
	EXPECT_EQ(0, mmap_at(self->d.device, bar0 + size - 4096, 4096));
	EXPECT_EQ(-EINVAL, mmap_at(self->d.device, bar0 + size - 4096, 8192));
}

/* Region and IRQ indexes: the u32 in full. */
TEST_F(dev, info_indexes)
{
	const uint32_t bad[] = { VFIO_PCI_NUM_REGIONS, 0x7fffffff,
				 0x80000000, ~0U };
	struct vfio_region_info ri;
	struct vfio_irq_info ii;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, vfio_region_info(self->d.device, bad[i],
						    &ri));
		EXPECT_EQ(-EINVAL, vfio_irq_info(self->d.device, bad[i], &ii));
	}
	/* the edu is no VGA device */
	EXPECT_EQ(-EINVAL, vfio_region_info(self->d.device,
					    VFIO_PCI_VGA_REGION_INDEX, &ri));
	EXPECT_EQ(-EINVAL, vfio_irq_info(self->d.device, VFIO_PCI_NUM_IRQS,
					 &ii));
}

/* VFIO_DEVICE_SET_IRQS index, start and count, with wrapping sums. */
TEST_F(dev, set_irqs_ranges)
{
	const uint32_t none = VFIO_IRQ_SET_DATA_NONE |
			      VFIO_IRQ_SET_ACTION_TRIGGER;
	const struct { uint32_t index, start, count; } bad[] = {
		{ VFIO_PCI_MSI_IRQ_INDEX, ~0U, 1 },
		{ VFIO_PCI_MSI_IRQ_INDEX, 1, ~0U },
		{ VFIO_PCI_MSI_IRQ_INDEX, ~0U, ~0U },
		{ VFIO_PCI_MSI_IRQ_INDEX, 0x80000000, 0x80000000 },
		{ VFIO_PCI_INTX_IRQ_INDEX, ~0U, 2 },
		{ VFIO_PCI_INTX_IRQ_INDEX, 1, 0 },
		{ VFIO_PCI_REQ_IRQ_INDEX, 1, ~0U },
		{ VFIO_PCI_NUM_IRQS, 0, 1 },
		{ ~0U, 0, 1 },
		{ 0x80000000, 0, 0 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, set_irqs(self->d.device, none, bad[i].index,
					    bad[i].start, bad[i].count)) {
			TH_LOG("index %u start %u count %u", bad[i].index,
			       bad[i].start, bad[i].count);
		}
	}
	/* MSI: one vector on, then count 0 turns it off again */
	ASSERT_EQ(0, vfio_irq_set_eventfd(self->d.device,
					  VFIO_PCI_MSI_IRQ_INDEX, self->efd));
	EXPECT_EQ(0, set_irqs(self->d.device, none, VFIO_PCI_MSI_IRQ_INDEX,
			      0, 0));
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
