// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vfio-pci device fd of an edu: VFIO_GROUP_GET_DEVICE_FD and its
 * errors, the container kept busy by a device fd, closing and reopening,
 * VFIO_DEVICE_GET_INFO / GET_REGION_INFO / GET_IRQ_INFO, config space and
 * BAR0 through read/write and mmap, and INTx and MSI interrupts signalled
 * through eventfds when the edu raises them.
 *
 * Error codes are those of Debian's stock 6.1 modules.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <linux/pci_regs.h>

#include "vfio_util.h"
#include "kselftest_harness.h"

#define IRQ_TIMEOUT_MS	2000

static const char *edu0, *bridge_edu, *bridge_e1000;

static long feature(int device, uint32_t argsz, uint32_t flags)
{
	struct vfio_device_feature f = { .argsz = argsz, .flags = flags };

	return vfio_ioctl(device, VFIO_DEVICE_FEATURE, &f);
}

/* A container and EDU0's group, nothing set. */
FIXTURE(nodev)
{
	int container;
	int group;
};

FIXTURE_SETUP(nodev)
{
	self->container = -1;
	self->group = -1;
	self->container = vfio_open_container();
	ASSERT_LE(0, self->container);
	self->group = vfio_open_group(edu0);
	ASSERT_LE(0, self->group);
}

FIXTURE_TEARDOWN(nodev)
{
	if (self->group >= 0)
		close(self->group);
	if (self->container >= 0)
		close(self->container);
}

TEST_F(nodev, get_device_fd_without_container)
{
	EXPECT_EQ(-EINVAL, vfio_get_device_fd(self->group, edu0));
}

TEST_F(nodev, get_device_fd_before_set_iommu)
{
	ASSERT_EQ(0, vfio_group_set_container(self->group, self->container));
	EXPECT_EQ(-EINVAL, vfio_get_device_fd(self->group, edu0));
	/* still fine once the IOMMU is set */
	ASSERT_EQ(0, vfio_set_iommu(self->container, VFIO_TYPE1v2_IOMMU));
	ASSERT_LE(0, vfio_get_device_fd(self->group, edu0));
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
}

FIXTURE_TEARDOWN(dev)
{
	if (self->efd >= 0)
		close(self->efd);
	vfio_dev_close(&self->d);
}

TEST_F(dev, get_device_fd_bad_names)
{
	char name[128];

	EXPECT_EQ(-ENODEV, vfio_get_device_fd(self->d.group, "0000:ff:1f.7"));
	EXPECT_EQ(-ENODEV, vfio_get_device_fd(self->d.group, ""));
	/* vfio-pci matches the name as a prefix followed by options */
	snprintf(name, sizeof(name), "%sx", edu0);
	EXPECT_EQ(-ENODEV, vfio_get_device_fd(self->d.group, name));
	snprintf(name, sizeof(name), "%s bogus=1", edu0);
	EXPECT_EQ(-EINVAL, vfio_get_device_fd(self->d.group, name));
	/* DPDK asks this first; the edu is neither a PF nor a VF */
	snprintf(name, sizeof(name),
		 "%s vf_token=2ab74924-c335-45f4-9b16-8569e5b08258", edu0);
	EXPECT_EQ(-EINVAL, vfio_get_device_fd(self->d.group, name));
}

/* Stock vfio lets a device be opened more than once. */
TEST_F(dev, second_device_fd)
{
	int fd = vfio_get_device_fd(self->d.group, edu0);
	struct vfio_device_info info = { .argsz = sizeof(info) };

	ASSERT_LE(0, fd);
	EXPECT_NE(self->d.device, fd);
	EXPECT_EQ(0, vfio_ioctl(fd, VFIO_DEVICE_GET_INFO, &info));
	close(fd);
	EXPECT_EQ(EDU_ID_VALUE, edu_read32(&self->d, EDU_REG_ID));
}

TEST_F(dev, device_fd_keeps_container_busy)
{
	uint32_t flags;

	EXPECT_EQ(-EBUSY, vfio_group_unset_container(self->d.group));
	ASSERT_EQ(0, vfio_group_status(self->d.group, &flags));
	EXPECT_EQ(GROUP_VIABLE | GROUP_CONTAINER_SET, flags);

	munmap(self->d.bar0_map, self->d.bar0.size);
	self->d.bar0_map = NULL;
	ASSERT_EQ(0, close(self->d.device));
	self->d.device = -1;
	EXPECT_EQ(0, vfio_group_unset_container(self->d.group));
}

TEST_F(dev, close_and_reopen)
{
	uint32_t val;
	int fd;

	munmap(self->d.bar0_map, self->d.bar0.size);
	self->d.bar0_map = NULL;
	ASSERT_EQ(0, close(self->d.device));
	self->d.device = -1;

	fd = vfio_get_device_fd(self->d.group, edu0);
	ASSERT_LE(0, fd);
	self->d.device = fd;
	ASSERT_EQ(0, edu_enable(&self->d));
	ASSERT_EQ(0, vfio_region_read(fd, &self->d.bar0, EDU_REG_ID, &val,
				      sizeof(val)));
	EXPECT_EQ(EDU_ID_VALUE, val);
	ASSERT_EQ(0, edu_map_bar0(&self->d));
	EXPECT_EQ(EDU_ID_VALUE, edu_read32(&self->d, EDU_REG_ID));
}

