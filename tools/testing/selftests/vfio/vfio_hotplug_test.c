// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hot-unplug of a device in use: the VM harness removes VFIO_HOTPLUG_EDU
 * (behind its own PCIe root port) through QEMU's device_del while its
 * device file is open, BAR0 is mmapped, DMA is mapped and MSI is enabled.
 * vfio-pci must ask userspace to let go through the REQ eventfd, and once
 * the files are closed the device must go away completely: its sysfs node,
 * its /dev/vfio/<N> node, the locked-memory accounting and every module
 * reference.
 *
 * The device is gone for the rest of the VM's life, so this test runs once
 * per boot (run_tests.sh runs it last) and skips when the device is
 * already gone; no other test uses VFIO_HOTPLUG_EDU.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vfio_util.h"

/* pciehp waits 5 s after the attention button, TCG makes it longer. */
#define REQ_TIMEOUT_MS		60000
#define REMOVAL_TIMEOUT_MS	20000
/* Below run_tests.sh's 120 s for the whole binary. */
#define TEST_TIMEOUT_S		110
#define DMA_SIZE		0x10000UL
#define DMA_IOVA		0x100000UL
#define DMA_LEN			256

static const char * const vfio_modules[] = {
	"vfio", "vfio_iommu_type1", "vfio_pci", "vfio_pci_core",
};

