// SPDX-License-Identifier: GPL-2.0-only
/*
 * VFIO_DEVICE_SET_IRQS on the indexes and data types that need a PCIe
 * device with MSI-X (VFIO_NVME): the ERR (AER) eventfd and MSI-X with
 * DATA_EVENTFD, DATA_BOOL and DATA_NONE, vector by vector, and what 6.1
 * refuses (MASK/UNMASK of MSI-X, more vectors on an enabled MSI-X).
 *
 * DATA_NONE and DATA_BOOL triggers make the kernel signal the eventfds
 * itself (loopback), inside the ioctl: no interrupt of the device is
 * involved (QEMU 7.2's NVMe drops some MSI-X, see the VM notes), and an
 * eventfd's count is exact as soon as the ioctl has returned, so "not
 * signalled" is checked with a zero timeout.
 *
 * Error codes and effects are those of Debian's stock 6.1 modules.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <linux/pci_regs.h>

#include "vfio_util.h"
#include "kselftest_harness.h"

#define NVEC		4
#define TRIG_NONE	(VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER)
#define TRIG_BOOL	(VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER)
#define TRIG_FD		(VFIO_IRQ_SET_DATA_EVENTFD | \
			 VFIO_IRQ_SET_ACTION_TRIGGER)
#define MSIX		VFIO_PCI_MSIX_IRQ_INDEX
#define ERR		VFIO_PCI_ERR_IRQ_INDEX

static const char *nvme, *edu0;

/*
 * VFIO_DEVICE_SET_IRQS with @len bytes of data (eventfds or bools) after
 * the header, argsz covering exactly them: 0 or -errno.
 */
static long set_irqs(int device, uint32_t flags, uint32_t index,
		     uint32_t start, uint32_t count, const void *data,
		     size_t len)
{
	char buf[sizeof(struct vfio_irq_set) + 64 * sizeof(int32_t)];
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;

	if (len > sizeof(buf) - sizeof(*set))
		return -E2BIG;
	memset(buf, 0, sizeof(buf));
	set->argsz = sizeof(*set) + len;
	set->flags = flags;
	set->index = index;
	set->start = start;
	set->count = count;
	if (len)
		memcpy(set->data, data, len);
	return vfio_ioctl(device, VFIO_DEVICE_SET_IRQS, set);
}

/* 1 when signalled since the last call (and consumes it), else 0. */
static int fired(int efd)
{
	return vfio_eventfd_wait(efd, 0);
}

/* Offset of a PCI capability in config space, 0 when absent. */
static unsigned int find_cap(struct vfio_dev *d, uint8_t id)
{
	uint8_t pos = 0, cap[2];
	int n;

	if (vfio_region_read(d->device, &d->config, PCI_CAPABILITY_LIST,
			     &pos, 1))
		return 0;
	for (n = 0; pos >= 0x40 && n < 48; n++) {
		if (vfio_region_read(d->device, &d->config, pos & ~3U, cap, 2))
			return 0;
		if (cap[0] == id)
			return pos & ~3U;
		pos = cap[1];
	}
	return 0;
}

/* VFIO_NVME opened, NVEC + 1 eventfds. */
FIXTURE(nvme)
{
	struct vfio_dev d;
	int32_t efd[NVEC + 1];
};

FIXTURE_SETUP(nvme)
{
	int i;

	for (i = 0; i <= NVEC; i++)
		self->efd[i] = -1;
	vfio_dev_init(&self->d, nvme);
	ASSERT_EQ(0, vfio_dev_open(&self->d, nvme, VFIO_TYPE1v2_IOMMU));
	for (i = 0; i <= NVEC; i++) {
		self->efd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		ASSERT_LE(0, self->efd[i]);
	}
}

FIXTURE_TEARDOWN(nvme)
{
	int i;

	vfio_dev_close(&self->d);
	for (i = 0; i <= NVEC; i++)
		if (self->efd[i] >= 0)
			close(self->efd[i]);
}

/*
 * GET_IRQ_INFO: the nvme is PCIe, so it has one ERR interrupt; its MSI-X
 * count is the table size of its MSI-X capability; both NORESIZE.
 */