TEST_F(dev, device_info)
{
	struct vfio_device_info info;

	memset(&info, 0, sizeof(info));
	info.argsz = sizeof(info);
	ASSERT_EQ(0, vfio_ioctl(self->d.device, VFIO_DEVICE_GET_INFO, &info));
	EXPECT_TRUE(info.flags & VFIO_DEVICE_FLAGS_PCI);
	EXPECT_FALSE(info.flags & VFIO_DEVICE_FLAGS_PLATFORM);
	/* QEMU wants at least 8 regions and 3 IRQ indexes */
	EXPECT_LE((uint32_t)VFIO_PCI_NUM_REGIONS, info.num_regions);
	EXPECT_LE((uint32_t)VFIO_PCI_NUM_IRQS, info.num_irqs);

	/* the minimum argsz ends at num_irqs */
	memset(&info, 0, sizeof(info));
	info.argsz = offsetof(struct vfio_device_info, num_irqs) +
		     sizeof(info.num_irqs);
	EXPECT_EQ(0, vfio_ioctl(self->d.device, VFIO_DEVICE_GET_INFO, &info));
	EXPECT_TRUE(info.flags & VFIO_DEVICE_FLAGS_PCI);

	info.argsz = offsetof(struct vfio_device_info, num_irqs);
	EXPECT_EQ(-EINVAL, vfio_ioctl(self->d.device, VFIO_DEVICE_GET_INFO,
				      &info));
	info.argsz = 0;
	EXPECT_EQ(-EINVAL, vfio_ioctl(self->d.device, VFIO_DEVICE_GET_INFO,
				      &info));
}

/* VFIO_DEVICE_RESET works exactly when GET_INFO says so (edu: no). */
TEST_F(dev, reset_matches_flags)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };

	ASSERT_EQ(0, vfio_ioctl(self->d.device, VFIO_DEVICE_GET_INFO, &info));
	if (info.flags & VFIO_DEVICE_FLAGS_RESET) {
		EXPECT_EQ(0, vfio_ioctl(self->d.device, VFIO_DEVICE_RESET,
					NULL));
	} else {
		EXPECT_EQ(-EINVAL, vfio_ioctl(self->d.device,
					      VFIO_DEVICE_RESET, NULL));
	}
	EXPECT_EQ(EDU_ID_VALUE, edu_read32(&self->d, EDU_REG_ID));
}

TEST_F(dev, region_info)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_region_info ri;
	uint32_t i;

	ASSERT_EQ(0, vfio_ioctl(self->d.device, VFIO_DEVICE_GET_INFO, &info));

	ASSERT_EQ(0, vfio_region_info(self->d.device,
				      VFIO_PCI_BAR0_REGION_INDEX, &ri));
	EXPECT_EQ((uint32_t)VFIO_PCI_BAR0_REGION_INDEX, ri.index);
	EXPECT_EQ((uint64_t)EDU_BAR0_SIZE, ri.size);
	EXPECT_EQ((uint32_t)(VFIO_REGION_INFO_FLAG_READ |
			     VFIO_REGION_INFO_FLAG_WRITE |
			     VFIO_REGION_INFO_FLAG_MMAP),
		  ri.flags & ~(uint32_t)VFIO_REGION_INFO_FLAG_CAPS);

	ASSERT_EQ(0, vfio_region_info(self->d.device,
				      VFIO_PCI_CONFIG_REGION_INDEX, &ri));
	EXPECT_EQ((uint64_t)pci_config_size(edu0), ri.size);
	EXPECT_LE(256U, ri.size);
	EXPECT_EQ((uint32_t)(VFIO_REGION_INFO_FLAG_READ |
			     VFIO_REGION_INFO_FLAG_WRITE), ri.flags);

	/* BARs and ROM as sysfs has them, the edu's unused ones empty */
	for (i = VFIO_PCI_BAR0_REGION_INDEX; i <= VFIO_PCI_ROM_REGION_INDEX;
	     i++) {
		long long sz = pci_bar_size(edu0, i);

		ASSERT_LE(0, sz);
		ASSERT_EQ(0, vfio_region_info(self->d.device, i, &ri));
		EXPECT_EQ((uint64_t)sz, ri.size);
		if (!sz)
			EXPECT_EQ(0U, ri.flags);
	}
	/* every region has its own offset */
	for (i = 0; i < VFIO_PCI_NUM_REGIONS; i++) {
		struct vfio_region_info other;
		uint32_t j;

		if (vfio_region_info(self->d.device, i, &ri))
			continue;
		for (j = i + 1; j < VFIO_PCI_NUM_REGIONS; j++) {
			if (vfio_region_info(self->d.device, j, &other))
				continue;
			EXPECT_NE(ri.offset, other.offset);
		}
	}

	/* the edu has no VGA region */
	EXPECT_EQ(-EINVAL, vfio_region_info(self->d.device,
					    VFIO_PCI_VGA_REGION_INDEX, &ri));
	EXPECT_EQ(-EINVAL, vfio_region_info(self->d.device, info.num_regions,
					    &ri));
	EXPECT_EQ(-EINVAL, vfio_region_info(self->d.device, 0xffffffff, &ri));
}