static bool path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static long elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 +
	       (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* Waits up to timeout_ms for path to disappear: true once it is gone. */
static bool wait_gone(const char *path, long timeout_ms)
{
	struct timespec start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (path_exists(path)) {
		if (elapsed_ms(&start) > timeout_ms)
			return false;
		usleep(50 * 1000);
	}
	return true;
}

/* VmLck of this process in kB, or -errno. */
static long vm_locked_kb(void)
{
	char line[256];
	long kb = -ENOENT;
	FILE *f;

	f = fopen("/proc/self/status", "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmLck: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* /sys/module/<name>/refcnt, -ENOENT when the module is not loaded. */
static long module_refcnt(const char *name)
{
	char path[128];
	long cnt = -EIO;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/%s/refcnt", name);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	if (fscanf(f, "%ld", &cnt) != 1)
		cnt = -EIO;
	fclose(f);
	return cnt;
}

/*
 * Under QEMU 7.2's AMD-Vi, DMA of this edu (behind a root port) does not
 * go through the container's mapping: measured, it read zeroes from the
 * mapped buffer and its write never landed there, without any
 * IO_PAGE_FAULT (DPDK on virtio-net behind the other root port hangs
 * there too, see /work/shared/notes/vm.md).  A QEMU problem, not VFIO's:
 * under the AMD IOMMU the test maps the buffer but keeps the device off
 * it; under VT-d the transfer is checked.
 */
static bool dma_translated(void)
{
	const char *iommu = vfio_test_env("VFIO_IOMMU");

	return !iommu || strcmp(iommu, "amd");
}

/*
 * The device in use, the state measured before, and what the test opens:
 * the fixture's, so that the teardown releases whatever is still open
 * after a failed assertion.  (A fixture also for its time limit: the
 * default 30 s could cut the waits short.)
 */
FIXTURE(hotplug) {
	char bdf[32], port_bdf[32], sysfs[96], node[64];
	long refcnt[ARRAY_SIZE(vfio_modules)];
	struct vfio_dev d;
	uint8_t *buf;
	int msi, req;
};

FIXTURE_SETUP(hotplug)
{
	vfio_dev_init(&self->d, NULL);
	self->msi = -1;
	self->req = -1;
}

/* The files that keep the device in use. */
static void hotplug_close(FIXTURE_DATA(hotplug) * self)
{
	vfio_dev_close(&self->d);
	if (self->msi >= 0)
		close(self->msi);
	if (self->req >= 0)
		close(self->req);
	self->msi = -1;
	self->req = -1;
}

FIXTURE_TEARDOWN(hotplug)
{
	hotplug_close(self);
	vfio_free(self->buf, DMA_SIZE);
}

/*
 * Copies the environment into the fixture: false, with the reason in why,
 * when the test cannot run here.
 */
static bool hotplug_env(FIXTURE_DATA(hotplug) * self, char *why, size_t len)
{
	const char *env;

	/* The env file's values share one buffer: copy each at once. */
	env = vfio_test_env("VFIO_HOTPLUG_PORT");
	snprintf(self->port_bdf, sizeof(self->port_bdf), "%s", env ? env : "");
	if (!vfio_test_env("VFIO_VM_REQUESTS")) {
		snprintf(why, len,
			 "VFIO_VM_REQUESTS not set (not in the test VM)");
		return false;
	}
	env = vfio_test_env("VFIO_HOTPLUG_EDU");
	if (!env) {
		snprintf(why, len,
			 "VFIO_HOTPLUG_EDU not set (not in the test VM)");
		return false;
	}
	snprintf(self->bdf, sizeof(self->bdf), "%s", env);
	snprintf(self->sysfs, sizeof(self->sysfs), "/sys/bus/pci/devices/%s",
		 self->bdf);
	if (!path_exists(self->sysfs)) {
		snprintf(why, len, "%s already unplugged in this VM boot",
			 self->bdf);
		return false;
	}
	/*
	 * 6.1's pciehp takes pci_rescan_remove_lock and ctrl->reset_lock in
	 * both orders on every removal, whatever the driver: lockdep reports
	 * it (Documentation/vfio.rst), so not on the lockdep kernel.
	 */
	if (path_exists("/proc/lockdep")) {
		snprintf(why, len,
			 "6.1 pciehp's own lockdep report on removal");
		return false;
	}
	return true;
}

/* In use: device file, BAR0 mmap, a DMA mapping that works, MSI, REQ. */
static void hotplug_use(struct __test_metadata *_metadata,
			FIXTURE_DATA(hotplug) * self)
{
	struct vfio_dev *d = &self->d;

	ASSERT_EQ(0, vfio_dev_open(d, self->bdf, VFIO_TYPE1v2_IOMMU));
	ASSERT_EQ(0, edu_map_bar0(d));
	ASSERT_EQ(0, edu_enable(d));
	ASSERT_EQ(EDU_ID_VALUE, edu_read32(d, EDU_REG_ID));
	EXPECT_LT(0, module_refcnt("vfio_pci"));
	EXPECT_LT(0, module_refcnt("vfio_iommu_type1"));

	self->buf = vfio_alloc(DMA_SIZE);
	ASSERT_NE(NULL, self->buf);
	ASSERT_EQ(0, vfio_map_dma(d->container, self->buf, DMA_IOVA, DMA_SIZE,
				  VFIO_DMA_MAP_FLAG_READ |
				  VFIO_DMA_MAP_FLAG_WRITE));
	EXPECT_EQ((long)(DMA_SIZE >> 10), vm_locked_kb());
	if (dma_translated()) {
		memset(self->buf, 0x5a, DMA_LEN);
		ASSERT_EQ(0, edu_dma(d, DMA_IOVA, 0, DMA_LEN, false));
		ASSERT_EQ(0, edu_dma(d, DMA_IOVA + 4096, 0, DMA_LEN, true));
		EXPECT_EQ(0, memcmp(self->buf, self->buf + 4096, DMA_LEN));
	}

	self->msi = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, self->msi);
	ASSERT_EQ(0, vfio_irq_set_eventfd(d->device, VFIO_PCI_MSI_IRQ_INDEX,
					  self->msi));
	edu_write32(d, EDU_REG_IRQ_RAISE, 1);
	EXPECT_EQ(1, vfio_eventfd_wait(self->msi, 5000));
	edu_write32(d, EDU_REG_IRQ_ACK, 1);

	self->req = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, self->req);
	ASSERT_EQ(0, vfio_irq_set_eventfd(d->device, VFIO_PCI_REQ_IRQ_INDEX,
					  self->req));
}

/* Once every file is closed, nothing of the device is left. */
static void hotplug_check_gone(struct __test_metadata *_metadata,
			       FIXTURE_DATA(hotplug) * self)
{
	char drv[64];
	unsigned int i;

	/* Now it goes away, taking the group with it. */
	EXPECT_TRUE(wait_gone(self->sysfs, REMOVAL_TIMEOUT_MS))
		TH_LOG("%s still there %d ms after the files were closed",
		       self->sysfs, REMOVAL_TIMEOUT_MS);
	EXPECT_TRUE(wait_gone(self->node, REMOVAL_TIMEOUT_MS))
		TH_LOG("%s still there", self->node);

	/* Nothing left behind: locked memory, module references. */
	EXPECT_EQ(0, vm_locked_kb());
	for (i = 0; i < ARRAY_SIZE(vfio_modules); i++) {
		const char *name = vfio_modules[i];

		EXPECT_EQ(self->refcnt[i], module_refcnt(name))
			TH_LOG("refcnt of %s", name);
	}
	EXPECT_EQ(0, module_refcnt("vfio_pci"));
	EXPECT_EQ(0, module_refcnt("vfio_iommu_type1"));
	vfio_free(self->buf, DMA_SIZE);
	self->buf = NULL;

	/* The slot's port stays, and so does the rest of the VM. */
	if (self->port_bdf[0]) {
		EXPECT_EQ(0, pci_driver_name(self->port_bdf, drv, sizeof(drv)));
		EXPECT_STREQ("pcieport", drv);
	}
}

TEST_F_TIMEOUT(hotplug, device_del_in_use, TEST_TIMEOUT_S)
{
	char why[128], drv[64];
	unsigned int i;
	int group_id;

	if (!hotplug_env(self, why, sizeof(why)))
		SKIP(return, "%s", why);
	ASSERT_EQ(0, pci_driver_name(self->bdf, drv, sizeof(drv)));
	ASSERT_STREQ("vfio-pci", drv);
	group_id = vfio_group_id(self->bdf);
	ASSERT_LE(0, group_id);
	snprintf(self->node, sizeof(self->node), "/dev/vfio/%d", group_id);
	ASSERT_TRUE(path_exists(self->node));

	ASSERT_EQ(0, vm_locked_kb());
	for (i = 0; i < ARRAY_SIZE(vfio_modules); i++)
		self->refcnt[i] = module_refcnt(vfio_modules[i]);
	ASSERT_EQ(0, module_refcnt("vfio_pci"));
	ASSERT_EQ(0, module_refcnt("vfio_iommu_type1"));

	hotplug_use(_metadata, self);

	/* The unplug: the kernel asks us to let go and waits for us. */
	ASSERT_EQ(0, vm_device_del(VM_HOTPLUG_EDU_ID));
	ASSERT_EQ(1, vfio_eventfd_wait(self->req, REQ_TIMEOUT_MS))
		TH_LOG("no REQ eventfd within %d ms of device_del",
		       REQ_TIMEOUT_MS);
	EXPECT_TRUE(path_exists(self->sysfs));
	EXPECT_EQ(EDU_ID_VALUE, edu_read32(&self->d, EDU_REG_ID));

	hotplug_close(self);
	hotplug_check_gone(_metadata, self);
}

TEST_HARNESS_MAIN