TEST_F(nvme, irq_info)
{
	struct vfio_irq_info ii;
	unsigned int pos;
	uint16_t ctrl;

	ASSERT_EQ(0, vfio_irq_info(self->d.device, ERR, &ii));
	EXPECT_EQ(1U, ii.count);
	EXPECT_EQ((uint32_t)(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE),
		  ii.flags);

	pos = find_cap(&self->d, PCI_CAP_ID_MSIX);
	ASSERT_NE(0U, pos);
	ASSERT_EQ(0, vfio_region_read(self->d.device, &self->d.config,
				      pos + PCI_MSIX_FLAGS, &ctrl, 2));
	ASSERT_EQ(0, vfio_irq_info(self->d.device, MSIX, &ii));
	EXPECT_EQ((ctrl & PCI_MSIX_FLAGS_QSIZE) + 1U, ii.count);
	EXPECT_EQ((uint32_t)(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE),
		  ii.flags);
	ASSERT_LE(NVEC + 1U, ii.count);
}

/* A conventional PCI device (the edu) has no ERR interrupt to set. */
TEST(err_conventional)
{
	struct vfio_dev d;
	int32_t fd = -1;

	vfio_dev_init(&d, edu0);
	ASSERT_EQ(0, vfio_dev_open(&d, edu0, VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(-EINVAL, set_irqs(d.device, TRIG_NONE, ERR, 0, 0, NULL, 0));
	EXPECT_EQ(-EINVAL, set_irqs(d.device, TRIG_FD, ERR, 0, 1, &fd,
				    sizeof(fd)));
	vfio_dev_close(&d);
}

/*
 * The ERR eventfd: registered, signalled by DATA_NONE and DATA_BOOL
 * (loopback), replaced, and removed by fd -1 or by DATA_NONE count 0.
 */
TEST_F(nvme, err_trigger)
{
	int dev = self->d.device, *efd = self->efd;
	const uint8_t one = 1, zero = 0;
	int32_t fd;

	/* nothing registered: NONE refuses, BOOL signals nobody */
	EXPECT_EQ(-EINVAL, set_irqs(dev, TRIG_NONE, ERR, 0, 1, NULL, 0));
	EXPECT_EQ(-EINVAL, set_irqs(dev, TRIG_NONE, ERR, 0, 0, NULL, 0));
	EXPECT_EQ(0, set_irqs(dev, TRIG_BOOL, ERR, 0, 1, &one, 1));
	fd = -1;
	EXPECT_EQ(0, set_irqs(dev, TRIG_FD, ERR, 0, 1, &fd, sizeof(fd)));

	ASSERT_EQ(0, set_irqs(dev, TRIG_FD, ERR, 0, 1, &efd[0], 4));
	EXPECT_EQ(0, fired(efd[0]));
	EXPECT_EQ(0, set_irqs(dev, TRIG_NONE, ERR, 0, 1, NULL, 0));
	EXPECT_EQ(1, fired(efd[0]));
	EXPECT_EQ(0, set_irqs(dev, TRIG_BOOL, ERR, 0, 1, &one, 1));
	EXPECT_EQ(1, fired(efd[0]));
	EXPECT_EQ(0, set_irqs(dev, TRIG_BOOL, ERR, 0, 1, &zero, 1));
	EXPECT_EQ(0, fired(efd[0]));

	/* one vector, no masking, no empty BOOL/EVENTFD sets */
	EXPECT_EQ(-EINVAL, set_irqs(dev, TRIG_FD, ERR, 0, 2, efd, 8));
	EXPECT_EQ(-EINVAL, set_irqs(dev, TRIG_FD, ERR, 1, 1, efd, 4));
	EXPECT_EQ(-EINVAL, set_irqs(dev, TRIG_BOOL, ERR, 0, 0, NULL, 0));
	EXPECT_EQ(-EINVAL, set_irqs(dev, TRIG_FD, ERR, 0, 0, NULL, 0));
	EXPECT_EQ(-ENOTTY, set_irqs(dev, VFIO_IRQ_SET_DATA_NONE |
				    VFIO_IRQ_SET_ACTION_MASK, ERR, 0, 1,
				    NULL, 0));
	EXPECT_EQ(-ENOTTY, set_irqs(dev, VFIO_IRQ_SET_DATA_NONE |
				    VFIO_IRQ_SET_ACTION_UNMASK, ERR, 0, 1,
				    NULL, 0));
	/* not an eventfd, not an fd: the registration stays */
	fd = dev;
	EXPECT_EQ(-EINVAL, set_irqs(dev, TRIG_FD, ERR, 0, 1, &fd, 4));
	fd = INT32_MAX;
	EXPECT_EQ(-EBADF, set_irqs(dev, TRIG_FD, ERR, 0, 1, &fd, 4));
	/* 6.1 ignores an fd below -1 */
	fd = -2;
	EXPECT_EQ(0, set_irqs(dev, TRIG_FD, ERR, 0, 1, &fd, 4));
	EXPECT_EQ(0, set_irqs(dev, TRIG_NONE, ERR, 0, 1, NULL, 0));
	EXPECT_EQ(1, fired(efd[0]));

	/* replaced: only the new one is signalled */
	ASSERT_EQ(0, set_irqs(dev, TRIG_FD, ERR, 0, 1, &efd[1], 4));
	EXPECT_EQ(0, set_irqs(dev, TRIG_NONE, ERR, 0, 1, NULL, 0));
	EXPECT_EQ(0, fired(efd[0]));
	EXPECT_EQ(1, fired(efd[1]));

	/* fd -1 removes it */
	fd = -1;
	EXPECT_EQ(0, set_irqs(dev, TRIG_FD, ERR, 0, 1, &fd, 4));
	EXPECT_EQ(-EINVAL, set_irqs(dev, TRIG_NONE, ERR, 0, 1, NULL, 0));
	EXPECT_EQ(0, set_irqs(dev, TRIG_BOOL, ERR, 0, 1, &one, 1));
	EXPECT_EQ(0, fired(efd[1]));

	/* and so does DATA_NONE with count 0 */
	ASSERT_EQ(0, set_irqs(dev, TRIG_FD, ERR, 0, 1, &efd[2], 4));
	EXPECT_EQ(0, set_irqs(dev, TRIG_NONE, ERR, 0, 0, NULL, 0));
	EXPECT_EQ(-EINVAL, set_irqs(dev, TRIG_NONE, ERR, 0, 1, NULL, 0));
	EXPECT_EQ(0, fired(efd[2]));
}

/* Which of efd[0..n) fired, as a bit mask (each consumed). */
static unsigned int fired_mask(const int32_t *efd, int n)
{
	unsigned int mask = 0;
	int i;

	for (i = 0; i < n; i++)
		if (fired(efd[i]) == 1)
			mask |= 1U << i;
	return mask;
}

/*
 * MSI-X with per-vector eventfds: DATA_NONE and DATA_BOOL signal the
 * vectors named, fd -1 disables one vector, a new fd replaces one, and
 * DATA_NONE count 0 disables MSI-X.
 */
TEST_F(nvme, msix_data_types)
{
	int dev = self->d.device, *efd = self->efd;
	const uint8_t bools[NVEC] = { 1, 0, 1, 0 };
	int32_t fd = -1;

	ASSERT_EQ(0, set_irqs(dev, TRIG_FD, MSIX, 0, NVEC, efd, NVEC * 4));
	EXPECT_EQ(0U, fired_mask(efd, NVEC + 1));
	EXPECT_EQ(0, set_irqs(dev, TRIG_NONE, MSIX, 0, NVEC, NULL, 0));
	EXPECT_EQ(0xfU, fired_mask(efd, NVEC + 1));
	EXPECT_EQ(0, set_irqs(dev, TRIG_NONE, MSIX, 1, 2, NULL, 0));
	EXPECT_EQ(0x6U, fired_mask(efd, NVEC + 1));
	EXPECT_EQ(0, set_irqs(dev, TRIG_BOOL, MSIX, 0, NVEC, bools, NVEC));
	EXPECT_EQ(0x5U, fired_mask(efd, NVEC + 1));
	/* bools[0] is for vector start */
	EXPECT_EQ(0, set_irqs(dev, TRIG_BOOL, MSIX, 1, 3, bools, 3));
	EXPECT_EQ(0xaU, fired_mask(efd, NVEC + 1));

	/* vector 1 off: the others still signal */
	EXPECT_EQ(0, set_irqs(dev, TRIG_FD, MSIX, 1, 1, &fd, 4));
	EXPECT_EQ(0, set_irqs(dev, TRIG_NONE, MSIX, 0, NVEC, NULL, 0));
	EXPECT_EQ(0xdU, fired_mask(efd, NVEC + 1));
	/* vector 1 on again with another eventfd, vector 3 moved too */
	EXPECT_EQ(0, set_irqs(dev, TRIG_FD, MSIX, 1, 1, &efd[NVEC], 4));
	EXPECT_EQ(0, set_irqs(dev, TRIG_FD, MSIX, 3, 1, &efd[1], 4));
	EXPECT_EQ(0, set_irqs(dev, TRIG_NONE, MSIX, 0, NVEC, NULL, 0));
	EXPECT_EQ(0x17U, fired_mask(efd, NVEC + 1));

	/* MSI and INTx are refused while MSI-X is on */
	EXPECT_EQ(-EINVAL, set_irqs(dev, TRIG_FD, VFIO_PCI_INTX_IRQ_INDEX, 0,
				    1, &efd[0], 4));

	/* count 0 disables MSI-X: no more triggers, then enable again */
	EXPECT_EQ(0, set_irqs(dev, TRIG_NONE, MSIX, 0, 0, NULL, 0));
	EXPECT_EQ(-EINVAL, set_irqs(dev, TRIG_NONE, MSIX, 0, 1, NULL, 0));
	EXPECT_EQ(-EINVAL, set_irqs(dev, TRIG_BOOL, MSIX, 0, 1, bools, 1));
	EXPECT_EQ(0U, fired_mask(efd, NVEC + 1));
	ASSERT_EQ(0, set_irqs(dev, TRIG_FD, MSIX, 0, 1, &efd[2], 4));
	EXPECT_EQ(0, set_irqs(dev, TRIG_NONE, MSIX, 0, 1, NULL, 0));
	EXPECT_EQ(0x4U, fired_mask(efd, NVEC + 1));
	EXPECT_EQ(0, set_irqs(dev, TRIG_NONE, MSIX, 0, 0, NULL, 0));
}

/* 6.1 has no MSI-X masking through SET_IRQS: -ENOTTY, on or off. */
TEST_F(nvme, msix_mask_unmask)
{
	int dev = self->d.device, *efd = self->efd;
	const uint32_t mask = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_MASK;
	const uint32_t unmask = VFIO_IRQ_SET_DATA_NONE |
				VFIO_IRQ_SET_ACTION_UNMASK;
	const uint8_t one = 1;

	EXPECT_EQ(-ENOTTY, set_irqs(dev, mask, MSIX, 0, 1, NULL, 0));
	EXPECT_EQ(-ENOTTY, set_irqs(dev, unmask, MSIX, 0, 1, NULL, 0));
	ASSERT_EQ(0, set_irqs(dev, TRIG_FD, MSIX, 0, 1, &efd[0], 4));
	EXPECT_EQ(-ENOTTY, set_irqs(dev, mask, MSIX, 0, 1, NULL, 0));
	EXPECT_EQ(-ENOTTY, set_irqs(dev, VFIO_IRQ_SET_DATA_BOOL |
				    VFIO_IRQ_SET_ACTION_MASK, MSIX, 0, 1,
				    &one, 1));
	EXPECT_EQ(-ENOTTY, set_irqs(dev, unmask, MSIX, 0, 1, NULL, 0));
	/* the trigger was left alone */
	EXPECT_EQ(0, set_irqs(dev, TRIG_NONE, MSIX, 0, 1, NULL, 0));
	EXPECT_EQ(1, fired(efd[0]));
	EXPECT_EQ(0, set_irqs(dev, TRIG_NONE, MSIX, 0, 0, NULL, 0));
}

/*
 * 6.1 allocates MSI-X vectors once, when MSI-X is enabled, for start +
 * count of that first call: a later call past them is refused (-EINVAL)
 * and changes nothing; more vectors need a disable and a new enable.
 * Triggers with DATA_NONE/BOOL past the enabled vectors are not sent:
 * stock 6.1 reads past its vector array for them.
 */
TEST_F(nvme, msix_grow)
{
	int dev = self->d.device, *efd = self->efd;
	int32_t fd = -1;

	/* enabling at start 2 allocates vectors 0..3, 0 and 1 unset */
	ASSERT_EQ(0, set_irqs(dev, TRIG_FD, MSIX, 2, 2, &efd[2], 8));
	EXPECT_EQ(0, set_irqs(dev, TRIG_NONE, MSIX, 0, NVEC, NULL, 0));
	EXPECT_EQ(0xcU, fired_mask(efd, NVEC + 1));
	EXPECT_EQ(0, set_irqs(dev, TRIG_FD, MSIX, 0, 2, efd, 8));
	EXPECT_EQ(0, set_irqs(dev, TRIG_NONE, MSIX, 0, NVEC, NULL, 0));
	EXPECT_EQ(0xfU, fired_mask(efd, NVEC + 1));
	EXPECT_EQ(0, set_irqs(dev, TRIG_NONE, MSIX, 0, 0, NULL, 0));

	/* two vectors on; four, or the fifth, are refused */
	ASSERT_EQ(0, set_irqs(dev, TRIG_FD, MSIX, 0, 2, efd, 8));
	EXPECT_EQ(-EINVAL, set_irqs(dev, TRIG_FD, MSIX, 0, NVEC, efd,
				    NVEC * 4));
	EXPECT_EQ(-EINVAL, set_irqs(dev, TRIG_FD, MSIX, 2, 1, &efd[2], 4));
	EXPECT_EQ(-EINVAL, set_irqs(dev, TRIG_FD, MSIX, 1, 2, &efd[1], 8));
	EXPECT_EQ(-EINVAL, set_irqs(dev, TRIG_FD, MSIX, 2, 1, &fd, 4));
	/* and the two are as they were */
	EXPECT_EQ(0, set_irqs(dev, TRIG_NONE, MSIX, 0, 2, NULL, 0));
	EXPECT_EQ(0x3U, fired_mask(efd, NVEC + 1));

	/* off, and on again with four */
	EXPECT_EQ(0, set_irqs(dev, TRIG_NONE, MSIX, 0, 0, NULL, 0));
	ASSERT_EQ(0, set_irqs(dev, TRIG_FD, MSIX, 0, NVEC, efd, NVEC * 4));
	EXPECT_EQ(0, set_irqs(dev, TRIG_NONE, MSIX, 0, NVEC, NULL, 0));
	EXPECT_EQ(0xfU, fired_mask(efd, NVEC + 1));
	EXPECT_EQ(0, set_irqs(dev, TRIG_NONE, MSIX, 0, 0, NULL, 0));

	/* an enable with fd -1 turns MSI-X on with no trigger at all */
	ASSERT_EQ(0, set_irqs(dev, TRIG_FD, MSIX, 0, 1, &fd, 4));
	EXPECT_EQ(0, set_irqs(dev, TRIG_NONE, MSIX, 0, 1, NULL, 0));
	EXPECT_EQ(-EINVAL, set_irqs(dev, TRIG_FD, MSIX, 0, 2, efd, 8));
	EXPECT_EQ(0, set_irqs(dev, TRIG_FD, MSIX, 0, 1, &efd[0], 4));
	EXPECT_EQ(0, set_irqs(dev, TRIG_NONE, MSIX, 0, 1, NULL, 0));
	EXPECT_EQ(0x1U, fired_mask(efd, NVEC + 1));
	EXPECT_EQ(0, set_irqs(dev, TRIG_NONE, MSIX, 0, 0, NULL, 0));
}

/*
 * DATA_NONE/BOOL triggers of MSI-X vectors past the enabled ones: ours
 * refuses them (-EINVAL, as DATA_EVENTFD is for the same range) and
 * signals nothing.  Stock 6.1 indexes its vector array with them past
 * its end (README: "Where ours differ from stock 6.1"): not sent there.
 */
TEST_F(nvme, msix_loopback_past_enabled)
{
	int dev = self->d.device, *efd = self->efd;
	const uint8_t bools[NVEC] = { 1, 1, 1, 1 };

	if (vfio_stock_modules())
		SKIP(return, "stock 6.1 reads past its MSI-X vector array");
	ASSERT_EQ(0, set_irqs(dev, TRIG_FD, MSIX, 0, 2, efd, 8));
	EXPECT_EQ(-EINVAL, set_irqs(dev, TRIG_NONE, MSIX, 2, 1, NULL, 0));
	EXPECT_EQ(-EINVAL, set_irqs(dev, TRIG_NONE, MSIX, 1, 2, NULL, 0));
	EXPECT_EQ(-EINVAL, set_irqs(dev, TRIG_BOOL, MSIX, 0, 3, bools, 3));
	EXPECT_EQ(-EINVAL, set_irqs(dev, TRIG_BOOL, MSIX, 3, 1, bools, 1));
	EXPECT_EQ(0U, fired_mask(efd, NVEC + 1));
	EXPECT_EQ(0, set_irqs(dev, TRIG_NONE, MSIX, 0, 2, NULL, 0));
	EXPECT_EQ(0x3U, fired_mask(efd, NVEC + 1));
	EXPECT_EQ(0, set_irqs(dev, TRIG_NONE, MSIX, 0, 0, NULL, 0));
}

int main(int argc, char **argv)
{
	nvme = vfio_test_env("VFIO_NVME");
	edu0 = vfio_test_env("VFIO_EDU0");
	if (!nvme || !edu0 || access(VFIO_CONTAINER_PATH, F_OK)) {
		ksft_print_header();
		ksft_exit_skip("no VFIO test VM (VFIO_NVME, %s)\n",
			       VFIO_CONTAINER_PATH);
	}
	return test_harness_run(argc, argv);
}