TEST_F(dev, region_info_short_argsz)
{
	struct vfio_region_info ri;

	memset(&ri, 0, sizeof(ri));
	ri.index = VFIO_PCI_BAR0_REGION_INDEX;
	ri.argsz = offsetof(struct vfio_region_info, offset) +
		   sizeof(ri.offset);
	EXPECT_EQ(0, vfio_ioctl(self->d.device, VFIO_DEVICE_GET_REGION_INFO,
				&ri));
	EXPECT_EQ((uint64_t)EDU_BAR0_SIZE, ri.size);

	ri.argsz = offsetof(struct vfio_region_info, offset);
	EXPECT_EQ(-EINVAL, vfio_ioctl(self->d.device,
				      VFIO_DEVICE_GET_REGION_INFO, &ri));
	ri.argsz = 0;
	EXPECT_EQ(-EINVAL, vfio_ioctl(self->d.device,
				      VFIO_DEVICE_GET_REGION_INFO, &ri));
}

TEST_F(dev, config_space)
{
	uint16_t vendor, device, cmd;
	uint8_t hdr;

	ASSERT_EQ(0, vfio_region_read(self->d.device, &self->d.config,
				      PCI_VENDOR_ID, &vendor, 2));
	ASSERT_EQ(0, vfio_region_read(self->d.device, &self->d.config,
				      PCI_DEVICE_ID, &device, 2));
	EXPECT_EQ(EDU_VENDOR_ID, vendor);
	EXPECT_EQ(EDU_DEVICE_ID, device);
	ASSERT_EQ(0, vfio_region_read(self->d.device, &self->d.config,
				      PCI_HEADER_TYPE, &hdr, 1));
	EXPECT_EQ(PCI_HEADER_TYPE_NORMAL, hdr & 0x7f);
	/* edu_enable() wrote the command register: it stuck */
	ASSERT_EQ(0, vfio_region_read(self->d.device, &self->d.config,
				      PCI_COMMAND, &cmd, 2));
	EXPECT_EQ(PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER,
		  cmd & (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER));
	/* a 4-byte read covers both ids */
	{
		uint32_t ids;

		ASSERT_EQ(0, vfio_region_read(self->d.device, &self->d.config,
					      0, &ids, 4));
		EXPECT_EQ((uint32_t)EDU_DEVICE_ID << 16 | EDU_VENDOR_ID, ids);
	}
}

/* Reads outside config space fail. */
TEST_F(dev, config_space_bounds)
{
	uint32_t val;

	EXPECT_EQ(-EFAULT, vfio_region_read(self->d.device, &self->d.config,
					    self->d.config.size, &val, 1));
	EXPECT_EQ(-EFAULT, vfio_region_read(self->d.device, &self->d.config,
					    self->d.config.size - 2, &val, 4));
	EXPECT_EQ(0, vfio_region_read(self->d.device, &self->d.config,
				      self->d.config.size - 4, &val, 4));
}

/* BAR sizing through the (virtualized) config space, as QEMU does it. */
TEST_F(dev, config_bar_sizing)
{
	uint32_t orig, val, ones = 0xffffffff;

	ASSERT_EQ(0, vfio_region_read(self->d.device, &self->d.config,
				      PCI_BASE_ADDRESS_0, &orig, 4));
	/* 32-bit memory BAR */
	EXPECT_EQ(0U, orig & (PCI_BASE_ADDRESS_SPACE |
			      PCI_BASE_ADDRESS_MEM_TYPE_MASK));
	ASSERT_EQ(0, vfio_region_write(self->d.device, &self->d.config,
				       PCI_BASE_ADDRESS_0, &ones, 4));
	ASSERT_EQ(0, vfio_region_read(self->d.device, &self->d.config,
				      PCI_BASE_ADDRESS_0, &val, 4));
	EXPECT_EQ((uint32_t)~(EDU_BAR0_SIZE - 1), val & ~0xfU);
	EXPECT_EQ(orig & 0xfU, val & 0xfU);
	ASSERT_EQ(0, vfio_region_write(self->d.device, &self->d.config,
				       PCI_BASE_ADDRESS_0, &orig, 4));
	ASSERT_EQ(0, vfio_region_read(self->d.device, &self->d.config,
				      PCI_BASE_ADDRESS_0, &val, 4));
	EXPECT_EQ(orig, val);
	/* the device still answers where it was */
	EXPECT_EQ(EDU_ID_VALUE, edu_read32(&self->d, EDU_REG_ID));
}

TEST_F(dev, unknown_ioctl)
{
	EXPECT_EQ(-ENOTTY, vfio_ioctl(self->d.device,
				      _IO(VFIO_TYPE, VFIO_BASE + 99), NULL));
	EXPECT_EQ(-ENOTTY, vfio_ioctl(self->d.device, VFIO_GET_API_VERSION,
				      NULL));
}

TEST_F(dev, device_feature)
{
	const uint32_t probe_get = VFIO_DEVICE_FEATURE_PROBE |
				   VFIO_DEVICE_FEATURE_GET;
	const uint32_t probe_set = VFIO_DEVICE_FEATURE_PROBE |
				   VFIO_DEVICE_FEATURE_SET;
	int fd = self->d.device;

	EXPECT_EQ(-EINVAL, feature(fd, offsetof(struct vfio_device_feature,
						flags),
				   probe_get | VFIO_DEVICE_FEATURE_MIGRATION));
	EXPECT_EQ(-EINVAL, feature(fd, sizeof(struct vfio_device_feature),
				   probe_get | (1U << 20)));
	/* GET and SET together only with PROBE */
	EXPECT_EQ(-EINVAL, feature(fd, sizeof(struct vfio_device_feature),
				   VFIO_DEVICE_FEATURE_GET |
				   VFIO_DEVICE_FEATURE_SET |
				   VFIO_DEVICE_FEATURE_MIGRATION));
	/* no migration (QEMU probes it), not a PF: no VF token */
	EXPECT_EQ(-ENOTTY, feature(fd, sizeof(struct vfio_device_feature),
				   probe_get | VFIO_DEVICE_FEATURE_MIGRATION));
	EXPECT_EQ(-ENOTTY, feature(fd, sizeof(struct vfio_device_feature),
				   probe_set |
				   VFIO_DEVICE_FEATURE_PCI_VF_TOKEN));
	EXPECT_EQ(-ENOTTY, feature(fd, sizeof(struct vfio_device_feature),
				   probe_get | VFIO_DEVICE_FEATURE_MASK));
}

/* No bus or slot reset for a device on the root bus. */
TEST_F(dev, hot_reset_info_root_bus)
{
	struct vfio_pci_hot_reset_info info = { .argsz = sizeof(info) };

	EXPECT_EQ(-ENODEV, vfio_ioctl(self->d.device,
				      VFIO_DEVICE_GET_PCI_HOT_RESET_INFO,
				      &info));
	info.argsz = offsetof(struct vfio_pci_hot_reset_info, count);
	EXPECT_EQ(-EINVAL, vfio_ioctl(self->d.device,
				      VFIO_DEVICE_GET_PCI_HOT_RESET_INFO,
				      &info));
}

TEST_F(dev, bar0_mmap)
{
	uint32_t x = 0x12345678;

	EXPECT_EQ(EDU_ID_VALUE, edu_read32(&self->d, EDU_REG_ID));
	edu_write32(&self->d, EDU_REG_LIVENESS, x);
	EXPECT_EQ(~x, edu_read32(&self->d, EDU_REG_LIVENESS));
	edu_write32(&self->d, EDU_REG_LIVENESS, ~x);
	EXPECT_EQ(x, edu_read32(&self->d, EDU_REG_LIVENESS));
}

TEST_F(dev, bar0_read_write)
{
	uint32_t val, x = 0xa5a55a5a;

	ASSERT_EQ(0, vfio_region_read(self->d.device, &self->d.bar0,
				      EDU_REG_ID, &val, sizeof(val)));
	EXPECT_EQ(EDU_ID_VALUE, val);
	ASSERT_EQ(0, vfio_region_write(self->d.device, &self->d.bar0,
				       EDU_REG_LIVENESS, &x, sizeof(x)));
	ASSERT_EQ(0, vfio_region_read(self->d.device, &self->d.bar0,
				      EDU_REG_LIVENESS, &val, sizeof(val)));
	EXPECT_EQ(~x, val);
	/* both paths reach the same register */
	EXPECT_EQ(~x, edu_read32(&self->d, EDU_REG_LIVENESS));
	/* nothing beyond the end of the BAR */
	EXPECT_EQ(-EINVAL, vfio_region_read(self->d.device, &self->d.bar0,
					    self->d.bar0.size, &val,
					    sizeof(val)));
}

TEST_F(dev, mmap_errors)
{
	struct vfio_region_info ri;
	void *p;

	/* private mappings are refused */
	p = mmap(NULL, self->d.bar0.size, PROT_READ | PROT_WRITE, MAP_PRIVATE,
		 self->d.device, (off_t)self->d.bar0.offset);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	/* beyond the end of the BAR */
	p = mmap(NULL, 2 * self->d.bar0.size, PROT_READ | PROT_WRITE,
		 MAP_SHARED, self->d.device, (off_t)self->d.bar0.offset);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	/* config space is not mmappable */
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->d.device,
		 (off_t)self->d.config.offset);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	/* nor is an empty BAR */
	ASSERT_EQ(0, vfio_region_info(self->d.device,
				      VFIO_PCI_BAR1_REGION_INDEX, &ri));
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->d.device,
		 (off_t)ri.offset);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	/* part of BAR0, at an offset, is fine */
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->d.device,
		 (off_t)self->d.bar0.offset + 4096);
	ASSERT_NE(MAP_FAILED, p);
	munmap(p, 4096);
}

TEST_F(dev, irq_info)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_irq_info ii;

	ASSERT_EQ(0, vfio_ioctl(self->d.device, VFIO_DEVICE_GET_INFO, &info));

	ASSERT_EQ(0, vfio_irq_info(self->d.device, VFIO_PCI_INTX_IRQ_INDEX,
				   &ii));
	EXPECT_EQ(1U, ii.count);
	EXPECT_EQ((uint32_t)(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE |
			     VFIO_IRQ_INFO_AUTOMASKED), ii.flags);

	ASSERT_EQ(0, vfio_irq_info(self->d.device, VFIO_PCI_MSI_IRQ_INDEX,
				   &ii));
	EXPECT_EQ(1U, ii.count);
	EXPECT_EQ((uint32_t)(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE),
		  ii.flags);

	/* no MSI-X capability on the edu */
	ASSERT_EQ(0, vfio_irq_info(self->d.device, VFIO_PCI_MSIX_IRQ_INDEX,
				   &ii));
	EXPECT_EQ(0U, ii.count);

	/* the edu is a conventional PCI device: no error IRQ */
	EXPECT_EQ(-EINVAL, vfio_irq_info(self->d.device,
					 VFIO_PCI_ERR_IRQ_INDEX, &ii));

	ASSERT_EQ(0, vfio_irq_info(self->d.device, VFIO_PCI_REQ_IRQ_INDEX,
				   &ii));
	EXPECT_EQ(1U, ii.count);

	EXPECT_EQ(-EINVAL, vfio_irq_info(self->d.device, info.num_irqs, &ii));

	memset(&ii, 0, sizeof(ii));
	ii.argsz = offsetof(struct vfio_irq_info, count);
	ii.index = VFIO_PCI_INTX_IRQ_INDEX;
	EXPECT_EQ(-EINVAL, vfio_ioctl(self->d.device,
				      VFIO_DEVICE_GET_IRQ_INFO, &ii));
}

/* INTx: fires, stays masked until unmasked, fires again. */
TEST_F(dev, intx)
{
	self->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, self->efd);
	ASSERT_EQ(0, vfio_irq_set_eventfd(self->d.device,
					  VFIO_PCI_INTX_IRQ_INDEX, self->efd));

	edu_write32(&self->d, EDU_REG_IRQ_RAISE, 0x1);
	EXPECT_EQ(1, vfio_eventfd_wait(self->efd, IRQ_TIMEOUT_MS));
	EXPECT_EQ(0x1U, edu_read32(&self->d, EDU_REG_IRQ_STATUS));
	edu_write32(&self->d, EDU_REG_IRQ_ACK, 0x1);
	EXPECT_EQ(0U, edu_read32(&self->d, EDU_REG_IRQ_STATUS));

	/* automasked: nothing until unmasked */
	edu_write32(&self->d, EDU_REG_IRQ_RAISE, 0x2);
	EXPECT_EQ(0, vfio_eventfd_wait(self->efd, 200));
	ASSERT_EQ(0, vfio_irq_unmask(self->d.device,
				     VFIO_PCI_INTX_IRQ_INDEX));
	/* the line is still asserted: unmasking delivers it */
	EXPECT_EQ(1, vfio_eventfd_wait(self->efd, IRQ_TIMEOUT_MS));
	edu_write32(&self->d, EDU_REG_IRQ_ACK, 0x2);
	ASSERT_EQ(0, vfio_irq_unmask(self->d.device,
				     VFIO_PCI_INTX_IRQ_INDEX));

	edu_write32(&self->d, EDU_REG_IRQ_RAISE, 0x4);
	EXPECT_EQ(1, vfio_eventfd_wait(self->efd, IRQ_TIMEOUT_MS));
	edu_write32(&self->d, EDU_REG_IRQ_ACK, 0x4);

	EXPECT_EQ(0, vfio_irq_set_eventfd(self->d.device,
					  VFIO_PCI_INTX_IRQ_INDEX, -1));
}

/* VFIO_IRQ_SET_ACTION_MASK / UNMASK on INTx. */
TEST_F(dev, intx_mask)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set),
		.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_MASK,
		.index = VFIO_PCI_INTX_IRQ_INDEX,
		.start = 0,
		.count = 1,
	};

	self->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, self->efd);
	ASSERT_EQ(0, vfio_irq_set_eventfd(self->d.device,
					  VFIO_PCI_INTX_IRQ_INDEX, self->efd));
	ASSERT_EQ(0, vfio_ioctl(self->d.device, VFIO_DEVICE_SET_IRQS, &set));
	edu_write32(&self->d, EDU_REG_IRQ_RAISE, 0x1);
	EXPECT_EQ(0, vfio_eventfd_wait(self->efd, 200));
	/* pending while masked: delivered on unmask */
	ASSERT_EQ(0, vfio_irq_unmask(self->d.device,
				     VFIO_PCI_INTX_IRQ_INDEX));
	EXPECT_EQ(1, vfio_eventfd_wait(self->efd, IRQ_TIMEOUT_MS));
	edu_write32(&self->d, EDU_REG_IRQ_ACK, 0x1);
	EXPECT_EQ(0, vfio_irq_set_eventfd(self->d.device,
					  VFIO_PCI_INTX_IRQ_INDEX, -1));
}

TEST_F(dev, set_irqs_errors)
{
	char buf[sizeof(struct vfio_irq_set) + 2 * sizeof(int32_t)];
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;
	int32_t fds[2];

	self->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, self->efd);
	fds[0] = self->efd;
	fds[1] = self->efd;

#define SET(_argsz, _flags, _index, _start, _count) do { \
	memset(buf, 0, sizeof(buf)); \
	set->argsz = (_argsz); \
	set->flags = (_flags); \
	set->index = (_index); \
	set->start = (_start); \
	set->count = (_count); \
	memcpy(set->data, fds, sizeof(fds)); \
} while (0)
#define TRIGGER_FD (VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER)

	/* short argsz, for the header and for the data */
	SET(offsetof(struct vfio_irq_set, count), TRIGGER_FD,
	    VFIO_PCI_MSI_IRQ_INDEX, 0, 1);
	EXPECT_EQ(-EINVAL, vfio_ioctl(self->d.device, VFIO_DEVICE_SET_IRQS,
				      set));
	SET(sizeof(*set), TRIGGER_FD, VFIO_PCI_MSI_IRQ_INDEX, 0, 1);
	EXPECT_EQ(-EINVAL, vfio_ioctl(self->d.device, VFIO_DEVICE_SET_IRQS,
				      set));
	/* no such index; more vectors than there are; MSI-X has none */
	SET(sizeof(buf), TRIGGER_FD, VFIO_PCI_NUM_IRQS, 0, 1);
	EXPECT_EQ(-EINVAL, vfio_ioctl(self->d.device, VFIO_DEVICE_SET_IRQS,
				      set));
	SET(sizeof(buf), TRIGGER_FD, VFIO_PCI_MSI_IRQ_INDEX, 0, 2);
	EXPECT_EQ(-EINVAL, vfio_ioctl(self->d.device, VFIO_DEVICE_SET_IRQS,
				      set));
	SET(sizeof(buf), TRIGGER_FD, VFIO_PCI_MSI_IRQ_INDEX, 1, 1);
	EXPECT_EQ(-EINVAL, vfio_ioctl(self->d.device, VFIO_DEVICE_SET_IRQS,
				      set));
	SET(sizeof(buf), TRIGGER_FD, VFIO_PCI_MSIX_IRQ_INDEX, 0, 1);
	EXPECT_EQ(-EINVAL, vfio_ioctl(self->d.device, VFIO_DEVICE_SET_IRQS,
				      set));
	/* unknown flags, two data types */
	SET(sizeof(buf), TRIGGER_FD | (1U << 10), VFIO_PCI_MSI_IRQ_INDEX, 0,
	    1);
	EXPECT_EQ(-EINVAL, vfio_ioctl(self->d.device, VFIO_DEVICE_SET_IRQS,
				      set));
	SET(sizeof(buf), TRIGGER_FD | VFIO_IRQ_SET_DATA_BOOL,
	    VFIO_PCI_MSI_IRQ_INDEX, 0, 1);
	EXPECT_EQ(-EINVAL, vfio_ioctl(self->d.device, VFIO_DEVICE_SET_IRQS,
				      set));
	/* INTx has a single line */
	SET(sizeof(buf), TRIGGER_FD, VFIO_PCI_INTX_IRQ_INDEX, 0, 2);
	EXPECT_EQ(-EINVAL, vfio_ioctl(self->d.device, VFIO_DEVICE_SET_IRQS,
				      set));
	/* MSI can't be masked through VFIO */
	SET(sizeof(*set), VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_MASK,
	    VFIO_PCI_MSI_IRQ_INDEX, 0, 1);
	EXPECT_EQ(-ENOTTY, vfio_ioctl(self->d.device, VFIO_DEVICE_SET_IRQS,
				      set));
	/* nothing was enabled by any of that */
	edu_write32(&self->d, EDU_REG_IRQ_RAISE, 0x1);
	EXPECT_EQ(0, vfio_eventfd_wait(self->efd, 200));
	edu_write32(&self->d, EDU_REG_IRQ_ACK, 0x1);
#undef SET
#undef TRIGGER_FD
}

TEST_F(dev, msi)
{
	self->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, self->efd);
	ASSERT_EQ(0, vfio_irq_set_eventfd(self->d.device,
					  VFIO_PCI_MSI_IRQ_INDEX, self->efd));

	edu_write32(&self->d, EDU_REG_IRQ_RAISE, 0x1);
	EXPECT_EQ(1, vfio_eventfd_wait(self->efd, IRQ_TIMEOUT_MS));
	edu_write32(&self->d, EDU_REG_IRQ_ACK, 0x1);
	/* edge-triggered, no unmask needed */
	edu_write32(&self->d, EDU_REG_IRQ_RAISE, 0x2);
	EXPECT_EQ(1, vfio_eventfd_wait(self->efd, IRQ_TIMEOUT_MS));
	edu_write32(&self->d, EDU_REG_IRQ_ACK, 0x2);

	/* DATA_NONE and DATA_BOOL triggers signal the eventfd themselves */
	{
		char buf[sizeof(struct vfio_irq_set) + 1];
		struct vfio_irq_set *set = (struct vfio_irq_set *)buf;

		memset(buf, 0, sizeof(buf));
		set->argsz = sizeof(*set);
		set->flags = VFIO_IRQ_SET_DATA_NONE |
			     VFIO_IRQ_SET_ACTION_TRIGGER;
		set->index = VFIO_PCI_MSI_IRQ_INDEX;
		set->count = 1;
		EXPECT_EQ(0, vfio_ioctl(self->d.device, VFIO_DEVICE_SET_IRQS,
					set));
		EXPECT_EQ(1, vfio_eventfd_wait(self->efd, IRQ_TIMEOUT_MS));
		set->argsz = sizeof(buf);
		set->flags = VFIO_IRQ_SET_DATA_BOOL |
			     VFIO_IRQ_SET_ACTION_TRIGGER;
		set->data[0] = 0;
		EXPECT_EQ(0, vfio_ioctl(self->d.device, VFIO_DEVICE_SET_IRQS,
					set));
		EXPECT_EQ(0, vfio_eventfd_wait(self->efd, 100));
		set->data[0] = 1;
		EXPECT_EQ(0, vfio_ioctl(self->d.device, VFIO_DEVICE_SET_IRQS,
					set));
		EXPECT_EQ(1, vfio_eventfd_wait(self->efd, IRQ_TIMEOUT_MS));
	}

	/* MSI and INTx are exclusive */
	EXPECT_EQ(-EINVAL, vfio_irq_set_eventfd(self->d.device,
						VFIO_PCI_INTX_IRQ_INDEX,
						self->efd));

	EXPECT_EQ(0, vfio_irq_set_eventfd(self->d.device,
					  VFIO_PCI_MSI_IRQ_INDEX, -1));
	/* disabled: silent */
	edu_write32(&self->d, EDU_REG_IRQ_RAISE, 0x1);
	EXPECT_EQ(0, vfio_eventfd_wait(self->efd, 200));
	edu_write32(&self->d, EDU_REG_IRQ_ACK, 0x1);
}

/*
 * A process that dies holding everything (device fd with MSI enabled, a
 * DMA mapping, group in a container) leaves nothing behind: the group
 * opens again, the IOVA maps again, and INTx can be enabled (it could
 * not if MSI were still on).
 */
TEST(release_on_exit)
{
	struct vfio_dev dev;
	void *buf;
	pid_t pid;
	int status, efd;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		efd = eventfd(0, EFD_CLOEXEC);
		buf = vfio_alloc(4096);
		if (efd < 0 || !buf ||
		    vfio_dev_open(&dev, edu0, VFIO_TYPE1v2_IOMMU) ||
		    edu_map_bar0(&dev) || edu_enable(&dev) ||
		    vfio_irq_set_eventfd(dev.device, VFIO_PCI_MSI_IRQ_INDEX,
					 efd) ||
		    vfio_map_dma(dev.container, buf, 0x100000, 4096,
				 VFIO_DMA_MAP_FLAG_READ |
				 VFIO_DMA_MAP_FLAG_WRITE))
			_exit(1);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));

	buf = vfio_alloc(4096);
	ASSERT_NE(NULL, buf);
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, vfio_dev_open(&dev, edu0, VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(0, vfio_map_dma(dev.container, buf, 0x100000, 4096,
				  VFIO_DMA_MAP_FLAG_READ |
				  VFIO_DMA_MAP_FLAG_WRITE));
	ASSERT_EQ(0, edu_map_bar0(&dev));
	ASSERT_EQ(0, edu_enable(&dev));
	ASSERT_EQ(0, vfio_irq_set_eventfd(dev.device, VFIO_PCI_INTX_IRQ_INDEX,
					  efd));
	edu_write32(&dev, EDU_REG_IRQ_RAISE, 0x1);
	EXPECT_EQ(1, vfio_eventfd_wait(efd, IRQ_TIMEOUT_MS));
	edu_write32(&dev, EDU_REG_IRQ_ACK, 0x1);
	EXPECT_EQ(0, vfio_irq_set_eventfd(dev.device, VFIO_PCI_INTX_IRQ_INDEX,
					  -1));
	close(efd);
	vfio_dev_close(&dev);
}

/*
 * A bus reset behind the PCI bridge would reset both of its devices: the
 * hot reset info of one lists both, with their group.
 */
TEST(hot_reset_info_bridge)
{
	unsigned int bus[2], devfn[2], seg[2];
	struct vfio_pci_hot_reset_info *info;
	struct vfio_pci_dependent_device *d;
	char buf[sizeof(*info) + 8 * sizeof(*d)];
	struct vfio_dev dev;
	unsigned int i, found = 0;
	int id;

	ASSERT_NE(NULL, bridge_edu);
	ASSERT_NE(NULL, bridge_e1000);
	ASSERT_EQ(0, pci_parse_name(bridge_edu, &seg[0], &bus[0], &devfn[0]));
	ASSERT_EQ(0, pci_parse_name(bridge_e1000, &seg[1], &bus[1],
				    &devfn[1]));
	id = vfio_group_id(bridge_edu);
	ASSERT_LE(0, id);
	ASSERT_EQ(0, vfio_dev_open(&dev, bridge_edu, VFIO_TYPE1v2_IOMMU));

	/* too small for the list: told how many there are */
	memset(buf, 0, sizeof(buf));
	info = (void *)buf;
	info->argsz = sizeof(*info);
	EXPECT_EQ(-ENOSPC, vfio_ioctl(dev.device,
				      VFIO_DEVICE_GET_PCI_HOT_RESET_INFO,
				      info));
	EXPECT_EQ(2U, info->count);

	memset(buf, 0, sizeof(buf));
	info->argsz = sizeof(buf);
	ASSERT_EQ(0, vfio_ioctl(dev.device,
				VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, info));
	ASSERT_EQ(2U, info->count);
	for (i = 0; i < info->count; i++) {
		unsigned int j;

		d = &info->devices[i];
		EXPECT_EQ((uint32_t)id, d->group_id);
		for (j = 0; j < 2; j++)
			if (d->segment == seg[j] && d->bus == bus[j] &&
			    d->devfn == devfn[j])
				found |= 1U << j;
	}
	EXPECT_EQ(3U, found);
	vfio_dev_close(&dev);
}

/*
 * VFIO_DEVICE_PCI_HOT_RESET of the bus behind the bridge, proving
 * ownership with the group fd (QEMU does this for devices without FLR):
 * the device comes back with its config space restored.
 */
TEST(hot_reset_bridge)
{
	char buf[sizeof(struct vfio_pci_hot_reset) + 2 * sizeof(int32_t)];
	struct vfio_pci_hot_reset *reset = (void *)buf;
	struct vfio_dev dev;
	uint16_t cmd;

	ASSERT_NE(NULL, bridge_edu);
	ASSERT_EQ(0, vfio_dev_open(&dev, bridge_edu, VFIO_TYPE1v2_IOMMU));
	ASSERT_EQ(0, edu_map_bar0(&dev));
	ASSERT_EQ(0, edu_enable(&dev));

	memset(buf, 0, sizeof(buf));
	reset->argsz = sizeof(*reset) + sizeof(int32_t);
	/* no group, or something else than a group */
	reset->count = 0;
	EXPECT_EQ(-EINVAL, vfio_ioctl(dev.device, VFIO_DEVICE_PCI_HOT_RESET,
				      reset));
	reset->count = 1;
	reset->group_fds[0] = dev.container;
	EXPECT_EQ(-EINVAL, vfio_ioctl(dev.device, VFIO_DEVICE_PCI_HOT_RESET,
				      reset));
	/* unknown flags */
	reset->group_fds[0] = dev.group;
	reset->flags = 1;
	EXPECT_EQ(-EINVAL, vfio_ioctl(dev.device, VFIO_DEVICE_PCI_HOT_RESET,
				      reset));

	reset->flags = 0;
	EXPECT_EQ(0, vfio_ioctl(dev.device, VFIO_DEVICE_PCI_HOT_RESET, reset));
	ASSERT_EQ(0, vfio_region_read(dev.device, &dev.config, PCI_COMMAND,
				      &cmd, sizeof(cmd)));
	EXPECT_TRUE(cmd & PCI_COMMAND_MEMORY);
	EXPECT_EQ(EDU_ID_VALUE, edu_read32(&dev, EDU_REG_ID));
	vfio_dev_close(&dev);
}

/* e1000 (82540EM) receive descriptor base, low: 0 after a reset */
#define E1000_RDBAL	0x2800

/*
 * A device fd of the group of @d for @bdf, with memory decode on and its
 * BAR0 info in *bar0: fd or -errno.
 */
static int open_decoding(struct vfio_dev *d, const char *bdf,
			 struct vfio_region_info *bar0)
{
	struct vfio_region_info cfg;
	uint16_t cmd;
	int fd, ret;

	fd = vfio_get_device_fd(d->group, bdf);
	if (fd < 0)
		return fd;
	ret = vfio_region_info(fd, VFIO_PCI_CONFIG_REGION_INDEX, &cfg);
	if (!ret)
		ret = vfio_region_info(fd, VFIO_PCI_BAR0_REGION_INDEX, bar0);
	if (!ret)
		ret = vfio_region_read(fd, &cfg, PCI_COMMAND, &cmd, 2);
	cmd |= PCI_COMMAND_MEMORY;
	if (!ret)
		ret = vfio_region_write(fd, &cfg, PCI_COMMAND, &cmd, 2);
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

/* The bridge e1000's RDBAL through a new device fd, or 0xdead on error. */
static uint32_t e1000_rdbal(struct vfio_dev *d)
{
	struct vfio_region_info bar0;
	uint32_t v = 0xdead;
	int fd;

	fd = open_decoding(d, bridge_e1000, &bar0);
	if (fd < 0)
		return v;
	if (vfio_region_read(fd, &bar0, E1000_RDBAL, &v, 4))
		v = 0xdead;
	close(fd);
	return v;
}

/*
 * As 6.1's vfio_pci_dev_set_try_reset(): the devices behind the bridge
 * have no function reset, so the last release of a device fd among them
 * resets their bus, once none of them is open.  The e1000's RDBAL, which
 * its reset clears, shows it: it survives a release while the edu on the
 * same bus is open, and is 0 once both were released.
 */
TEST(reset_at_release_bridge)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_region_info bar0;
	const uint32_t val = 0x12345000;
	struct vfio_dev edu;
	uint32_t v = 0;
	int fd;

	ASSERT_NE(NULL, bridge_edu);
	ASSERT_NE(NULL, bridge_e1000);
	vfio_dev_init(&edu, bridge_edu);
	ASSERT_EQ(0, vfio_dev_open(&edu, bridge_edu, VFIO_TYPE1v2_IOMMU));

	fd = open_decoding(&edu, bridge_e1000, &bar0);
	ASSERT_LE(0, fd);
	/* no function reset: only a bus reset resets it */
	ASSERT_EQ(0, vfio_ioctl(fd, VFIO_DEVICE_GET_INFO, &info));
	ASSERT_FALSE(info.flags & VFIO_DEVICE_FLAGS_RESET);
	ASSERT_EQ(0, vfio_region_write(fd, &bar0, E1000_RDBAL, &val, 4));
	ASSERT_EQ(0, vfio_region_read(fd, &bar0, E1000_RDBAL, &v, 4));
	ASSERT_EQ(val, v);
	close(fd);
	/* the edu is open: no reset */
	EXPECT_EQ(val, e1000_rdbal(&edu));
	/* the edu's release resets the bus, for the e1000 */
	close(edu.device);
	edu.device = -1;
	EXPECT_EQ(0U, e1000_rdbal(&edu));
	vfio_dev_close(&edu);
}

int main(int argc, char **argv)
{
	edu0 = vfio_test_env("VFIO_EDU0");
	bridge_edu = vfio_test_env("VFIO_BRIDGE_EDU");
	bridge_e1000 = vfio_test_env("VFIO_BRIDGE_E1000");
	if (!edu0 || access(VFIO_CONTAINER_PATH, F_OK)) {
		ksft_print_header();
		ksft_exit_skip("no VFIO test VM (VFIO_EDU0, %s)\n",
			       VFIO_CONTAINER_PATH);
	}
	return test_harness_run(argc, argv);
}
